namespace Nabla.NN;

/// <summary>
/// Max pooling over [N, C, H, W] (or unbatched [C, H, W]). Stride defaults to the kernel size; padding must be
/// at most half the kernel. <see cref="Module.Forward(Tensor)"/> returns the pooled values; PyTorch's
/// return_indices=True form is <see cref="ForwardWithIndices"/> (flat h·W + w indices per input plane).
/// </summary>
public sealed class MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null,
    bool returnIndices = false, bool ceilMode = false) : Module
{
    public Size2 KernelSize { get; } = kernelSize;
    public Size2 Stride { get; } = stride ?? kernelSize;
    public Size2 Padding { get; } = padding ?? 0;
    public Size2 Dilation { get; } = dilation ?? 1;
    public bool ReturnIndices { get; } = returnIndices;
    public bool CeilMode { get; } = ceilMode;

    public override Tensor Forward(Tensor input) => ForwardWithIndices(input).Output;

    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input) =>
        Functional.MaxPoolCore(TypeName, 2, input, KernelSize, Stride, Padding, Dilation, CeilMode);

    public override string ExtraRepr() =>
        $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={Py(CeilMode)}";

    internal static string Py(bool b) => b ? "True" : "False";
}

/// <summary>Max pooling over [N, C, L] (or [C, L]); see <see cref="MaxPool2d"/>.</summary>
public sealed class MaxPool1d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1,
    bool returnIndices = false, bool ceilMode = false) : Module
{
    public int KernelSize { get; } = kernelSize;
    public int Stride { get; } = stride ?? kernelSize;
    public int Padding { get; } = padding;
    public int Dilation { get; } = dilation;
    public bool ReturnIndices { get; } = returnIndices;
    public bool CeilMode { get; } = ceilMode;

    public override Tensor Forward(Tensor input) => ForwardWithIndices(input).Output;

    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input) =>
        Functional.MaxPoolCore(TypeName, 1, input, KernelSize, Stride, Padding, Dilation, CeilMode);

    public override string ExtraRepr() =>
        $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={MaxPool2d.Py(CeilMode)}";
}

/// <summary>
/// Average pooling over [N, C, H, W] (or [C, H, W]); stride defaults to the kernel size. With
/// countIncludePad (the default) zero padding counts in the divisor; ceil mode's overhang never does.
/// </summary>
public sealed class AvgPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, bool ceilMode = false,
    bool countIncludePad = true) : Module
{
    public Size2 KernelSize { get; } = kernelSize;
    public Size2 Stride { get; } = stride ?? kernelSize;
    public Size2 Padding { get; } = padding ?? 0;
    public bool CeilMode { get; } = ceilMode;
    public bool CountIncludePad { get; } = countIncludePad;

    public override Tensor Forward(Tensor input) =>
        Functional.AvgPoolCore(TypeName, 2, input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);

    // PyTorch prints only these three (not ceil_mode or count_include_pad).
    public override string ExtraRepr() => $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}";
}

/// <summary>Average pooling over [N, C, L] (or [C, L]); see <see cref="AvgPool2d"/>.</summary>
public sealed class AvgPool1d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false,
    bool countIncludePad = true) : Module
{
    public int KernelSize { get; } = kernelSize;
    public int Stride { get; } = stride ?? kernelSize;
    public int Padding { get; } = padding;
    public bool CeilMode { get; } = ceilMode;
    public bool CountIncludePad { get; } = countIncludePad;

    public override Tensor Forward(Tensor input) =>
        Functional.AvgPoolCore(TypeName, 1, input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);

    // PyTorch's AvgPool1d stores its sizes as 1-tuples and prints them so.
    public override string ExtraRepr() => $"kernel_size=({KernelSize},), stride=({Stride},), padding=({Padding},)";
}
