using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>Wrong arguments to the optimizers answer with an exception whose message names the optimizer and the problem.</summary>
public class OptimizerBadInputTests
{
    static Tensor Leaf(params int[] shape) => Tensor.Zeros(shape).RequiresGrad_();

    static string Fails(Func<object> make) => Assert.Throws<ArgumentException>(make).Message;

    [Fact]
    public void NegativeLearningRate()
    {
        Assert.Equal("SGD: invalid learning rate: -0.1 (must be >= 0).", Fails(() => new SGD([Leaf(2)], lr: -0.1)));
        Assert.StartsWith("Adam: invalid learning rate: -1", Fails(() => new Adam([Leaf(2)], lr: -1)));
        Assert.StartsWith("AdamW: invalid learning rate", Fails(() => new AdamW([Leaf(2)], lr: -1)));
        Assert.StartsWith("Adagrad: invalid learning rate", Fails(() => new Adagrad([Leaf(2)], lr: -1)));
        Assert.StartsWith("RMSprop: invalid learning rate", Fails(() => new RMSprop([Leaf(2)], lr: -1)));
        Assert.StartsWith("Adadelta: invalid learning rate", Fails(() => new Adadelta([Leaf(2)], lr: -1)));
        Assert.StartsWith("SGD: invalid learning rate: NaN", Fails(() => new SGD([Leaf(2)], lr: double.NaN)));
    }

    [Fact]
    public void NegativeLearningRateInAGroupNamesTheGroup()
    {
        var ex = Fails(() => new SGD([new ParamGroup(Leaf(2)), new ParamGroup(Leaf(3)) { Lr = -0.5 }], lr: 0.1));
        Assert.Equal("SGD: param group 1: invalid learning rate: -0.5 (must be >= 0).", ex);
    }

    [Fact]
    public void BetasOutsideZeroOne()
    {
        Assert.Equal("Adam: invalid beta parameter at index 0: 1 (must be in [0, 1)).", Fails(() => new Adam([Leaf(2)], betas: (1.0, 0.999))));
        Assert.StartsWith("Adam: invalid beta parameter at index 1: -0.1", Fails(() => new Adam([Leaf(2)], betas: (0.9, -0.1))));
        Assert.StartsWith("AdamW: invalid beta parameter at index 1: 1.5", Fails(() => new AdamW([Leaf(2)], betas: (0.9, 1.5))));
    }

    [Fact]
    public void OtherHyperParameters()
    {
        Assert.StartsWith("SGD: Nesterov momentum requires a momentum and zero dampening", Fails(() => new SGD([Leaf(2)], lr: 0.1, nesterov: true)));
        Assert.StartsWith("SGD: invalid momentum value: -0.9", Fails(() => new SGD([Leaf(2)], lr: 0.1, momentum: -0.9)));
        Assert.StartsWith("Adam: invalid weight_decay value: -0.1", Fails(() => new Adam([Leaf(2)], weightDecay: -0.1)));
        Assert.StartsWith("Adam: invalid epsilon value", Fails(() => new Adam([Leaf(2)], eps: -1e-8)));
        Assert.StartsWith("Adadelta: invalid rho value: 1.1", Fails(() => new Adadelta([Leaf(2)], rho: 1.1)));
        Assert.StartsWith("RMSprop: invalid alpha value", Fails(() => new RMSprop([Leaf(2)], alpha: -0.5)));
        Assert.StartsWith("Adagrad: invalid lr_decay value", Fails(() => new Adagrad([Leaf(2)], lrDecay: -0.5)));
        Assert.StartsWith("Adagrad: invalid initial_accumulator_value", Fails(() => new Adagrad([Leaf(2)], initialAccumulatorValue: -1)));
    }

    [Fact]
    public void EmptyParameterList()
    {
        Assert.Equal("Adam: optimizer got an empty parameter list.", Fails(() => new Adam(Array.Empty<Tensor>())));
        Assert.Equal("SGD: optimizer got an empty parameter list.", Fails(() => new SGD(Array.Empty<ParamGroup>(), lr: 0.1)));
        Assert.Equal("SGD: optimizer got an empty parameter list.", Fails(() => new SGD([new ParamGroup()], lr: 0.1)));
    }

