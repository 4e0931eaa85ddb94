using Nabla.NN;
using Nabla.Tests.Support;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.NN;

/// <summary>Parameter layout and default initialisation of the convolution layers, and batch-parallel consistency.</summary>
public class ConvLayerTests
{
    [Fact]
    public void Conv2dParametersFollowPyTorchNamesShapesAndInit()
    {
        var conv = new Conv2d(4, 6, (3, 2), groups: 2, generator: new Generator(1));
        Assert.Equal(["weight [6, 2, 3, 2]", "bias [6]"], conv.NamedParameters().Select(p => $"{p.Name} [{string.Join(", ", p.Tensor.Shape)}]"));
        // kaiming_uniform(a=√5) gives U(±1/√fan_in); the bias uses the same bound. fan_in = (in/groups)·kh·kw = 12.
        double bound = 1 / Math.Sqrt(12);
        var w = TensorAssert.Flat(conv.Weight);
        var b = TensorAssert.Flat(conv.Bias!);
        Assert.All(w, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.All(b, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.True(w.Max() - w.Min() > bound, "weights should spread over most of ±bound");
        TensorAssert.Equal(conv.Weight, new Conv2d(4, 6, (3, 2), groups: 2, generator: new Generator(1)).Weight);
        Assert.Null(new Conv2d(1, 2, 3, bias: false).Bias);
        Assert.Equal(DType.Float64, new Conv1d(1, 2, 3, dtype: DType.Float64).Weight.DType);
    }

    [Fact]
    public void ConvTransposeWeightIsInByOutPerGroup()
    {
        var conv = new ConvTranspose2d(4, 6, 3, groups: 2, generator: new Generator(2));
        Assert.Equal([4, 3, 3, 3], conv.Weight.Shape);
        Assert.Equal([6], conv.Bias!.Shape);
        // PyTorch computes fan_in from the weight tensor as given: size(1)·k·k = 3·9.
        double bound = 1 / Math.Sqrt(27);
        Assert.All(TensorAssert.Flat(conv.Weight), v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.All(TensorAssert.Flat(conv.Bias), v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.Equal([2, 6, 10, 10], conv.Forward(Tensor.Zeros(2, 4, 8, 8)).Shape);
        Assert.Equal([2, 6, 14], new ConvTranspose1d(4, 6, 3, stride: 2, outputPadding: 1, groups: 2).Forward(Tensor.Zeros(2, 4, 6)).Shape);
    }

    [Theory]
    [InlineData(3, 1, 1, false)]  // im2col path
    [InlineData(1, 1, 0, false)]  // pointwise path
    [InlineData(3, 2, 1, true)]   // transposed
    public void BatchedRunEqualsImageByImage(int kernel, int stride, int padding, bool transposed)
    {
        // Large enough per image for the batch to be spread over workers (where the machine has several cores).
        var gen = new Generator(3);
        var x = Tensor.Randn([5, 16, 12, 12], DType.Float64, gen).RequiresGrad_();
        var w = Tensor.Randn(transposed ? [16, 8, kernel, kernel] : [32, 16, kernel, kernel], DType.Float64, gen).RequiresGrad_();
        var upstream = Tensor.Randn(Conv(x, w).Shape, DType.Float64, gen);
        Conv(x, w).Backward(upstream);
        var (dx, dw) = (x.Grad!, w.Grad!);

        var wGrad = Tensor.Zeros(w.Shape, DType.Float64);
        for (int i = 0; i < 5; i++)
        {
            var xi = x.Detach().Narrow(0, i, 1).Contiguous().RequiresGrad_();
            var wi = w.Detach().Clone().RequiresGrad_();
            var yi = Conv(xi, wi);
            TensorAssert.Equal(Conv(x.Detach(), w.Detach()).Narrow(0, i, 1), yi, $"output of image {i}");
            yi.Backward(upstream.Narrow(0, i, 1));
            TensorAssert.Equal(dx.Narrow(0, i, 1), xi.Grad!, $"input gradient of image {i}");
            wGrad = wGrad + wi.Grad!;
        }
        TensorAssert.Close(wGrad, dw, 1e-12, 1e-12, "weight gradient");

        Tensor Conv(Tensor a, Tensor b) => transposed
            ? F.ConvTranspose2d(a, b, stride: stride, padding: padding, outputPadding: stride - 1)
            : F.Conv2d(a, b, stride: stride, padding: padding);
    }

    [Fact]
    public void MaxPoolIndicesAreFlatPerPlaneAndWorkUnbatched()
    {
        var x = Tensor.From(new float[] { 1, 5, 2, 0, 3, 4, 9, 8, 7, 6, 2, 1, 0, 1, 1, 3 }, 1, 4, 4);
        var (y, idx) = new MaxPool2d(2).ForwardWithIndices(x);
        Assert.Equal([1, 2, 2], y.Shape);
        Assert.Equal(new float[] { 5, 9, 7, 3 }, y.ToArray<float>());
        Assert.Equal(new long[] { 1, 6, 8, 15 }, idx.ToArray<long>());
        Assert.Equal(DType.Int64, idx.DType);
    }

    [Fact]
    public void GlobalPoolsGiveBatchByChannels()
    {
        var x = Tensor.Randn([2, 3, 4, 5], DType.Float32, new Generator(4));
        Assert.Equal([2, 3], new GlobalAvgPool2d().Forward(x).Shape);
        Assert.Equal([2, 3, 1, 1], new GlobalMaxPool2d(keepDim: true).Forward(x).Shape);
        Assert.Equal([3], new GlobalMaxPool2d().Forward(x.Select(0, 1)).Shape);
        TensorAssert.Close(x.Mean([2, 3]), new GlobalAvgPool2d().Forward(x));
        Assert.Equal("GlobalAvgPool2d()", new GlobalAvgPool2d().ToString());
        Assert.Equal("GlobalMaxPool2d(keepdim=True)", new GlobalMaxPool2d(true).ToString());
    }

    [Fact]
    public void EmptyBatchGivesEmptyOutputsAndGradients()
    {
        var conv = new Conv2d(2, 3, 3, padding: 1);
        var x = Tensor.Zeros(0, 2, 5, 5).RequiresGrad_();
        var y = new MaxPool2d(2).Forward(conv.Forward(x));
        Assert.Equal([0, 3, 2, 2], y.Shape);
        y.Sum().Backward();
        Assert.Equal([0, 2, 5, 5], x.Grad!.Shape);
        Assert.All(TensorAssert.Flat(conv.Weight.Grad!), v => Assert.Equal(0, v));
    }
}
