namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// The spatial arithmetic of a 2-D sliding window (convolution or pooling): kernel, stride, padding and
/// dilation per axis, and the output size they give. 1-D windows use height 1.
/// </summary>
internal readonly record struct ConvGeometry(
    int InH, int InW, int KernelH, int KernelW,
    int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0, int DilationH = 1, int DilationW = 1)
{
    public int OutH => OutSize(InH, KernelH, StrideH, PadH, DilationH);
    public int OutW => OutSize(InW, KernelW, StrideW, PadW, DilationW);

    /// <summary>PyTorch's formula: ⌊(in + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1.</summary>
    public static int OutSize(int input, int kernel, int stride, int pad, int dilation) =>
        (input + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
}
