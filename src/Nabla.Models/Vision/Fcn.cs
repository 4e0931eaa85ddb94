namespace Nabla.Models.Vision;

/// <summary>
/// A fully convolutional network (the notes' 13.11, Long et al. 2015) sized for 28×28 images: a convolutional body
/// brings the image to 1/4 of its size (two 3×3 convolutions, each followed by ReLU and a 2×2 max pool), a 1×1
/// convolution turns its channels into one score map per class, and a transposed convolution (kernel 8, stride 4,
/// padding 2) enlarges the maps back to the input's size, starting as bilinear interpolation
/// (<see cref="Init.BilinearUpsampling"/>). The output [N, classes, H, W] is per-pixel logits for
/// <see cref="Functional.CrossEntropy"/> against class maps [N, H, W]. The notes use a pretrained ResNet-18 body and
/// a stride of 32 for 320×480 images; a 28×28 image has too few pixels for that stride.
/// </summary>
public static class Fcn
{
    public static Sequential Create(int classes, int inChannels = 1, int width = 32, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (classes < 2 || inChannels < 1 || width < 1)
            throw new ArgumentException($"Fcn: needs at least 2 classes and positive channels and width, got {classes}, {inChannels}, {width}.");
        var kit = new LayerKit(dtype, generator);
        var upsample = new ConvTranspose2d(classes, classes, 8, stride: 4, padding: 2, dtype: dtype, generator: generator);
        Init.BilinearUpsampling(upsample.Weight);
        return new Sequential(
            kit.Conv(inChannels, width, 3, padding: 1), new ReLU(), new MaxPool2d(2),
            kit.Conv(width, 2 * width, 3, padding: 1), new ReLU(), new MaxPool2d(2),
            kit.Conv(2 * width, classes, 1), upsample);
    }
}
