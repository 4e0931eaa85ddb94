using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.Optim;

/// <summary>
/// Each optimizer configuration against PyTorch 1.13 (fixture: tools/golden/optim.py): 20 steps on the same
/// problem, the parameters compared after EVERY step with 1e-5 relative tolerance.
/// </summary>
public class OptimizerTrajectoryTests
{
    /// <summary>The C# twin of each fixture case: the same constructor call, PyTorch's defaults left to ours.</summary>
    public static readonly Dictionary<string, Func<List<ParamGroup>, Optimizer>> Twins = new()
    {
        ["sgd_plain"] = g => new SGD(g, lr: 0.01),
        ["sgd_momentum"] = g => new SGD(g, lr: 0.01, momentum: 0.9),
        ["sgd_dampening_weight_decay"] = g => new SGD(g, lr: 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        ["sgd_nesterov_weight_decay"] = g => new SGD(g, lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.05),
        ["sgd_maximize"] = g => new SGD(g, lr: 0.005, momentum: 0.5, maximize: true),
        ["sgd_two_groups"] = g => new SGD(g, lr: 0.01, momentum: 0.9),
        ["sgd_momentum_float64"] = g => new SGD(g, lr: 0.01, momentum: 0.9, nesterov: true),
        ["adagrad_default"] = g => new Adagrad(g),
        ["adagrad_full"] = g => new Adagrad(g, lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1, eps: 1e-10),
        ["adagrad_maximize_float64"] = g => new Adagrad(g, lr: 0.05, maximize: true),
        ["rmsprop_default"] = g => new RMSprop(g),
        ["rmsprop_momentum"] = g => new RMSprop(g, lr: 0.005, momentum: 0.9, alpha: 0.9),
        ["rmsprop_centered_momentum_weight_decay"] = g => new RMSprop(g, lr: 0.005, alpha: 0.95, momentum: 0.8, centered: true, weightDecay: 0.01),
        ["rmsprop_centered_float64"] = g => new RMSprop(g, lr: 0.01, centered: true),
        ["adadelta_default"] = g => new Adadelta(g),
        ["adadelta_full"] = g => new Adadelta(g, lr: 0.5, rho: 0.95, eps: 1e-5, weightDecay: 0.01, maximize: true),
        ["adadelta_float64"] = g => new Adadelta(g, lr: 2.0, rho: 0.8),
        ["adam_default"] = g => new Adam(g),
        ["adam_lr_weight_decay"] = g => new Adam(g, lr: 0.05, weightDecay: 0.01),
        ["adam_amsgrad_betas"] = g => new Adam(g, lr: 0.05, betas: (0.8, 0.95), amsgrad: true),
        ["adam_maximize_eps"] = g => new Adam(g, lr: 0.02, eps: 1e-3, maximize: true),
        ["adam_two_groups"] = g => new Adam(g, lr: 0.01),
        ["adam_amsgrad_float64"] = g => new Adam(g, lr: 0.05, amsgrad: true, weightDecay: 0.01),
        ["adamw_default"] = g => new AdamW(g),
        ["adamw_amsgrad_weight_decay"] = g => new AdamW(g, lr: 0.05, weightDecay: 0.1, amsgrad: true),
        ["adamw_maximize"] = g => new AdamW(g, lr: 0.02, betas: (0.5, 0.9), maximize: true),
        ["adamw_float64"] = g => new AdamW(g, lr: 0.05, weightDecay: 0.5),
    };

    public static IEnumerable<object[]> Cases => OptimFixture.Optimizers.Select(c => new object[] { c.Name });

    public static OptimizerCase Case(string name) => OptimFixture.Optimizers.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchAtEveryStep(string name)
    {
        var c = Case(name);
        var problem = new OptimProblem(c.Init, c.Consts);
        var opt = Twins[name](problem.Groups(c.Groups));
        for (int step = 0; step < c.Trajectory.Length; step++)
        {
            problem.TrainStep(opt);
            foreach (var (param, expected) in c.Trajectory[step])
                TensorAssert.Close(expected, problem.P[param], rtol: 1e-5, atol: 1e-6, what: $"{name}: {param} after step {step + 1}");
        }
    }

    [Fact]
    public void EveryCaseHasATwin()
    {
        var names = OptimFixture.Optimizers.Select(c => c.Name).ToHashSet();
        Assert.Empty(names.Except(Twins.Keys));
        Assert.Empty(Twins.Keys.Except(names));
    }

    [Fact]
    public void ParametersWithoutGradientAreSkippedAndGetNoState()
    {
        var c = Case("adam_default");
        var problem = new OptimProblem(c.Init, c.Consts);
        var opt = new Adam(problem.Groups(c.Groups));
        problem.TrainStep(opt);
        TensorAssert.Equal(c.Init["z"], problem.P["z"]);
        Assert.Null(opt.GetState(problem.P["z"]));
        Assert.Equal(1, opt.GetState(problem.P["w"])!.Step);
    }

    [Fact]
    public void NonContiguousGradientIsAccepted()
    {
        var p = Tensor.From(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3).RequiresGrad_();
        var q = Tensor.From(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3).RequiresGrad_();
        var g = Tensor.From(new float[] { 1, 4, 2, 5, 3, 6 }, 3, 2);
        p.Grad = g.T();                 // a transposed view
        q.Grad = g.T().Contiguous();
        new SGD([p], lr: 0.5).Step();
        new SGD([q], lr: 0.5).Step();
        TensorAssert.Equal(q, p);
        TensorAssert.Close(Tensor.From(new float[] { 0.5f, 1, 1.5f, 2, 2.5f, 3 }, 2, 3), p, 0, 0);
    }

    [Fact]
    public void ZeroGradSetsGradientsToNullOrZero()
    {
        var p = Tensor.From(new double[] { 1, 2 }).RequiresGrad_();
        var opt = new SGD([p], lr: 0.1);
        (p * p).Sum().Backward();
        opt.ZeroGrad(setToNone: false);
        TensorAssert.Equal(Tensor.Zeros([2], DType.Float64), p.Grad!);
        opt.ZeroGrad();
        Assert.Null(p.Grad);
    }

    [Fact]
    public void GroupOptionsCanChangeBetweenSteps()
    {
        // Schedules rely on this: the optimizer reads the group's lr at each step.
        var p = Tensor.From(new float[] { 1 }).RequiresGrad_();
        var opt = new SGD([p], lr: 0.1);
        p.Grad = Tensor.From(new float[] { 1 });
        opt.Step();
        opt.ParamGroups[0].Lr = 0.5;
        opt.Step();
        Assert.Equal(1 - 0.1f - 0.5f, p.Item<float>(), 6);
    }
}
