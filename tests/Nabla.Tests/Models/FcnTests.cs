using Nabla.Data;
using Nabla.Models.Vision;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Support;
using Nabla.Vision;

namespace Nabla.Tests.Models;

/// <summary>
/// The FCN on a segmentation task made from real images: each Fashion-MNIST pixel brighter than 0.2 belongs to the
/// item's class (1–10), the rest is background (0). Five epochs on 2,048 images of the shipped sample must label
/// 256 held-out images clearly better than the all-background guess. Measured (2026-11-29): untrained, pixel accuracy
/// 0.033 and mean IoU 0.011; trained, 0.691 and 0.279, against 0.572 for all background.
/// </summary>
public class FcnTests
{
    static (Tensor Images, Tensor Masks) Masks(TensorDataset data, int count)
    {
        var images = data.Inputs.Narrow(0, 0, count);
        var labels = data.Targets.Narrow(0, 0, count).Reshape(count, 1, 1) + 1L;
        var masks = images.Reshape(count, 28, 28).Gt(0.2).To(DType.Int64) * labels;
        return (images, masks);
    }

    [Fact]
    public void ShapesAndStartingUpsampler()
    {
        var fcn = Fcn.Create(classes: 11);
        Assert.Equal([2, 11, 28, 28], fcn.Forward(Tensor.Rand(2, 1, 28, 28)).Shape);
        var upsample = (ConvTranspose2d)fcn[7];
        Assert.Equal(Init.BilinearUpsampling(Tensor.Zeros(11, 11, 8, 8)).ToArray<float>(), upsample.Weight.ToArray<float>());
        Assert.Contains("at least 2 classes", Assert.Throws<ArgumentException>(() => Fcn.Create(1)).Message);
    }

    [Fact]
    public void LearnsToSegmentFashionMnistItems()
    {
        string sample = RepoPaths.InRepo("data", "fashion-mnist-sample");
        var (trainImages, trainMasks) = Masks(FashionMnist.Load(sample, train: true), 2048);
        var (testImages, testMasks) = Masks(FashionMnist.Load(sample, train: false), 256);
        var fcn = Fcn.Create(classes: 11, generator: new Generator(3));
        var optimizer = new Adam(fcn.Parameters(), lr: 3e-3);
        for (int epoch = 0; epoch < 5; epoch++)
            for (int start = 0; start < 2048; start += 32)
            {
                optimizer.ZeroGrad();
                Functional.CrossEntropy(fcn.Forward(trainImages.Narrow(0, start, 32)), trainMasks.Narrow(0, start, 32)).Backward();
                optimizer.Step();
            }
        var metrics = new SegmentationMetrics(11);
        using (new Nabla.Autograd.NoGrad()) metrics.Add(fcn.Forward(testImages).ArgMax(1), testMasks);
        double background = testMasks.Eq(0L).To(DType.Float64).Mean().Item();
        Console.WriteLine($"fcn: pixel accuracy {metrics.PixelAccuracy:F4} (all background {background:F4}), mean IoU {metrics.MeanIou:F4}");
        Assert.True(metrics.PixelAccuracy > background + 0.08, $"pixel accuracy {metrics.PixelAccuracy}, all-background {background}");
        Assert.True(metrics.MeanIou > 0.2, $"mean IoU {metrics.MeanIou}");
    }
}
