using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.Optim;

/// <summary>Resuming from a state dict must continue training bit for bit.</summary>
public class OptimizerStateDictTests
{
    public static IEnumerable<object[]> Cases => OptimizerTrajectoryTests.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void TenStepsSavedAndLoadedThenTenMoreEqualsTwentyStraight(string name)
    {
        var c = OptimizerTrajectoryTests.Case(name);
        var make = OptimizerTrajectoryTests.Twins[name];
        var straight = new OptimProblem(c.Init, c.Consts);
        var a = make(straight.Groups(c.Groups));
        for (int i = 0; i < 10; i++) straight.TrainStep(a);
        var saved = a.StateDict();
        var resumed = straight.Fork();
        // The straight run goes on AFTER saving: a state dict that aliased live buffers would be corrupted here.
        for (int i = 0; i < 10; i++) straight.TrainStep(a);

        var b = make(resumed.Groups(c.Groups));
        b.LoadStateDict(saved);
        for (int i = 0; i < 10; i++) resumed.TrainStep(b);
        foreach (var key in straight.P.Keys)
            TensorAssert.Equal(straight.P[key], resumed.P[key], $"{name}: {key} after 10 + 10 steps");
    }

    [Fact]
    public void LoadingRestoresGroupHyperParametersAndStepCounts()
    {
        var c = OptimizerTrajectoryTests.Case("adam_two_groups");
        var p1 = new OptimProblem(c.Init, c.Consts);
        var a = new Adam(p1.Groups(c.Groups), lr: 0.01);
        for (int i = 0; i < 3; i++) p1.TrainStep(a);

        var p2 = p1.Fork();
        var b = new Adam([new ParamGroup(p2.P["w"]), new ParamGroup(p2.P["v"], p2.P["z"])], lr: 0.7, betas: (0.5, 0.6));
        b.LoadStateDict(a.StateDict());
        Assert.Equal(0.05, b.ParamGroups[0].Lr);
        Assert.Equal(0.01, b.ParamGroups[1].Lr);
        Assert.Equal(0.1, b.ParamGroups[1].WeightDecay);
        Assert.Equal((0.9, 0.999), b.ParamGroups[0].Betas);
        Assert.Equal(3, b.GetState(p2.P["w"])!.Step);
        Assert.Null(b.GetState(p2.P["z"]));
        TensorAssert.Equal(a.GetState(p1.P["v"])!.Buffers["exp_avg_sq"], b.GetState(p2.P["v"])!.Buffers["exp_avg_sq"]);
    }

    [Fact]
    public void StateDictIsACopy()
    {
        var p = Tensor.From(new float[] { 1, 2, 3 }).RequiresGrad_();
        var opt = new SGD([p], lr: 0.1, momentum: 0.9);
        p.Grad = Tensor.From(new float[] { 1, 1, 1 });
        opt.Step();
        var sd = opt.StateDict();
        opt.Step();
        TensorAssert.Equal(Tensor.From(new float[] { 1, 1, 1 }), sd.State[0].Buffers["momentum_buffer"]);
        Assert.Equal(0.1, sd.ParamGroups[0].Options["lr"]);
    }

    [Fact]
    public void StateIsConvertedToTheParameterDtype()
    {
        var p32 = Tensor.From(new float[] { 1, 2 }).RequiresGrad_();
        var a = new Adam([p32], lr: 0.1);
        p32.Grad = Tensor.From(new float[] { 0.5f, -1 });
        a.Step();
        var p64 = Tensor.From(new double[] { 1, 2 }).RequiresGrad_();
        var b = new Adam([p64], lr: 0.1);
        b.LoadStateDict(a.StateDict());
        Assert.Equal(DType.Float64, b.GetState(p64)!.Buffers["exp_avg"].DType);
    }
}
