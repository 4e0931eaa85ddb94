namespace Nabla.Models.Vision;

/// <summary>
/// AlexNet as in the notes (7.1), for 224×224 inputs (Fashion-MNIST resized to 224):
/// Conv(C,96,11,stride 4,pad 1), ReLU, MaxPool(3,2), Conv(96,256,5,pad 2), ReLU, MaxPool(3,2),
/// Conv(256,384,3,pad 1), ReLU, Conv(384,384,3,pad 1), ReLU, Conv(384,256,3,pad 1), ReLU, MaxPool(3,2), Flatten,
/// Linear(6400,4096), ReLU, Dropout(0.5), Linear(4096,4096), ReLU, Dropout(0.5), Linear(4096,classes).
/// The notes' network is narrower than the 2012 two-GPU original and than torchvision's alexnet (64/192/384/256/256
/// channels, adaptive pooling), so its parameter count differs from both.
/// </summary>
/// <remarks>
/// <para><see cref="Create"/> accepts any input of side ≥ 65 (the first Linear is sized from it).</para>
/// <para><see cref="Small"/> is the reduced variant for 28×28 inputs without resizing: the 11×11 stride-4 stem becomes
/// a 3×3 stride-1 convolution with padding 1 (everything else unchanged), so 28×28 maps to 256×2×2 before the
/// classifier (Linear(1024, hidden)). Both take a width divisor for the convolutions and the hidden size of the
/// classifier, for quick runs.</para>
/// </remarks>
public static class AlexNet
{
    public static Sequential Create(int inChannels = 1, int inputSize = 224, int numClasses = 10, int widthDivisor = 1,
        int hidden = 4096, double dropout = 0.5, DType dtype = DType.Float32, Generator? generator = null)
    {
        Shapes.CheckCommon("AlexNet", inChannels, inputSize, numClasses);
        int s = Shapes.Window(inputSize, 11, 4, 1);
        return Build("AlexNet", inChannels, inputSize, s, kit => kit.Conv(inChannels, Shapes.Scale(96, widthDivisor), 11, 4, 1),
            numClasses, widthDivisor, hidden, dropout, new LayerKit(dtype, generator));
    }

    public static Sequential Small(int inChannels = 1, int inputSize = 28, int numClasses = 10, int widthDivisor = 1,
        int hidden = 4096, double dropout = 0.5, DType dtype = DType.Float32, Generator? generator = null)
    {
        Shapes.CheckCommon("AlexNet", inChannels, inputSize, numClasses);
        return Build("AlexNet", inChannels, inputSize, inputSize, kit => kit.Conv(inChannels, Shapes.Scale(96, widthDivisor), 3, 1, 1),
            numClasses, widthDivisor, hidden, dropout, new LayerKit(dtype, generator));
    }

    static Sequential Build(string model, int inChannels, int inputSize, int afterStem, Func<LayerKit, Conv2d> stem,
        int numClasses, int widthDivisor, int hidden, double dropout, LayerKit kit)
    {
        int c1 = Shapes.Scale(96, widthDivisor), c2 = Shapes.Scale(256, widthDivisor), c3 = Shapes.Scale(384, widthDivisor);
        int s = Shapes.Window(afterStem, 3, 2);
        s = Shapes.Window(Shapes.Window(s, 5, 1, 2), 3, 2);
        s = Shapes.Window(s, 3, 2);
        Shapes.RequirePositive(model, inputSize, s, "use AlexNet.Small for 28×28 or resize to 224");
        if (hidden < 1) throw new ArgumentException($"{model}: hidden size must be positive, got {hidden}.");
        return new Sequential(
            stem(kit), new ReLU(), new MaxPool2d(3, 2),
            kit.Conv(c1, c2, 5, padding: 2), new ReLU(), new MaxPool2d(3, 2),
            kit.Conv(c2, c3, 3, padding: 1), new ReLU(),
            kit.Conv(c3, c3, 3, padding: 1), new ReLU(),
            kit.Conv(c3, c2, 3, padding: 1), new ReLU(), new MaxPool2d(3, 2),
            new Flatten(),
            kit.Linear(c2 * s * s, hidden), new ReLU(), kit.Dropout(dropout),
            kit.Linear(hidden, hidden), new ReLU(), kit.Dropout(dropout),
            kit.Linear(hidden, numClasses));
    }
}
