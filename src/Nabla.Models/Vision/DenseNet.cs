namespace Nabla.Models.Vision;

/// <summary>
/// The notes' dense block (7.7): <c>numConvs</c> conv blocks (BatchNorm, ReLU, 3×3 Conv with padding 1, see
/// <see cref="DenseNet.ConvBlock"/>); each block's input is the concatenation of the block input and every earlier
/// output, so the output has inChannels + numConvs·growthRate channels. The blocks sit in a Sequential child named
/// "net", as in the notes (state-dict keys <c>net.0.0.weight</c> ...).
/// </summary>
public sealed class DenseBlock : Module
{
    readonly Sequential _net;

    public int OutChannels { get; }

    public DenseBlock(int numConvs, int inChannels, int growthRate, LayerKit? kit = null)
    {
        _net = RegisterModule("net", new Sequential());
        for (int i = 0; i < numConvs; i++) _net.Add(DenseNet.ConvBlock(inChannels + i * growthRate, growthRate, kit));
        OutChannels = inChannels + numConvs * growthRate;
    }

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var block in _net) x = Tensor.Cat([x, block.Forward(x)], dim: 1);
        return x;
    }
}

/// <summary>
/// DenseNet as in the notes (7.7, for 96×96 inputs): the ResNet stem (Conv(C,64,7,2,3), BatchNorm, ReLU,
/// MaxPool(3,2,1)), four <see cref="DenseBlock"/>s of 4 convolutions with growth rate 32, a
/// <see cref="TransitionBlock"/> halving channels and side between them, then BatchNorm, ReLU,
/// AdaptiveAvgPool2d((1, 1)), Flatten, Linear(channels, classes). The stem divides the side by 4 and each transition by 2
/// (96 → 3); the input must survive the transitions (side ≥ 29 with four blocks).
/// This is the notes' small DenseNet (about 0.76 M parameters), not torchvision's densenet121 (bottleneck layers,
/// 58 convolutions, bias-free).
/// </summary>
public static class DenseNet
{
    /// <summary>The notes' conv_block: BatchNorm, ReLU, 3×3 Conv with padding 1 (pre-activation order).</summary>
    public static Sequential ConvBlock(int inChannels, int numChannels, LayerKit? kit = null)
    {
        kit ??= new LayerKit();
        return new Sequential(kit.BatchNorm2d(inChannels), new ReLU(), kit.Conv(inChannels, numChannels, 3, padding: 1));
    }

    /// <summary>The notes' transition_block: BatchNorm, ReLU, 1×1 Conv to <paramref name="numChannels"/>, AvgPool(2, 2).</summary>
    public static Sequential TransitionBlock(int inChannels, int numChannels, LayerKit? kit = null)
    {
        kit ??= new LayerKit();
        return new Sequential(kit.BatchNorm2d(inChannels), new ReLU(), kit.Conv(inChannels, numChannels, 1), new AvgPool2d(2, 2));
    }

    public static Sequential Create(int inChannels = 1, int inputSize = 96, int numClasses = 10, int initChannels = 64,
        int growthRate = 32, int[]? blockConvs = null, DType dtype = DType.Float32, Generator? generator = null)
    {
        Shapes.CheckCommon("DenseNet", inChannels, inputSize, numClasses);
        blockConvs ??= [4, 4, 4, 4];
        if (initChannels < 1 || growthRate < 1 || blockConvs.Length == 0 || blockConvs.Any(n => n < 1))
            throw new ArgumentException($"DenseNet: channels, growth rate and block sizes must be positive, got {initChannels}, {growthRate}, [{string.Join(", ", blockConvs)}].");
        int side = Shapes.Window(Shapes.Window(inputSize, 7, 2, 3), 3, 2, 1);
        for (int i = 1; i < blockConvs.Length; i++) side = Shapes.Window(side, 2, 2);
        Shapes.RequirePositive("DenseNet", inputSize, side, "each transition block halves the side; resize to 96");
        var kit = new LayerKit(dtype, generator);
        var net = new Sequential(new Sequential(kit.Conv(inChannels, initChannels, 7, 2, 3), kit.BatchNorm2d(initChannels), new ReLU(),
            new MaxPool2d(3, 2, 1)));
        int channels = initChannels;
        for (int i = 0; i < blockConvs.Length; i++)
        {
            var block = new DenseBlock(blockConvs[i], channels, growthRate, kit);
            net.Add(block);
            channels = block.OutChannels;
            if (i != blockConvs.Length - 1)
            {
                net.Add(TransitionBlock(channels, channels / 2, kit));
                channels /= 2;
            }
        }
        return net.Add(kit.BatchNorm2d(channels)).Add(new ReLU()).Add(new AdaptiveAvgPool2d((1, 1))).Add(new Flatten())
            .Add(kit.Linear(channels, numClasses));
    }
}
