namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// The spatial arithmetic of a 2-D sliding window (convolution or pooling): kernel, stride, padding and
/// dilation per axis, and the output size they give. 1-D windows use height 1. <see cref="CeilMode"/> is
/// pooling's ceil_mode: the last window may hang over the bottom/right edge (but must start inside the
/// input or its left padding, as PyTorch rules).
/// </summary>
internal readonly record struct ConvGeometry(
    int InH, int InW, int KernelH, int KernelW,
    int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0, int DilationH = 1, int DilationW = 1,
    bool CeilMode = false)
{
    public int OutH => OutSize(InH, KernelH, StrideH, PadH, DilationH, CeilMode);
    public int OutW => OutSize(InW, KernelW, StrideW, PadW, DilationW, CeilMode);

    /// <summary>True when the window is one element with no stride or padding: the unfolded image is the image itself.</summary>
    public bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;

    /// <summary>
    /// PyTorch's formula: ⌊(in + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1, with a floor (not truncating)
    /// division so a kernel larger than the padded input gives a size ≤ 0 rather than 1. With ceil mode the
    /// division rounds up, and a last window starting past the input and its left padding is dropped.
    /// </summary>
    public static int OutSize(int input, int kernel, int stride, int pad, int dilation, bool ceilMode = false)
    {
        int span = input + 2 * pad - dilation * (kernel - 1) - 1;
        if (!ceilMode) return FloorDiv(span, stride) + 1;
        int size = FloorDiv(span + stride - 1, stride) + 1;
        if ((size - 1) * stride >= input + pad) size--;
        return size;
    }

    static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
