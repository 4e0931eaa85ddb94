using Nabla.NN;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.NN;

/// <summary>Module-level behaviour of the activation and normalisation layers: reprs, state, modes, initialisation.</summary>
public class NormActModuleTests
{
    // Texts printed by PyTorch 1.13 for the same constructions (repr(module)).
    [Fact]
    public void ReprsMatchPyTorch()
    {
        Assert.Equal("Sigmoid()", new Sigmoid().ToString());
        Assert.Equal("ReLU()", new ReLU().ToString());
        Assert.Equal("LeakyReLU(negative_slope=0.01)", new LeakyReLU().ToString());
        Assert.Equal("LeakyReLU(negative_slope=0.2)", new LeakyReLU(0.2).ToString());
        Assert.Equal("PReLU(num_parameters=3)", new PReLU(3, init: 0.1).ToString());
        Assert.Equal("ELU(alpha=1.0)", new ELU().ToString());
        Assert.Equal("ELU(alpha=0.5)", new ELU(0.5).ToString());
        Assert.Equal("SELU()", new SELU().ToString());
        Assert.Equal("GELU(approximate='none')", new GELU().ToString());
        Assert.Equal("GELU(approximate='tanh')", new GELU("tanh").ToString());
        Assert.Equal("SiLU()", new SiLU().ToString());
        Assert.Equal("Softplus(beta=1, threshold=20)", new Softplus().ToString());
        Assert.Equal("Softplus(beta=0.5, threshold=7.5)", new Softplus(0.5, 7.5).ToString());
        Assert.Equal("Softmax(dim=1)", new Softmax(1).ToString());
        Assert.Equal("LogSoftmax(dim=-1)", new LogSoftmax(-1).ToString());
        Assert.Equal("BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", new BatchNorm1d(4).ToString());
        Assert.Equal("BatchNorm2d(3, eps=1e-05, momentum=None, affine=False, track_running_stats=False)",
            new BatchNorm2d(3, momentum: null, affine: false, trackRunningStats: false).ToString());
        Assert.Equal("BatchNorm2d(3, eps=0.001, momentum=0.25, affine=True, track_running_stats=True)", new BatchNorm2d(3, eps: 1e-3, momentum: 0.25).ToString());
        Assert.Equal("LayerNorm((4,), eps=1e-05, elementwise_affine=True)", new LayerNorm(4).ToString());
        Assert.Equal("LayerNorm((3, 4), eps=1e-06, elementwise_affine=False)", new LayerNorm([3, 4], eps: 1e-6, elementwiseAffine: false).ToString());
        Assert.Equal("GroupNorm(2, 6, eps=1e-05, affine=True)", new GroupNorm(2, 6).ToString());
        Assert.Equal("GroupNorm(3, 6, eps=0.0001, affine=False)", new GroupNorm(3, 6, eps: 1e-4, affine: false).ToString());
        Assert.Equal("Maxout(in_features=4, out_features=3, pieces=2, bias=True)", new Maxout(4, 3, 2).ToString());
        Assert.Equal("Step(signed=False)", new Step().ToString());
    }

