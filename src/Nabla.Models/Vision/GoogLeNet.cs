namespace Nabla.Models.Vision;

/// <summary>
/// The notes' Inception block (7.4): four parallel paths whose outputs are concatenated along the channels —
/// 1×1 conv (c1); 1×1 conv (c2.0) then 3×3 conv (c2.1, pad 1); 1×1 conv (c3.0) then 5×5 conv (c3.1, pad 2);
/// 3×3 max pool (stride 1, pad 1) then 1×1 conv (c4) — each conv followed by ReLU. Output channels c1 + c2.1 +
/// c3.1 + c4, same side as the input. Children are named as in the notes (p1_1, p2_1, p2_2, p3_1, p3_2, p4_1, p4_2).
/// </summary>
public sealed class Inception : Module
{
    readonly Conv2d _p1_1, _p2_1, _p2_2, _p3_1, _p3_2, _p4_2;
    readonly MaxPool2d _p4_1;

    public int OutChannels { get; }

    public Inception(int inChannels, int c1, (int, int) c2, (int, int) c3, int c4, LayerKit? kit = null)
    {
        kit ??= new LayerKit();
        _p1_1 = RegisterModule("p1_1", kit.Conv(inChannels, c1, 1));
        _p2_1 = RegisterModule("p2_1", kit.Conv(inChannels, c2.Item1, 1));
        _p2_2 = RegisterModule("p2_2", kit.Conv(c2.Item1, c2.Item2, 3, padding: 1));
        _p3_1 = RegisterModule("p3_1", kit.Conv(inChannels, c3.Item1, 1));
        _p3_2 = RegisterModule("p3_2", kit.Conv(c3.Item1, c3.Item2, 5, padding: 2));
        _p4_1 = RegisterModule("p4_1", new MaxPool2d(3, 1, 1));
        _p4_2 = RegisterModule("p4_2", kit.Conv(inChannels, c4, 1));
        OutChannels = c1 + c2.Item2 + c3.Item2 + c4;
    }

    public override Tensor Forward(Tensor input)
    {
        var p1 = _p1_1.Forward(input).Relu();
        var p2 = _p2_2.Forward(_p2_1.Forward(input).Relu()).Relu();
        var p3 = _p3_2.Forward(_p3_1.Forward(input).Relu()).Relu();
        var p4 = _p4_2.Forward(_p4_1.Forward(input)).Relu();
        return Tensor.Cat([p1, p2, p3, p4], dim: 1);
    }
}

/// <summary>
/// GoogLeNet as in the notes (7.4, for 96×96 inputs): b1 = Conv(C,64,7,stride 2,pad 3), ReLU, MaxPool(3,2,pad 1);
/// b2 = Conv(64,64,1), ReLU, Conv(64,192,3,pad 1), ReLU, MaxPool(3,2,1); b3 = two Inception blocks (→ 256, 480) and
/// MaxPool; b4 = five Inception blocks (→ 512, 512, 512, 528, 832) and MaxPool; b5 = two Inception blocks
/// (→ 832, 1024), AdaptiveAvgPool2d((1, 1)), Flatten; then Linear(1024, classes). The notes' network has no
/// auxiliary classifiers and no batch norm, so it is smaller than torchvision's googlenet. The stem convolution and
/// the four max pools each halve the side, rounding up (96 → 3), and global pooling ends the body, so any input
/// size works. The width divisor divides every channel count (for quick runs).
/// </summary>
public static class GoogLeNet
{
    public static Sequential Create(int inChannels = 1, int inputSize = 96, int numClasses = 10, int widthDivisor = 1,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        Shapes.CheckCommon("GoogLeNet", inChannels, inputSize, numClasses);
        var kit = new LayerKit(dtype, generator);
        int W(int c) => Shapes.Scale(c, widthDivisor);
        Inception Inc(int cin, int c1, (int, int) c2, (int, int) c3, int c4) =>
            new(cin, W(c1), (W(c2.Item1), W(c2.Item2)), (W(c3.Item1), W(c3.Item2)), W(c4), kit);

        var b1 = new Sequential(kit.Conv(inChannels, W(64), 7, 2, 3), new ReLU(), new MaxPool2d(3, 2, 1));
        var b2 = new Sequential(kit.Conv(W(64), W(64), 1), new ReLU(), kit.Conv(W(64), W(192), 3, padding: 1), new ReLU(),
            new MaxPool2d(3, 2, 1));
        var i3a = Inc(W(192), 64, (96, 128), (16, 32), 32);
        var i3b = Inc(i3a.OutChannels, 128, (128, 192), (32, 96), 64);
        var b3 = new Sequential(i3a, i3b, new MaxPool2d(3, 2, 1));
        var i4a = Inc(i3b.OutChannels, 192, (96, 208), (16, 48), 64);
        var i4b = Inc(i4a.OutChannels, 160, (112, 224), (24, 64), 64);
        var i4c = Inc(i4b.OutChannels, 128, (128, 256), (24, 64), 64);
        var i4d = Inc(i4c.OutChannels, 112, (144, 288), (32, 64), 64);
        var i4e = Inc(i4d.OutChannels, 256, (160, 320), (32, 128), 128);
        var b4 = new Sequential(i4a, i4b, i4c, i4d, i4e, new MaxPool2d(3, 2, 1));
        var i5a = Inc(i4e.OutChannels, 256, (160, 320), (32, 128), 128);
        var i5b = Inc(i5a.OutChannels, 384, (192, 384), (48, 128), 128);
        var b5 = new Sequential(i5a, i5b, new AdaptiveAvgPool2d((1, 1)), new Flatten());
        return new Sequential(b1, b2, b3, b4, b5, kit.Linear(i5b.OutChannels, numClasses));
    }
}
