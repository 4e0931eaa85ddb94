namespace Nabla.Models.Vision;

/// <summary>
/// VGG (the notes' 7.2): a body of <see cref="Block"/>s given by an architecture list of (convolutions, channels)
/// pairs, then Flatten, Linear(c·s·s, 4096), ReLU, Dropout(0.5), Linear(4096, 4096), ReLU, Dropout(0.5),
/// Linear(4096, classes). Each block halves the side, so the classifier sees s = n / 2^blocks (7 for 224 and five
/// blocks). <see cref="Vgg11"/> is the notes' VGG-11; with 3 input channels, 224×224 inputs and 1000 classes its
/// parameter count equals torchvision's vgg11 (whose adaptive 7×7 pooling is the identity at 224), though the
/// parameter names differ (torchvision splits features/classifier).
/// </summary>
/// <remarks>
/// The width divisor is the notes' "ratio" for small runs (they use 4): it divides every convolution's channels.
/// The notes keep the 4096-wide classifier in the small network; <c>hidden</c> sets it separately.
/// </remarks>
public static class Vgg
{
    /// <summary>VGG-11: 8 convolutions in 5 blocks (plus 3 fully connected layers).</summary>
    public static readonly IReadOnlyList<(int NumConvs, int OutChannels)> Vgg11Arch =
        [(1, 64), (1, 128), (2, 256), (2, 512), (2, 512)];

    /// <summary>
    /// The notes' vgg_block: <paramref name="numConvs"/> × (3×3 convolution with padding 1, ReLU), then a 2×2 max pool
    /// with stride 2.
    /// </summary>
    public static Sequential Block(int numConvs, int inChannels, int outChannels, LayerKit? kit = null)
    {
        if (numConvs < 1) throw new ArgumentException($"vgg_block: number of convolutions must be positive, got {numConvs}.");
        kit ??= new LayerKit();
        var block = new Sequential();
        for (int i = 0; i < numConvs; i++)
        {
            block.Add(kit.Conv(inChannels, outChannels, 3, padding: 1)).Add(new ReLU());
            inChannels = outChannels;
        }
        return block.Add(new MaxPool2d(2, 2));
    }

    public static Sequential Create(IReadOnlyList<(int NumConvs, int OutChannels)> arch, int inChannels = 1, int inputSize = 224,
        int numClasses = 10, int widthDivisor = 1, int hidden = 4096, double dropout = 0.5,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        Shapes.CheckCommon("VGG", inChannels, inputSize, numClasses);
        if (arch.Count == 0) throw new ArgumentException("VGG: the architecture list is empty.");
        if (hidden < 1) throw new ArgumentException($"VGG: hidden size must be positive, got {hidden}.");
        var kit = new LayerKit(dtype, generator);
        var net = new Sequential();
        int channels = inChannels, side = inputSize;
        foreach (var (numConvs, outChannels) in arch)
        {
            int width = Shapes.Scale(outChannels, widthDivisor);
            net.Add(Block(numConvs, channels, width, kit));
            channels = width;
            side = Shapes.Window(side, 2, 2);
        }
        Shapes.RequirePositive("VGG", inputSize, side, $"{arch.Count} blocks halve the side {arch.Count} times; resize to 224");
        return net.Add(new Flatten())
            .Add(kit.Linear(channels * side * side, hidden)).Add(new ReLU()).Add(kit.Dropout(dropout))
            .Add(kit.Linear(hidden, hidden)).Add(new ReLU()).Add(kit.Dropout(dropout))
            .Add(kit.Linear(hidden, numClasses));
    }

    public static Sequential Vgg11(int inChannels = 1, int inputSize = 224, int numClasses = 10, int widthDivisor = 1,
        int hidden = 4096, double dropout = 0.5, DType dtype = DType.Float32, Generator? generator = null) =>
        Create(Vgg11Arch, inChannels, inputSize, numClasses, widthDivisor, hidden, dropout, dtype, generator);
}