    [Fact]
    public void NonLeafParameter()
    {
        var w = Leaf(2, 3);
        var ex = Fails(() => new Adam([w * 2.0]));
        Assert.StartsWith("Adam: param group 0: can't optimize a non-leaf tensor (parameter 0 of shape [2, 3] was produced by MulBackward)", ex);
    }

    [Fact]
    public void NonContiguousOrIntegerParameter()
    {
        var t = Tensor.Zeros(2, 3).T().RequiresGrad_();
        Assert.Contains("RMSprop: param group 0: parameter 0 of shape [3, 2] with strides [1, 3] is not contiguous", Fails(() => new RMSprop([t])));
        Assert.Contains("SGD: param group 0: can only optimize floating-point tensors, parameter 0 of shape [2] is int64",
            Fails(() => new SGD([Tensor.Zeros([2], DType.Int64)], lr: 0.1)));
    }

    [Fact]
    public void ParameterInTwoGroups()
    {
        var w = Leaf(2);
        var ex = Fails(() => new Adam([new ParamGroup(w), new ParamGroup(Leaf(3), w)]));
        Assert.Equal("Adam: some parameters appear in more than one parameter group (parameter 1 of shape [2] of the new group).", ex);
        var opt = new SGD([w], lr: 0.1);
        Assert.StartsWith("SGD: some parameters appear in more than one", Assert.Throws<ArgumentException>(() => opt.AddParamGroup(new ParamGroup(w))).Message);
        Assert.Equal("SGD: param group 0: parameter 1 of shape [2] appears twice in the group.", Fails(() => new SGD([w, w], lr: 0.1)));
    }

    [Fact]
    public void LoadStateDictWithMismatchedGroups()
    {
        var a = new Adam([new ParamGroup(Leaf(2)), new ParamGroup(Leaf(3))]);
        var b = new Adam([Leaf(2), Leaf(3)]);
        Assert.Equal("Adam: loaded state dict has 2 parameter groups but the optimizer has 1.",
            Assert.Throws<ArgumentException>(() => b.LoadStateDict(a.StateDict())).Message);
        var c = new Adam([new ParamGroup(Leaf(2)), new ParamGroup(Leaf(3), Leaf(4))]);
        Assert.Equal("Adam: parameter group 1 of the loaded state dict has 1 parameters but the optimizer's group has 2.",
            Assert.Throws<ArgumentException>(() => c.LoadStateDict(a.StateDict())).Message);
        Assert.Equal("SGD: cannot load a state dict saved by Adam.",
            Assert.Throws<ArgumentException>(() => new SGD([Leaf(2), Leaf(3)], lr: 1).LoadStateDict(b.StateDict())).Message);
    }

    [Fact]
    public void LoadStateDictWithMismatchedShapesChangesNothing()
    {
        var p = Leaf(2);
        var a = new SGD([p], lr: 0.1, momentum: 0.9);
        p.Grad = Tensor.Ones(2);
        a.Step();
        var q = Leaf(5);
        var b = new SGD([q], lr: 0.3, momentum: 0.9);
        var ex = Assert.Throws<ArgumentException>(() => b.LoadStateDict(a.StateDict()));
        Assert.Equal("SGD: loaded state 'momentum_buffer' of parameter 0 has shape [2] but the parameter has shape [5].", ex.Message);
        Assert.Equal(0.3, b.ParamGroups[0].Lr); // validated before anything changed
        Assert.Null(b.GetState(q));
    }

    [Fact]
    public void GradientOfTheWrongShapeOrDtype()
    {
        var p = Leaf(2, 2);
        var opt = new Adam([p]);
        p.Grad = Tensor.Ones(4);
        Assert.Equal("Adam: the gradient of shape [4] does not match its parameter of shape [2, 2].", Assert.Throws<InvalidOperationException>(opt.Step).Message);
        p.Grad = Tensor.Ones([2, 2], DType.Float64);
        Assert.Equal("Adam: the gradient is float64 but its parameter of shape [2, 2] is float32.", Assert.Throws<InvalidOperationException>(opt.Step).Message);
    }

    [Fact]
    public void UnsetGroupOptionNamesTheKey()
    {
        var g = new ParamGroup(Leaf(2));
        var ex = Assert.Throws<KeyNotFoundException>(() => g.Lr);
        Assert.StartsWith("param group: no option 'lr'", ex.Message);
    }
}
