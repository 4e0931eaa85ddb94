using Nabla.NN;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.NN;

/// <summary>Bad arguments and inputs to convolution and pooling must fail naming the layer (or function) and the shapes.</summary>
public class ConvBadInputTests
{
    static string Throws(Action action) => Assert.Throws<ArgumentException>(action).Message;

    [Fact]
    public void WrongChannelsNameTheLayerAndShapes()
    {
        Assert.Equal("Conv2d: expected input with 3 channels (weight of shape [6, 3, 5, 5], groups=1), got shape [8, 4, 32, 32].",
            Throws(() => new Conv2d(3, 6, 5).Forward(Tensor.Zeros(8, 4, 32, 32))));
        Assert.Equal("Conv1d: expected input with 4 channels (weight of shape [2, 2, 3], groups=2), got shape [1, 3, 9].",
            Throws(() => new Conv1d(4, 2, 3, groups: 2).Forward(Tensor.Zeros(1, 3, 9))));
        Assert.Equal("ConvTranspose2d: expected input with 4 channels (weight of shape [4, 3, 3, 3]), got shape [2, 6, 5, 5].",
            Throws(() => new ConvTranspose2d(4, 6, 3, groups: 2).Forward(Tensor.Zeros(2, 6, 5, 5))));
        Assert.Equal("conv2d: expected input with 4 channels (weight of shape [6, 2, 3, 3], groups=2), got shape [1, 3, 5, 5].",
            Throws(() => F.Conv2d(Tensor.Zeros(1, 3, 5, 5), Tensor.Zeros(6, 2, 3, 3), groups: 2)));
    }

    [Fact]
    public void WrongRankIsRefusedButUnbatchedInputIsAccepted()
    {
        Assert.Equal("Conv2d: expected a 3-D (unbatched) or 4-D (batched [N, C, H, W]) input, got shape [3, 8].",
            Throws(() => new Conv2d(3, 6, 3).Forward(Tensor.Zeros(3, 8))));
        Assert.Equal("Conv1d: expected a 2-D (unbatched) or 3-D (batched [N, C, L]) input, got shape [1, 3, 8, 8].",
            Throws(() => new Conv1d(3, 6, 3).Forward(Tensor.Zeros(1, 3, 8, 8))));
        Assert.Equal("MaxPool2d: expected a 3-D (unbatched) or 4-D (batched [N, C, H, W]) input, got shape [2, 1, 3, 8, 8].",
            Throws(() => new MaxPool2d(2).Forward(Tensor.Zeros(2, 1, 3, 8, 8))));
        Assert.Equal("conv2d: expected a 4-D weight, got shape [6, 3, 3].",
            Throws(() => F.Conv2d(Tensor.Zeros(1, 3, 5, 5), Tensor.Zeros(6, 3, 3))));
        // PyTorch accepts [C, H, W] as one unbatched image and answers [C_out, H_out, W_out]: so do we.
        Assert.Equal([6, 4, 4], new Conv2d(3, 6, 3, stride: 2, padding: 1).Forward(Tensor.Zeros(3, 8, 8)).Shape);
        Assert.Equal([6, 4], new Conv1d(3, 6, 3, stride: 2, padding: 1).Forward(Tensor.Zeros(3, 8)).Shape);
        Assert.Equal([3, 4, 4], new MaxPool2d(2).Forward(Tensor.Zeros(3, 8, 8)).Shape);
    }

    [Fact]
    public void KernelLargerThanPaddedInput()
    {
        Assert.Equal("Conv2d: the kernel of size (5, 5) with dilation (1, 1) is larger than the padded input of size (4, 6) (input of shape [1, 1, 4, 6]).",
            Throws(() => new Conv2d(1, 1, 5).Forward(Tensor.Zeros(1, 1, 4, 6))));
        Assert.Equal("Conv1d: the kernel of size (3,) with dilation (3,) is larger than the padded input of size (6,) (input of shape [2, 1, 6]).",
            Throws(() => new Conv1d(1, 1, 3, dilation: 3).Forward(Tensor.Zeros(2, 1, 6))));
        Assert.Equal("MaxPool2d: the output would be empty for input of shape [1, 1, 2, 5] (kernel_size=(3, 3), stride=(3, 3), padding=(0, 0), dilation=(1, 1)).",
            Throws(() => new MaxPool2d(3).Forward(Tensor.Zeros(1, 1, 2, 5))));
    }

