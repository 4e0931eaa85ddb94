namespace Nabla.Models.Vision;

/// <summary>
/// The notes' residual block (7.6): Y = ReLU(bn1(conv1(X))), Y = bn2(conv2(Y)), output ReLU(Y + X), where X passes
/// through a 1×1 convolution (conv3, with the block's stride) when the shape changes. conv1 carries the stride; all
/// convolutions have biases, as in the notes. Registration order (and so the state dict) is the notes':
/// conv1, conv2, conv3 (when present), bn1, bn2.
/// </summary>
public sealed class Residual : Module
{
    readonly Conv2d _conv1, _conv2;
    readonly Conv2d? _conv3;
    readonly BatchNorm2d _bn1, _bn2;

    public Residual(int inChannels, int numChannels, bool use1x1Conv = false, int stride = 1, LayerKit? kit = null)
    {
        kit ??= new LayerKit();
        _conv1 = RegisterModule("conv1", kit.Conv(inChannels, numChannels, 3, stride, 1));
        _conv2 = RegisterModule("conv2", kit.Conv(numChannels, numChannels, 3, padding: 1));
        if (use1x1Conv) _conv3 = RegisterModule("conv3", kit.Conv(inChannels, numChannels, 1, stride));
        _bn1 = RegisterModule("bn1", kit.BatchNorm2d(numChannels));
        _bn2 = RegisterModule("bn2", kit.BatchNorm2d(numChannels));
    }

    public override Tensor Forward(Tensor input)
    {
        var y = _bn1.Forward(_conv1.Forward(input)).Relu();
        y = _bn2.Forward(_conv2.Forward(y));
        var shortcut = _conv3 is null ? input : _conv3.Forward(input);
        return (y + shortcut).Relu();
    }
}

/// <summary>
/// ResNet-18 in the notes' layout (7.6): b1 = Conv(C,64,7,stride 2,pad 3), BatchNorm, ReLU, MaxPool(3,2,pad 1);
/// b2..b5 = two <see cref="Residual"/> blocks each with 64, 128, 256, 512 channels (the first block of b3..b5 halves
/// the side and uses a 1×1 shortcut); then AdaptiveAvgPool2d((1, 1)), Flatten, Linear(512, classes). The notes train
/// it on 96×96 inputs; global pooling makes any input size work.
/// </summary>
/// <remarks>
/// <para><c>baseWidth</c> (64 in the notes) scales every stage: stage k has baseWidth·2^k channels.</para>
/// <para><c>smallInput</c> is the 28×28 variant: the stem becomes a 3×3 stride-1 convolution with padding 1, BatchNorm
/// and ReLU, without the max pool (b1 keeps its name, so the state-dict layout is unchanged apart from the stem
/// kernel), so 28×28 inputs keep their resolution into b2 (28 → 28 → 14 → 7 → 4).</para>
/// <para>This is the notes' network, not torchvision's resnet18: torchvision's convolutions have no bias and its
/// shortcut is a 1×1 conv followed by BatchNorm, so the counts differ (11,178,378 parameters here against 11,689,512
/// for torchvision's 1000-class, 3-channel model — compare the tables in docs/MODELS.md).</para>
/// </remarks>
public static class ResNet
{
    /// <summary>The notes' resnet_block: <paramref name="numResiduals"/> residual blocks; unless first, the first halves the side.</summary>
    public static Sequential Stage(int inChannels, int numChannels, int numResiduals, bool firstBlock = false, LayerKit? kit = null)
    {
        var stage = new Sequential();
        for (int i = 0; i < numResiduals; i++)
            stage.Add(i == 0 && !firstBlock
                ? new Residual(inChannels, numChannels, use1x1Conv: true, stride: 2, kit: kit)
                : new Residual(numChannels, numChannels, kit: kit));
        return stage;
    }

    public static Sequential ResNet18(int inChannels = 1, int inputSize = 96, int numClasses = 10, int baseWidth = 64,
        bool smallInput = false, DType dtype = DType.Float32, Generator? generator = null)
    {
        Shapes.CheckCommon("ResNet18", inChannels, inputSize, numClasses);
        if (baseWidth < 1) throw new ArgumentException($"ResNet18: base width must be positive, got {baseWidth}.");
        var kit = new LayerKit(dtype, generator);
        int w = baseWidth;
        var b1 = smallInput
            ? new Sequential(kit.Conv(inChannels, w, 3, 1, 1), kit.BatchNorm2d(w), new ReLU())
            : new Sequential(kit.Conv(inChannels, w, 7, 2, 3), kit.BatchNorm2d(w), new ReLU(), new MaxPool2d(3, 2, 1));
        return new Sequential(
            b1,
            Stage(w, w, 2, firstBlock: true, kit),
            Stage(w, 2 * w, 2, kit: kit),
            Stage(2 * w, 4 * w, 2, kit: kit),
            Stage(4 * w, 8 * w, 2, kit: kit),
            new AdaptiveAvgPool2d((1, 1)), new Flatten(),
            kit.Linear(8 * w, numClasses));
    }
}
