using Nabla.NN;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.NN;

/// <summary>Wrong ranks, channel counts, shapes and dtypes must fail with messages that name the layer or op and the shapes.</summary>
public class NormActBadInputTests
{
    static void Throws<TException>(Func<object> action, params string[] fragments) where TException : Exception
    {
        var e = Assert.Throws<TException>(action);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
    }

    [Fact]
    public void BatchNorm2dOnThreeDims() =>
        Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(2, 3, 4)), "BatchNorm2d", "expected 4D input", "[2, 3, 4]");

    [Fact]
    public void BatchNorm1dOnFourDims() =>
        Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(2, 3, 4, 5)), "BatchNorm1d", "expected 2D or 3D input", "[2, 3, 4, 5]");

    [Fact]
    public void BatchNormWrongChannels() =>
        Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(8, 4, 5, 5)), "BatchNorm2d: expected input with 3 channels, got shape [8, 4, 5, 5]");

    [Fact]
    public void BatchNormOneValuePerChannelWhenTraining()
    {
        var m = new BatchNorm1d(4);
        Throws<ArgumentException>(() => m.Forward(Tensor.Ones(1, 4)), "BatchNorm1d", "Expected more than 1 value per channel when training", "[1, 4]");
        Throws<ArgumentException>(() => new BatchNorm2d(2).Forward(Tensor.Ones(1, 2, 1, 1)), "BatchNorm2d", "more than 1 value per channel", "[1, 2, 1, 1]");
        Assert.Equal(0L, m.NumBatchesTracked!.Item<long>());   // a refused batch is not counted
        m.Eval();
        Assert.Equal([1, 4], m.Forward(Tensor.Ones(1, 4)).Shape);   // eval mode uses the running statistics: fine
    }

    [Fact]
    public void BatchNormWithoutRunningStatsNeedsTwoValuesEvenInEval() =>
        Throws<ArgumentException>(() => new BatchNorm1d(3, trackRunningStats: false).Eval().Forward(Tensor.Ones(1, 3)), "BatchNorm1d", "more than 1 value per channel");

    [Fact]
    public void FunctionalBatchNormWrongStatistics() =>
        Throws<ArgumentException>(() => F.BatchNorm(Tensor.Zeros(4, 3), Tensor.Zeros(2), Tensor.Ones(2)), "batch_norm", "running_mean of shape [2]", "[4, 3]");

    [Fact]
    public void FunctionalBatchNormOnOneDim() =>
        Throws<ArgumentException>(() => F.BatchNorm(Tensor.Zeros(4), null, null, training: true), "batch_norm", "[4]");

    [Fact]
    public void LayerNormShapeMismatch() =>
        Throws<ArgumentException>(() => new LayerNorm(4).Forward(Tensor.Zeros(2, 3)), "LayerNorm", "normalized_shape=[4]", "[*, 4]", "[2, 3]");

    [Fact]
    public void LayerNormTwoDimsMismatch() =>
        Throws<ArgumentException>(() => F.LayerNorm(Tensor.Zeros(2, 3, 4), [4, 3]), "layer_norm", "normalized_shape=[4, 3]", "[2, 3, 4]");

    [Fact]
    public void LayerNormTooManyDims() =>
        Throws<ArgumentException>(() => new LayerNorm([2, 3, 4]).Forward(Tensor.Zeros(3, 4)), "LayerNorm", "[3, 4]");

    [Fact]
    public void GroupNormGroupsMustDivideChannels()
    {
        Throws<ArgumentException>(() => new GroupNorm(4, 6), "GroupNorm", "num_channels (6)", "num_groups (4)");
        Throws<ArgumentException>(() => F.GroupNorm(Tensor.Zeros(2, 6, 4), 4), "group_norm", "[2, 6, 4]", "num_groups=4");
    }

    [Fact]
    public void GroupNormWrongChannels() =>
        Throws<ArgumentException>(() => new GroupNorm(2, 6).Forward(Tensor.Zeros(2, 4, 3)), "GroupNorm", "[N, 6, *]", "[2, 4, 3]");

    [Fact]
    public void PreluWrongChannelCount() =>
        Throws<ArgumentException>(() => new PReLU(3).Forward(Tensor.Zeros(2, 4, 5)), "prelu", "[3]", "[2, 4, 5]");

    [Fact]
    public void GeluUnknownApproximation()
    {
        Throws<ArgumentException>(() => new GELU("erf"), "GELU", "'erf'");
        Throws<ArgumentException>(() => F.Gelu(Tensor.Zeros(2), "fast"), "gelu", "'fast'", "[2]");
    }

    [Fact]
    public void MaxoutPiecesMustDivideFeatures() =>
        Throws<ArgumentException>(() => F.Maxout(Tensor.Zeros(2, 5), pieces: 2, dim: 1), "maxout", "[2, 5]", "pieces=2");

    [Fact]
    public void MaxoutModuleWrongFeatures() =>
        Throws<ArgumentException>(() => new Maxout(4, 3, 2).Forward(Tensor.Zeros(2, 5)), "Maxout", "4 features", "[2, 5]");

    [Fact]
    public void SoftmaxNeedsFloatingInput() =>
        Throws<ArgumentException>(() => Tensor.Zeros([2, 3], DType.Int64).Softmax(1), "softmax", "int64", "[2, 3]");

    [Fact]
    public void LogSoftmaxDimOutOfRange() =>
        Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 3).LogSoftmax(2), "log_softmax", "dimension 2");

    [Fact]
    public void LeakyReluNeedsFloatingInput() =>
        Throws<ArgumentException>(() => F.LeakyRelu(Tensor.Zeros([4], DType.Int64)), "leaky_relu", "int64", "[4]");

    [Fact]
    public void ErfRefusesBool() =>
        Throws<ArgumentException>(() => Tensor.Zeros([3], DType.Bool).Erf(), "erf", "bool", "[3]");

    [Fact]
    public void BackwardThroughTheStepFunctionIsRefused()
    {
        var x = Tensor.From([0.5f, -1f, 0f]).RequiresGrad_();
        var e = Assert.Throws<InvalidOperationException>(() => (new Step().Forward(x) * x).Sum().Backward());
        Assert.Contains("heaviside", e.Message);
        Assert.Contains("[3]", e.Message);
        var s = Assert.Throws<InvalidOperationException>(() => F.PerceptronSign(x).Sum().Backward());
        Assert.Contains("perceptron_sign", s.Message);
        // Detached input: the step is a constant in the graph and backward is fine. (The refused passes above had
        // already accumulated the Mul branch into x.Grad before reaching the step, so start afresh.)
        x.ZeroGrad();
        (F.Heaviside(x.Detach()) * x).Sum().Backward();
        Assert.Equal([1f, 0f, 1f], x.Grad!.ToArray<float>());
    }
}
