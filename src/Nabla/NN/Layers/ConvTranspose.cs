namespace Nabla.NN;

/// <summary>
/// Transposed convolutions (PyTorch's ConvTranspose1d/2d): weight [in, out/groups, kH, kW] (PyTorch's layout),
/// bias [out]; output size (in − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1, where
/// output_padding must be smaller than the stride or the dilation.
/// </summary>
public abstract class ConvTransposeNd : ConvBase
{
    public Size2 Padding { get; }
    public Size2 OutputPadding { get; }

    private protected ConvTransposeNd(int dims, int inChannels, int outChannels, Size2 kernelSize, Size2 stride, Size2 padding,
        Size2 outputPadding, int groups, bool bias, Size2 dilation, DType dtype, Generator? generator)
        : base(dims, true, inChannels, outChannels, kernelSize, stride, dilation, groups, bias, dtype, generator)
    {
        Padding = Normalise(padding, "padding");
        OutputPadding = Normalise(outputPadding, "output_padding");
    }

    public override Tensor Forward(Tensor input) =>
        Functional.ConvTransposeCore(TypeName, Dims, input, Weight, Bias, Stride, Padding, OutputPadding, Groups, Dilation);

    private protected override string MiddleRepr() =>
        (Padding.IsZero ? "" : $", padding={Tuple(Padding)}") + DilationRepr() +
        (OutputPadding.IsZero ? "" : $", output_padding={Tuple(OutputPadding)}");
}

/// <summary>Transposed 2-D convolution over [N, Cin, H, W] (see <see cref="ConvTransposeNd"/>).</summary>
public sealed class ConvTranspose2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Size2? padding = null,
    Size2? outputPadding = null, int groups = 1, bool bias = true, Size2? dilation = null, DType dtype = DType.Float32, Generator? generator = null)
    : ConvTransposeNd(2, inChannels, outChannels, kernelSize, stride ?? 1, padding ?? 0, outputPadding ?? 0, groups, bias, dilation ?? 1, dtype, generator);

/// <summary>Transposed 1-D convolution over [N, Cin, L] (see <see cref="ConvTransposeNd"/>).</summary>
public sealed class ConvTranspose1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0,
    int outputPadding = 0, int groups = 1, bool bias = true, int dilation = 1, DType dtype = DType.Float32, Generator? generator = null)
    : ConvTransposeNd(1, inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, bias, dilation, dtype, generator);
