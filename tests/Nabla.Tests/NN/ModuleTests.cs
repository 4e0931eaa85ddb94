using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>Behaviour of Module and the containers beyond what the PyTorch golden strings pin down.</summary>
public class ModuleTests
{
    static Sequential MakeChain() => new(new Affine(3), new Block(3), new Wrapper(new Normalize(3)));

    static void Fill(Module m, double value)
    {
        using var _ = new NoGrad();
        foreach (var (_, t) in m.StateDict()) t.FillInPlace(value);
    }

    // ---- registration -------------------------------------------------------------------------------------

    [Fact]
    public void RegisterParameterMarksALeafThatRequiresGrad()
    {
        var m = new Affine(2);
        Assert.All(m.Parameters(), p => Assert.True(p.RequiresGrad && p.IsLeaf));
    }

    [Fact]
    public void RegisterParameterCanKeepANonFloatingParameterFrozen()
    {
        var m = new Exp();
        var counts = m.RegisterParameter("counts", Tensor.Zeros([3], DType.Int64), requiresGrad: false);
        Assert.False(counts.RequiresGrad);
        Assert.Same(counts, m.GetParameter("counts"));
    }

    [Fact]
    public void AbsentParameterIsSkippedEverywhere()
    {
        var m = new Affine(2, bias: false);
        Assert.Null(m.Bias);
        Assert.Equal(["weight"], m.NamedParameters().Select(p => p.Name));
        Assert.Equal(["weight"], m.StateDict().Keys);
        Assert.Equal(2, m.NumParameters());
    }

    [Fact]
    public void ReRegisteringAParameterReplacesItInPlace()
    {
        var m = new Affine(2);
        var replacement = Tensor.Ones(2);
        m.RegisterParameter("weight", replacement);
        Assert.Equal(["weight", "bias"], m.NamedParameters().Select(p => p.Name));
        Assert.Same(replacement, m.Weight);
        Assert.True(replacement.RequiresGrad);
    }

    [Fact]
    public void ParameterCreateSharesStorageButIsANewLeaf()
    {
        var x = Tensor.Ones(3).RequiresGrad_();
        var y = x * 2.0;
        var p = Parameter.Create(y);
        Assert.True(p.IsLeaf && p.RequiresGrad);
        Assert.Same(y.Storage, p.Storage);
        Assert.NotSame(y, p);
        Assert.False(Parameter.Create(Tensor.Ones(2), requiresGrad: false).RequiresGrad);
    }

