using System.Text.Json;
using Nabla.NN;
using Nabla.Tests.Support;
using Nabla.Vision;

namespace Nabla.Tests.Vision;

/// <summary>
/// The segmentation basics against PyTorch (tools/golden/segmentation.py): FCN's bilinear upsampling kernel and the
/// upsampling it performs through a transposed convolution, the per-pixel cross-entropy, and the metrics.
/// </summary>
public class SegmentationTests
{
    static readonly Dictionary<string, JsonElement> Cases = GoldenFixture.RawCases("segmentation");

    static Tensor T(string name, string field) => GoldenFixture.ReadTensor(Cases[name].GetProperty(field));

    [Theory]
    [InlineData("kernel_4")]
    [InlineData("kernel_3")]
    public void BilinearKernelMatchesTheNotes(string name)
    {
        int channels = Cases[name].GetProperty("channels").GetInt32(), k = Cases[name].GetProperty("k").GetInt32();
        var weight = Init.BilinearUpsampling(Tensor.Zeros([channels, channels, k, k], DType.Float64));
        TensorAssert.Equal(T(name, "weight"), weight);
    }

    [Fact]
    public void ATransposedConvolutionWithTheKernelUpsamplesAsInPyTorch()
    {
        var layer = new ConvTranspose2d(3, 3, 4, stride: 2, padding: 1, bias: false, dtype: DType.Float64);
        Init.BilinearUpsampling(layer.Weight);
        var output = layer.Forward(T("upsample_2x", "input"));
        Assert.Equal([1, 3, 10, 10], output.Shape);
        TensorAssert.Close(T("upsample_2x", "output"), output, 1e-12, 1e-12);
    }

    [Fact]
    public void PerPixelCrossEntropyMatchesPyTorch()
    {
        var logits = T("pixel_cross_entropy", "logits").RequiresGrad_();
        var loss = Functional.CrossEntropy(logits, T("pixel_cross_entropy", "target"));
        Assert.Equal(Cases["pixel_cross_entropy"].GetProperty("loss").GetDouble(), loss.Item(), 1e-12);
        loss.Backward();
        TensorAssert.Close(T("pixel_cross_entropy", "grad"), logits.Grad!, 1e-10, 1e-12);
    }

    [Fact]
    public void MetricsMatchTheReference()
    {
        var m = new SegmentationMetrics(Cases["metrics"].GetProperty("classes").GetInt32());
        var prediction = T("metrics", "prediction");
        var target = T("metrics", "target");
        // Counted in two batches: the figures are over all pixels seen.
        m.Add(prediction.Narrow(0, 0, 1), target.Narrow(0, 0, 1));
        m.Add(prediction.Narrow(0, 1, 1), target.Narrow(0, 1, 1));
        Assert.Equal(T("metrics", "confusion").ToArray<long>(), m.Confusion.ToArray<long>());
        Assert.Equal(Cases["metrics"].GetProperty("pixel_accuracy").GetDouble(), m.PixelAccuracy, 12);
        Assert.Equal(Cases["metrics"].GetProperty("mean_iou").GetDouble(), m.MeanIou, 12);
        Assert.Equal(30, m.Pixels);
    }

    [Fact]
    public void MetricsOfHandWorkedMapsAndBadInput()
    {
        // Truth 0 0 1 1, prediction 0 1 1 1: accuracy 3/4; IoU of class 0 = 1/2, of class 1 = 2/3.
        var m = new SegmentationMetrics(3);
        Assert.True(double.IsNaN(m.PixelAccuracy));
        m.Add(Tensor.From(new long[] { 0, 1, 1, 1 }, 1, 4), Tensor.From(new long[] { 0, 0, 1, 1 }, 1, 4));
        Assert.Equal(0.75, m.PixelAccuracy);
        Assert.Equal((0.5 + 2 / 3.0) / 2, m.MeanIou, 12);   // class 2 appears nowhere: left out
        Assert.Contains("must be int64 class maps", Assert.Throws<ArgumentException>(() => m.Add(Tensor.Zeros(1, 4), Tensor.Zeros(1, 4))).Message);
        Assert.Contains("must have the same shape", Assert.Throws<ArgumentException>(() => m.Add(Tensor.From(new long[] { 0 }, 1), Tensor.From(new long[] { 0, 0 }, 2))).Message);
        Assert.Contains("class 3 is outside 0..2", Assert.Throws<ArgumentException>(() => m.Add(Tensor.From(new long[] { 0, 3 }, 2), Tensor.From(new long[] { 0, 0 }, 2))).Message);
        Assert.Equal(4, m.Pixels);   // the refused batch counted nothing, not even its valid first pixel
        Assert.Equal(0.75, m.PixelAccuracy);
        Assert.Contains("needs a transposed convolution's weight [channels, channels, k, k], got shape [2, 3, 4, 4]",
            Assert.Throws<ArgumentException>(() => Init.BilinearUpsampling(Tensor.Zeros(2, 3, 4, 4))).Message);
    }
}
