using Nabla.Backends.Cpu.Conv;
using Nabla.Ops;

namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>Max pooling over [N, C, H, W] (or unbatched [C, H, W]); stride defaults to the kernel size.</summary>
    public static Tensor MaxPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null,
        Size2? dilation = null, bool ceilMode = false) =>
        MaxPoolCore("max_pool2d", 2, input, kernelSize, stride ?? kernelSize, padding ?? 0, dilation ?? 1, ceilMode).Output;

    /// <summary><see cref="MaxPool2d"/> that also returns the flat index (h·W + w) of each maximum in its input plane (return_indices=True).</summary>
    public static (Tensor Output, Tensor Indices) MaxPool2dWithIndices(Tensor input, Size2 kernelSize, Size2? stride = null,
        Size2? padding = null, Size2? dilation = null, bool ceilMode = false) =>
        MaxPoolCore("max_pool2d", 2, input, kernelSize, stride ?? kernelSize, padding ?? 0, dilation ?? 1, ceilMode);

    /// <summary>Max pooling over [N, C, L] (or unbatched [C, L]); stride defaults to the kernel size.</summary>
    public static Tensor MaxPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPoolCore("max_pool1d", 1, input, kernelSize, stride ?? kernelSize, padding, dilation, ceilMode).Output;

    public static (Tensor Output, Tensor Indices) MaxPool1dWithIndices(Tensor input, int kernelSize, int? stride = null,
        int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPoolCore("max_pool1d", 1, input, kernelSize, stride ?? kernelSize, padding, dilation, ceilMode);

    /// <summary>
    /// Average pooling over [N, C, H, W] (or [C, H, W]). With <paramref name="countIncludePad"/> (the default) the
    /// divisor counts zero padding; cells that ceil mode hangs past the padded input are never counted.
    /// </summary>
    public static Tensor AvgPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null,
        bool ceilMode = false, bool countIncludePad = true) =>
        AvgPoolCore("avg_pool2d", 2, input, kernelSize, stride ?? kernelSize, padding ?? 0, ceilMode, countIncludePad);

    public static Tensor AvgPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0,
        bool ceilMode = false, bool countIncludePad = true) =>
        AvgPoolCore("avg_pool1d", 1, input, kernelSize, stride ?? kernelSize, padding, ceilMode, countIncludePad);

    /// <summary>Average over adaptive windows so the output is exactly <paramref name="outputSize"/>.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, Size2 outputSize) =>
        AdaptiveCore("adaptive_avg_pool2d", 2, input, outputSize, max: false).Output;

    public static Tensor AdaptiveAvgPool1d(Tensor input, int outputSize) =>
        AdaptiveCore("adaptive_avg_pool1d", 1, input, outputSize, max: false).Output;

    public static Tensor AdaptiveMaxPool2d(Tensor input, Size2 outputSize) =>
        AdaptiveCore("adaptive_max_pool2d", 2, input, outputSize, max: true).Output;

    public static (Tensor Output, Tensor Indices) AdaptiveMaxPool2dWithIndices(Tensor input, Size2 outputSize) =>
        AdaptiveCore("adaptive_max_pool2d", 2, input, outputSize, max: true);

    public static Tensor AdaptiveMaxPool1d(Tensor input, int outputSize) =>
        AdaptiveCore("adaptive_max_pool1d", 1, input, outputSize, max: true).Output;

    /// <summary>
    /// Mean over the spatial dims of [N, C, H, W] (or [C, H, W]): [N, C], or [N, C, 1, 1] with
    /// <paramref name="keepDim"/> (the same as AdaptiveAvgPool2d(1)).
    /// </summary>
    public static Tensor GlobalAvgPool2d(Tensor input, bool keepDim = false) => GlobalCore("global_avg_pool2d", input, keepDim, max: false);

    /// <summary>Max over the spatial dims: [N, C], or [N, C, 1, 1] with <paramref name="keepDim"/> (AdaptiveMaxPool2d(1)).</summary>
    public static Tensor GlobalMaxPool2d(Tensor input, bool keepDim = false) => GlobalCore("global_max_pool2d", input, keepDim, max: true);

    internal static (Tensor Output, Tensor Indices) MaxPoolCore(string op, int dims, Tensor input, Size2 kernel, Size2 stride,
        Size2 padding, Size2 dilation, bool ceilMode)
    {
        var x = PoolInput(op, dims, input, out bool unbatched);
        var g = PoolGeometry(op, dims, input, x, kernel, stride, padding, dilation, ceilMode);
        var (y, indices) = MaxPool2dOp.Forward(x.Contiguous(), g);
        return (PoolOutput(y, dims, unbatched), PoolOutput(indices, dims, unbatched));
    }

    internal static Tensor AvgPoolCore(string op, int dims, Tensor input, Size2 kernel, Size2 stride, Size2 padding,
        bool ceilMode, bool countIncludePad)
    {
        var x = PoolInput(op, dims, input, out bool unbatched);
        var g = PoolGeometry(op, dims, input, x, kernel, stride, padding, 1, ceilMode);
        return PoolOutput(AvgPool2dOp.Forward(x.Contiguous(), g, countIncludePad), dims, unbatched);
    }

    internal static (Tensor Output, Tensor Indices) AdaptiveCore(string op, int dims, Tensor input, Size2 outputSize, bool max)
    {
        var x = PoolInput(op, dims, input, out bool unbatched);
        int oh = dims == 1 ? 1 : outputSize.H, ow = outputSize.W;
        if (oh <= 0 || ow <= 0)
            throw new ArgumentException($"{op}: output_size must be positive, got {(dims == 1 ? ow : outputSize)} for input of shape {input.ShapeText}.");
        if (x._shape[2] == 0 || x._shape[3] == 0)
            throw new ArgumentException($"{op}: the spatial dims of the input must be non-empty, got shape {input.ShapeText}.");
        x = x.Contiguous();
        Tensor y, indices;
        if (max) (y, indices) = AdaptiveMaxPool2dOp.Forward(x, oh, ow);
        else { y = AdaptiveAvgPool2dOp.Forward(x, oh, ow); indices = y; }
        return (PoolOutput(y, dims, unbatched), max ? PoolOutput(indices, dims, unbatched) : null!);
    }

    internal static Tensor GlobalCore(string op, Tensor input, bool keepDim, bool max)
    {
        var x = PoolInput(op, 2, input, out bool unbatched);
        var y = max ? AdaptiveCore(op, 2, x, 1, max: true).Output : x.Mean([2, 3], keepDim: true);
        if (!keepDim) y = y.Reshape(y._shape[0], y._shape[1]);
        return unbatched ? y.Squeeze(0) : y;
    }

    /// <summary>Checks rank and dtype; returns a 4-D batch (unbatched gets N = 1, 1-D gets a unit height).</summary>
    static Tensor PoolInput(string op, int dims, Tensor input, out bool unbatched)
    {
        ArgumentNullException.ThrowIfNull(input);
        string layout = dims == 1 ? "[N, C, L]" : "[N, C, H, W]";
        if (input.Rank != dims + 1 && input.Rank != dims + 2)
            throw new ArgumentException($"{op}: expected a {dims + 1}-D (unbatched) or {dims + 2}-D (batched {layout}) input, got shape {input.ShapeText}.");
        if (input.DType is not (DType.Float32 or DType.Float64))
            throw new ArgumentException($"{op}: expected a float32 or float64 input, got {input.DType.TorchName()} of shape {input.ShapeText}.");
        unbatched = input.Rank == dims + 1;
        var x = unbatched ? input.Unsqueeze(0) : input;
        return dims == 1 ? x.Unsqueeze(2) : x;
    }

    static Tensor PoolOutput(Tensor y, int dims, bool unbatched)
    {
        if (dims == 1) y = y.Squeeze(2);
        return unbatched ? y.Squeeze(0) : y;
    }

    static ConvGeometry PoolGeometry(string op, int dims, Tensor input, Tensor x, Size2 kernel, Size2 stride, Size2 padding, Size2 dilation, bool ceilMode)
    {
        CheckPositive(op, "kernel_size", kernel, dims);
        CheckPositive(op, "stride", stride, dims);
        CheckPositive(op, "dilation", dilation, dims);
        int kh = dims == 1 ? 1 : kernel.H, sh = dims == 1 ? 1 : stride.H, dh = dims == 1 ? 1 : dilation.H, ph = dims == 1 ? 0 : padding.H;
        // PyTorch's rule: a window must always hold at least one real element, so padding ≤ kernel / 2.
        if (ph < 0 || padding.W < 0 || ph > kh / 2 || padding.W > kernel.W / 2)
            throw new ArgumentException($"{op}: padding must be non-negative and at most half the kernel size, got padding={Text(padding, dims)} and kernel_size={Text(kernel, dims)}.");
        var g = new ConvGeometry(x._shape[2], x._shape[3], kh, kernel.W, sh, stride.W, ph, padding.W, dh, dilation.W, ceilMode);
        if (g.OutH <= 0 || g.OutW <= 0)
            throw new ArgumentException($"{op}: the output would be empty for input of shape {input.ShapeText} (kernel_size={Text(kernel, dims)}, stride={Text(stride, dims)}, padding={Text(padding, dims)}, dilation={Text(dilation, dims)}).");
        return g;
    }
}