    [Fact]
    public void StateDictNamesFollowPyTorch()
    {
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], new BatchNorm2d(3).StateDict().Keys);
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], new BatchNorm1d(3, affine: false).StateDict().Keys);
        Assert.Empty(new BatchNorm1d(3, affine: false, trackRunningStats: false).StateDict().Keys);
        Assert.Equal(["weight", "bias"], new LayerNorm([2, 3]).StateDict().Keys);
        Assert.Equal(["weight", "bias"], new GroupNorm(2, 4).StateDict().Keys);
        Assert.Equal(["weight"], new PReLU().StateDict().Keys);
        Assert.Equal(["weight", "bias"], new Maxout(3, 2, 4).StateDict().Keys);
        var bn = new BatchNorm2d(3);
        Assert.Equal(DType.Int64, bn.NumBatchesTracked!.DType);
        Assert.Equal(2, bn.Parameters().Count());
    }

    [Fact]
    public void DefaultInitialisationMatchesPyTorch()
    {
        var bn = new BatchNorm1d(3, dtype: DType.Float64);
        Assert.Equal([1.0, 1, 1], bn.Weight!.ToArray<double>());
        Assert.Equal([0.0, 0, 0], bn.Bias!.ToArray<double>());
        Assert.Equal([0.0, 0, 0], bn.RunningMean!.ToArray<double>());
        Assert.Equal([1.0, 1, 1], bn.RunningVar!.ToArray<double>());
        Assert.Equal([0.25f], new PReLU().Weight.ToArray<float>());
        Assert.Equal([2], new LayerNorm([2]).Weight!.Shape);

        // Maxout: Linear's default, U(±1/√in) for both weight (Kaiming-uniform, a = √5) and bias; seeded.
        var a = new Maxout(16, 3, 2, generator: new Generator(7));
        var b = new Maxout(16, 3, 2, generator: new Generator(7));
        Assert.Equal([6, 16], a.Weight.Shape);
        Assert.Equal(a.Weight.ToArray<float>(), b.Weight.ToArray<float>());
        Assert.All(a.Weight.ToArray<float>(), v => Assert.InRange(v, -0.25f, 0.25f));
        Assert.All(a.Bias!.ToArray<float>(), v => Assert.InRange(v, -0.25f, 0.25f));
    }

    [Fact]
    public void BatchNormRunningStatisticsFollowMomentumAndUnbiasedVariance()
    {
        var x = Tensor.From(new double[,] { { 1, 10 }, { 3, 10 }, { 8, 13 } });
        var bn = new BatchNorm1d(2, momentum: 0.5, dtype: DType.Float64);
        var y = bn.Forward(x);
        // Batch mean (4, 11); biased variance (26/3, 2) normalises, unbiased (13, 3) updates the running variance.
        Assert.Equal([2.0, 5.5], bn.RunningMean!.ToArray<double>());
        Assert.Equal([7.0, 2.0], bn.RunningVar!.ToArray<double>());
        Assert.Equal(1L, bn.NumBatchesTracked!.Item<long>());
        Assert.Equal((1 - 4) / Math.Sqrt(26.0 / 3 + 1e-5), y.ToArray<double>()[0], 12);

        // Eval mode uses and keeps the running statistics.
        bn.Eval();
        var e = bn.Forward(x);
        Assert.Equal((1 - 2.0) / Math.Sqrt(7 + 1e-5), e.ToArray<double>()[0], 12);
        Assert.Equal([2.0, 5.5], bn.RunningMean!.ToArray<double>());
        Assert.Equal(1L, bn.NumBatchesTracked!.Item<long>());
    }

    [Fact]
    public void MomentumNoneIsTheCumulativeAverage()
    {
        var bn = new BatchNorm1d(1, momentum: null, dtype: DType.Float64);
        double[][] batches = [[0, 2], [4, 8], [1, 1, 1, 5]];
        foreach (var b in batches) bn.Forward(Tensor.From(b, b.Length, 1));
        Assert.Equal(3L, bn.NumBatchesTracked!.Item<long>());
        Assert.Equal((1 + 6 + 2) / 3.0, bn.RunningMean!.Item(), 12);
        Assert.Equal((2 + 8 + 4) / 3.0, bn.RunningVar!.Item(), 12);   // unbiased variances 2, 8, 4
    }

    [Fact]
    public void BatchNormWithoutRunningStatsUsesTheBatchInBothModes()
    {
        var bn = new BatchNorm1d(2, trackRunningStats: false);
        var x = Tensor.From(new float[,] { { 1, 2 }, { 3, 6 } });
        var train = bn.Forward(x).ToArray<float>();
        var eval = bn.Eval().Forward(x).ToArray<float>();
        Assert.Equal(train, eval);
        Assert.Null(bn.RunningMean);
    }

    [Fact]
    public void ResetParametersRestoresTheDefaults()
    {
        var bn = new BatchNorm1d(2);
        bn.Forward(Tensor.From(new float[,] { { 1, 2 }, { 3, 7 } }));
        using (new Nabla.Autograd.NoGrad()) bn.Weight!.FillInPlace(3);
        bn.ResetParameters();
        Assert.Equal([0f, 0f], bn.RunningMean!.ToArray<float>());
        Assert.Equal([1f, 1f], bn.RunningVar!.ToArray<float>());
        Assert.Equal(0L, bn.NumBatchesTracked!.Item<long>());
        Assert.Equal([1f, 1f], bn.Weight!.ToArray<float>());
    }

    [Fact]
    public void LayerNormAndGroupNormIgnoreTheMode()
    {
        var x = Tensor.Randn([2, 4, 3], generator: new Generator(3));
        var ln = new LayerNorm(3);
        var gn = new GroupNorm(2, 4);
        Assert.Equal(ln.Forward(x).ToArray<float>(), ln.Eval().Forward(x).ToArray<float>());
        Assert.Equal(gn.Forward(x).ToArray<float>(), gn.Eval().Forward(x).ToArray<float>());
    }

    [Fact]
    public void StepConventions()
    {
        var x = Tensor.From([-2f, -0f, 0f, 1e-30f, 3f, float.NaN]);
        Assert.Equal([0f, 1f, 1f, 1f, 1f, float.NaN], F.Heaviside(x).ToArray<float>());
        Assert.Equal([-1f, -1f, -1f, 1f, 1f, float.NaN], F.PerceptronSign(x).ToArray<float>());
    }

    [Fact]
    public void ErfSpecialValues()
    {
        var x = Tensor.From([0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-300, 30]);
        var y = x.Erf().ToArray<double>();
        Assert.Equal(0.0, y[0]);
        Assert.Equal(1.0, y[1]);
        Assert.Equal(-1.0, y[2]);
        Assert.True(double.IsNaN(y[3]));
        Assert.Equal(1.1283791670955126e-300, y[4], 1e-310);
        Assert.Equal(1.0, y[5]);
        Assert.Equal(DType.Float32, Tensor.From([1L, 2L]).Erf().DType);
    }

    [Fact]
    public void MaxoutModuleIsTheMaxOfItsPieces()
    {
        var m = new Maxout(3, 2, 2, dtype: DType.Float64, generator: new Generator(9));
        var x = Tensor.Randn([4, 3], DType.Float64, new Generator(10));
        var z = x.MatMul(m.Weight.T()) + m.Bias!;
        var expected = Tensor.Maximum(z.Slice(1, 0, 4, 2), z.Slice(1, 1, 4, 2));
        Assert.Equal(expected.ToArray<double>(), m.Forward(x).ToArray<double>());
        Assert.Equal([5, 7, 2], m.Forward(Tensor.Zeros([5, 7, 3], DType.Float64)).Shape);
    }
}