    [Fact]
    public void BuffersIncludeNonPersistentOnesButTheStateDictDoesNot()
    {
        var m = new Normalize(2);
        Assert.Equal(["running_mean", "num_batches_tracked", "scratch"], m.NamedBuffers().Select(b => b.Name));
        Assert.Equal(3, m.Buffers().Count());
        Assert.Equal(["scale", "running_mean", "num_batches_tracked"], m.StateDict().Keys);
        Assert.Equal(["scale"], m.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void DottedLookups()
    {
        var model = MakeChain();
        Assert.IsType<Normalize>(model.GetSubmodule("1.norm"));
        Assert.Same(model, model.GetSubmodule(""));
        Assert.Equal([3], model.GetParameter("1.layers.0.bias").Shape);
        Assert.Equal([3], model.GetBuffer("2.inner.running_mean").Shape);
        Assert.Equal([3], model.GetParameter("0.weight").Shape);
    }

    [Fact]
    public void NamedParametersTakeAPrefixAndCanStayLocal()
    {
        var block = new Block(2);
        Assert.Equal(["gain"], block.NamedParameters(recurse: false).Select(p => p.Name));
        Assert.Equal("enc.gain", block.NamedParameters("enc").First().Name);
        Assert.Equal(("enc", (Module)block), block.NamedModules("enc").First());
        Assert.Single(block.Parameters(recurse: false));
    }

    [Fact]
    public void SharedModulesAndTiedWeightsAreVisitedOnce()
    {
        var leaf = new Affine(2);
        var tied = new Affine(2);
        tied.TieWeight(leaf.Weight);
        var model = new Sequential(leaf, tied, leaf);
        Assert.Equal(3, model.Parameters().Count());
        Assert.Equal(6, model.NumParameters());
        Assert.Equal(2, model.Children().Count());
        Assert.Equal(6, model.StateDict().Count);

        // With x = 1: y = ((w + b0) * w + b1) * w + b0, so dy/dw = 3w^2 + 2*b0*w + b1 collects all three uses of w.
        model.Forward(Tensor.Ones(2)).Sum().Backward();
        var w = leaf.Weight.Detach();
        var expected = 3.0 * w * w + 2.0 * leaf.Bias!.Detach() * w + tied.Bias!.Detach();
        TensorAssert.Close(expected, leaf.Weight.Grad!, 1e-5, 1e-5, "tied weight gradient");
        Assert.Same(leaf.Weight, tied.Weight);
    }

    // ---- state dicts --------------------------------------------------------------------------------------

    [Fact]
    public void StateDictValuesAliasTheModuleAndAreDetached()
    {
        var m = new Affine(2);
        var state = m.StateDict();
        Assert.All(state.Values, t => Assert.False(t.RequiresGrad));
        using (new NoGrad()) m.Weight.FillInPlace(5);
        Assert.Equal([5f, 5f], state["weight"].ToArray<float>());
    }

    [Fact]
    public void StateDictRoundTripCopiesValuesWithoutAliasing()
    {
        var source = MakeChain();
        var target = MakeChain();
        Fill(target, 0);
        var parametersBefore = target.Parameters().ToList();

        var result = target.LoadStateDict(source.StateDict());
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        foreach (var (key, value) in source.StateDict())
            TensorAssert.Equal(value, target.StateDict()[key], key);

        // Loading writes into the existing tensors: same objects, still trainable leaves.
        Assert.Equal(parametersBefore, target.Parameters());
        Assert.All(target.Parameters(), p => Assert.True(p.RequiresGrad && p.IsLeaf));

        // ... and copies: changing the source afterwards does not reach the target.
        Fill(source, 9);
        Assert.All(target.StateDict().Values, t => Assert.DoesNotContain(9.0, TensorAssert.Flat(t)));
        Assert.Equal(7L, target.GetBuffer("1.norm.num_batches_tracked").Item<long>());
    }

    [Fact]
    public void LoadingAModulesOwnStateDictIsANoOp()
    {
        var m = MakeChain();
        var before = m.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        m.LoadStateDict(m.StateDict());
        foreach (var (key, value) in before) TensorAssert.Equal(value, m.StateDict()[key], key);
    }

    [Fact]
    public void LoadConvertsDTypes()
    {
        var m = new Affine(2);
        var state = new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.From([1.5, -2.0]),
            ["bias"] = Tensor.From([3L, 4L]),
        };
        m.LoadStateDict(state);
        Assert.Equal(DType.Float32, m.Weight.DType);
        Assert.Equal([1.5f, -2f], m.Weight.ToArray<float>());
        Assert.Equal([3f, 4f], m.Bias!.ToArray<float>());
    }

    [Fact]
    public void NonStrictLoadReportsAndSkipsMismatchedNames()
    {
        var m = new Affine(2);
        var oldBias = m.Bias!.ToArray<float>();
        var state = new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.From([1f, 2f]),
            ["extra.weight"] = Tensor.Zeros(5),
        };
        var result = m.LoadStateDict(state, strict: false);
        Assert.Equal(["bias"], result.MissingKeys);
        Assert.Equal(["extra.weight"], result.UnexpectedKeys);
        Assert.Equal([1f, 2f], m.Weight.ToArray<float>());
        Assert.Equal(oldBias, m.Bias!.ToArray<float>());
    }