    [Fact]
    public void GroupsMustDivideChannels()
    {
        Assert.Equal("Conv2d: in_channels=4 must be divisible by groups=3.", Throws(() => new Conv2d(4, 6, 3, groups: 3)));
        Assert.Equal("Conv2d: out_channels=6 must be divisible by groups=4.", Throws(() => new Conv2d(4, 6, 3, groups: 4)));
        Assert.Equal("ConvTranspose2d: groups must be a positive integer, got 0.", Throws(() => new ConvTranspose2d(4, 6, 3, groups: 0)));
        Assert.Equal("conv2d: out_channels=6 (weight of shape [6, 1, 3, 3]) must be divisible by groups=4.",
            Throws(() => F.Conv2d(Tensor.Zeros(1, 4, 5, 5), Tensor.Zeros(6, 1, 3, 3), groups: 4)));
        Assert.Equal("conv_transpose2d: in_channels=3 (weight of shape [3, 2, 3, 3]) must be divisible by groups=2.",
            Throws(() => F.ConvTranspose2d(Tensor.Zeros(1, 3, 5, 5), Tensor.Zeros(3, 2, 3, 3), groups: 2)));
    }

    [Fact]
    public void PaddingAndSizeArguments()
    {
        Assert.Equal("Conv2d: padding='same' is not supported for strided convolutions (stride=(2, 2)).",
            Throws(() => new Conv2d(1, 1, 3, stride: 2, padding: "same")));
        Assert.Equal("padding: invalid padding string 'full', should be one of 'valid' or 'same'.", Throws(() => { ConvPadding p = "full"; }));
        Assert.Equal("Conv2d: stride must be positive, got (0, 1).", Throws(() => new Conv2d(1, 1, 3, stride: (0, 1))));
        Assert.Equal("Conv2d: padding must be non-negative, got (-1, -1).", Throws(() => new Conv2d(1, 1, 3, padding: -1)));
        Assert.Equal("conv2d: expected a bias of shape [2] for weight of shape [2, 1, 3, 3], got [3].",
            Throws(() => F.Conv2d(Tensor.Zeros(1, 1, 5, 5), Tensor.Zeros(2, 1, 3, 3), Tensor.Zeros(3))));
        Assert.Equal("ConvTranspose2d: output_padding must be smaller than either stride or dilation, got output_padding=(2, 2), stride=(2, 2), dilation=(1, 1).",
            Throws(() => new ConvTranspose2d(1, 1, 3, stride: 2, outputPadding: 2).Forward(Tensor.Zeros(1, 1, 4, 4))));
        Assert.Equal("MaxPool2d: padding must be non-negative and at most half the kernel size, got padding=(2, 2) and kernel_size=(3, 3).",
            Throws(() => new MaxPool2d(3, padding: 2).Forward(Tensor.Zeros(1, 1, 8, 8))));
        Assert.Equal("AvgPool1d: padding must be non-negative and at most half the kernel size, got padding=(2,) and kernel_size=(2,).",
            Throws(() => new AvgPool1d(2, padding: 2).Forward(Tensor.Zeros(1, 1, 8))));
        Assert.Equal("AdaptiveAvgPool2d: output_size must be positive, got (0, 2) for input of shape [1, 1, 4, 4].",
            Throws(() => new AdaptiveAvgPool2d((0, 2)).Forward(Tensor.Zeros(1, 1, 4, 4))));
    }

    [Fact]
    public void DTypes()
    {
        Assert.Equal("conv2d: input (float64, shape [1, 1, 5, 5]), weight (float32, shape [2, 1, 3, 3]) must have the same dtype.",
            Throws(() => F.Conv2d(Tensor.Zeros([1, 1, 5, 5], DType.Float64), Tensor.Zeros(2, 1, 3, 3))));
        Assert.Equal("Conv2d: expected a float32 or float64 input, got int64 of shape [1, 1, 5, 5].",
            Throws(() => new Conv2d(1, 1, 3).Forward(Tensor.Zeros([1, 1, 5, 5], DType.Int64))));
        Assert.Equal("max_pool2d: expected a float32 or float64 input, got bool of shape [1, 1, 4, 4].",
            Throws(() => F.MaxPool2d(Tensor.Zeros([1, 1, 4, 4], DType.Bool), 2)));
    }
}
