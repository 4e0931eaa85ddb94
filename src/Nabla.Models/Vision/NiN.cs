namespace Nabla.Models.Vision;

/// <summary>
/// Network in Network (the notes' 7.3), for 224×224 inputs: three <see cref="Block"/>s (96 channels 11×11 stride 4,
/// 256 channels 5×5 pad 2, 384 channels 3×3 pad 1), each followed by MaxPool(3, 2), then Dropout(0.5), a last
/// block with one channel per class, AdaptiveAvgPool2d((1, 1)) and Flatten. No fully connected layer: the global
/// average of each class map is its logit. Any input of side ≥ 67 works.
/// </summary>
public static class NiN
{
    /// <summary>The notes' nin_block: Conv(k, stride, padding), ReLU, then two 1×1 Conv + ReLU (per-pixel MLP).</summary>
    public static Sequential Block(int inChannels, int outChannels, int kernelSize, int stride, int padding, LayerKit? kit = null)
    {
        kit ??= new LayerKit();
        return new Sequential(
            kit.Conv(inChannels, outChannels, kernelSize, stride, padding), new ReLU(),
            kit.Conv(outChannels, outChannels, 1), new ReLU(),
            kit.Conv(outChannels, outChannels, 1), new ReLU());
    }

    public static Sequential Create(int inChannels = 1, int inputSize = 224, int numClasses = 10, int widthDivisor = 1,
        double dropout = 0.5, DType dtype = DType.Float32, Generator? generator = null)
    {
        Shapes.CheckCommon("NiN", inChannels, inputSize, numClasses);
        int s = Shapes.Window(Shapes.Window(inputSize, 11, 4), 3, 2);
        s = Shapes.Window(Shapes.Window(s, 5, 1, 2), 3, 2);
        s = Shapes.Window(Shapes.Window(s, 3, 1, 1), 3, 2);
        Shapes.RequirePositive("NiN", inputSize, s, "NiN needs at least 67×67; resize to 224");
        var kit = new LayerKit(dtype, generator);
        int c1 = Shapes.Scale(96, widthDivisor), c2 = Shapes.Scale(256, widthDivisor), c3 = Shapes.Scale(384, widthDivisor);
        return new Sequential(
            Block(inChannels, c1, 11, 4, 0, kit), new MaxPool2d(3, 2),
            Block(c1, c2, 5, 1, 2, kit), new MaxPool2d(3, 2),
            Block(c2, c3, 3, 1, 1, kit), new MaxPool2d(3, 2),
            kit.Dropout(dropout),
            Block(c3, numClasses, 3, 1, 1, kit),
            new AdaptiveAvgPool2d((1, 1)), new Flatten());
    }
}