    [Fact]
    public void LoadFromANonContiguousSource()
    {
        var m = new Affine(2);
        var wide = Tensor.From([1f, 2f, 3f, 4f], 2, 2);
        m.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = wide.Select(1, 0), ["bias"] = wide.Select(1, 1) });
        Assert.Equal([1f, 3f], m.Weight.ToArray<float>());
        Assert.Equal([2f, 4f], m.Bias!.ToArray<float>());
    }

    // ---- modes, freezing, gradients --------------------------------------------------------------------

    [Fact]
    public void TrainAndEvalPropagateToTheWholeSubtree()
    {
        var probe = new ModeProbe();
        var model = new Sequential(new Wrapper(new Sequential(probe)), new Affine(2));
        Assert.All(model.Modules(), m => Assert.True(m.IsTraining));

        Assert.Same(model, model.Eval());
        Assert.All(model.Modules(), m => Assert.False(m.IsTraining));
        model.Forward(Tensor.Ones(2));
        Assert.False(probe.SawTraining);

        model.Train();
        Assert.All(model.Modules(), m => Assert.True(m.IsTraining));
        model.Forward(Tensor.Ones(2));
        Assert.True(probe.SawTraining);

        model[0].Train(false);
        Assert.True(model.IsTraining);
        Assert.True(model[1].IsTraining);
        Assert.False(probe.IsTraining);
    }

    [Fact]
    public void FreezingASubtreeStopsItsGradients()
    {
        var model = MakeChain();
        model[1].RequiresGrad(false);
        Assert.All(model[1].Parameters(), p => Assert.False(p.RequiresGrad));
        Assert.All(model[0].Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.Equal(model.NumParameters() - model[1].NumParameters(), model.NumParameters(trainableOnly: true));

        model.Forward(Values.Make(2, 3)).Sum().Backward();
        Assert.All(model[1].Parameters(), p => Assert.Null(p.Grad));
        Assert.All(model[0].Parameters(), p => Assert.NotNull(p.Grad));
        Assert.All(model[2].Parameters(), p => Assert.NotNull(p.Grad));

        model[1].RequiresGrad();
        Assert.Equal(model.NumParameters(), model.NumParameters(trainableOnly: true));
    }

    [Fact]
    public void ParameterCountsAddUp()
    {
        var model = MakeChain();
        // Affine 3+3; Block: gain 1 + scale 3 + affine 3+3 + affine 3; Wrapper: scale 3.
        Assert.Equal(6 + 13 + 3, model.NumParameters());
    }

    [Fact]
    public void ZeroGradForgetsEveryGradient()
    {
        var model = MakeChain();
        model.Forward(Values.Make(2, 3)).Sum().Backward();
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));
        model.ZeroGrad();
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void ApplyVisitsChildrenBeforeTheirParent()
    {
        var model = new Sequential(new Wrapper(new Exp()), new Affine(1));
        var order = new List<string>();
        Assert.Same(model, model.Apply(m => order.Add(m.TypeName)));
        Assert.Equal(["Exp", "Wrapper", "Affine", "Sequential"], order);
    }

    // ---- repr -------------------------------------------------------------------------------------------

    [Fact]
    public void ReprOfSimpleTrees()
    {
        Assert.Equal("Sequential()", new Sequential().ToString());
        Assert.Equal("Exp()", new Exp().ToString());
        Assert.Equal("Sequential(\n  (0): Affine(features=2, bias=True)\n  (1): Exp()\n)", new Sequential(new Affine(2), new Exp()).ToString());
        Assert.Equal("ModuleDict(\n  (b): Exp()\n  (a): Exp()\n)", new ModuleDict(("b", new Exp()), ("a", new Exp())).ToString());
    }

    [Fact]
    public void ReprOfAMultiLineExtraWithoutChildren()
    {
        var m = new MultiLine();
        Assert.Equal("MultiLine(\n  first\n  second\n)", m.ToString());
        Assert.Equal("Sequential(\n  (0): MultiLine(\n    first\n    second\n  )\n)", new Sequential(m).ToString());
    }

    sealed class MultiLine : Module
    {
        public override Tensor Forward(Tensor input) => input;
        public override string ExtraRepr() => "first\nsecond";
    }

    [Fact]
    public void TypeNameDropsGenericArity()
    {
        Assert.Equal("ModuleList", new ModuleList<Affine>().TypeName);
        Assert.Equal("ModuleDict", new ModuleDict<Exp>().TypeName);
    }
}
