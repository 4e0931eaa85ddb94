using Nabla.Backends.Cpu;
using Nabla.Backends.Cpu.Conv;
using Nabla.Ops;

namespace Nabla.NN;

/// <summary>Stateless neural-network math (PyTorch's torch.nn.functional), one partial file per family.</summary>
public static partial class Functional
{
    /// <summary>
    /// 2-D convolution (cross-correlation) of <paramref name="input"/> [N, C, H, W] — or unbatched [C, H, W], as
    /// PyTorch accepts — with <paramref name="weight"/> [O, C/groups, kH, kW] and an optional bias [O].
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null,
        ConvPadding? padding = null, Size2? dilation = null, int groups = 1) =>
        ConvCore("conv2d", 2, input, weight, bias, stride ?? 1, padding ?? 0, dilation ?? 1, groups);

    /// <summary>1-D convolution of [N, C, L] (or unbatched [C, L]) with weight [O, C/groups, k]: a 2-D convolution of height 1 (views, no copies).</summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1,
        ConvPadding? padding = null, int dilation = 1, int groups = 1) =>
        ConvCore("conv1d", 1, input, weight, bias, stride, padding ?? 0, dilation, groups);

    /// <summary>
    /// Transposed 2-D convolution ("deconvolution", the adjoint of <see cref="Conv2d"/>) of [N, Cin, H, W] with
    /// weight [Cin, Cout/groups, kH, kW]; output size (H − 1)·stride − 2·padding + dilation·(kH − 1) + output_padding + 1.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null,
        Size2? padding = null, Size2? outputPadding = null, int groups = 1, Size2? dilation = null) =>
        ConvTransposeCore("conv_transpose2d", 2, input, weight, bias, stride ?? 1, padding ?? 0, outputPadding ?? 0, groups, dilation ?? 1);

    /// <summary>Transposed 1-D convolution of [N, Cin, L] with weight [Cin, Cout/groups, k].</summary>
    public static Tensor ConvTranspose1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1,
        int padding = 0, int outputPadding = 0, int groups = 1, int dilation = 1) =>
        ConvTransposeCore("conv_transpose1d", 1, input, weight, bias, stride, padding, outputPadding, groups, dilation);

    /// <summary>The shared body: <paramref name="op"/> names the caller in messages ("conv2d", or the layer "Conv2d").</summary>
    internal static Tensor ConvCore(string op, int dims, Tensor input, Tensor weight, Tensor? bias,
        Size2 stride, ConvPadding padding, Size2 dilation, int groups)
    {
        var x = CheckConvOperands(op, dims, input, weight, bias, out bool unbatched);
        if (groups <= 0) throw new ArgumentException($"{op}: groups must be a positive integer, got {groups}.");
        int outChannels = weight._shape[0], expected = weight._shape[1] * groups;
        if (outChannels % groups != 0)
            throw new ArgumentException($"{op}: out_channels={outChannels} (weight of shape {weight.ShapeText}) must be divisible by groups={groups}.");
        if (x._shape[1] != expected)
            throw new ArgumentException($"{op}: expected input with {expected} channels (weight of shape {weight.ShapeText}, groups={groups}), got shape {input.ShapeText}.");
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != outChannels))
            throw new ArgumentException($"{op}: expected a bias of shape [{outChannels}] for weight of shape {weight.ShapeText}, got {bias.ShapeText}.");
        CheckPositive(op, "stride", stride, dims);
        CheckPositive(op, "dilation", dilation, dims);

        // Lift 1-D to 2-D: a unit height axis in front of the length (views, no copies).
        var w = weight;
        if (dims == 1) { x = x.Unsqueeze(2); w = weight.Unsqueeze(2); }
        int kh = w._shape[2], kw = w._shape[3];
        int sh = dims == 1 ? 1 : stride.H, dh = dims == 1 ? 1 : dilation.H;
        int ph, pw;
        if (padding.Mode == "same")
        {
            if (stride.H != 1 || stride.W != 1)
                throw new ArgumentException($"{op}: padding='same' is not supported for strided convolutions (stride={Text(stride, dims)}).");
            // Total padding d·(k − 1), split left = ⌊total/2⌋; an odd total adds the extra zero at the end (PyTorch).
            int th = dh * (kh - 1), tw = dilation.W * (kw - 1);
            ph = th / 2; pw = tw / 2;
            x = PadEnd(PadEnd(x, 2, th - 2 * ph), 3, tw - 2 * pw);
        }
        else
        {
            ph = dims == 1 ? 0 : padding.Size.H;
            pw = padding.Size.W;
            if (ph < 0 || pw < 0) throw new ArgumentException($"{op}: padding must be non-negative, got {Text(padding.Size, dims)}.");
        }

        var g = new ConvGeometry(x._shape[2], x._shape[3], kh, kw, sh, stride.W, ph, pw, dh, dilation.W);
        if (g.OutH <= 0 || g.OutW <= 0)
            throw new ArgumentException($"{op}: the kernel of size {Text(new Size2(kh, kw), dims)} with dilation {Text(dilation, dims)} is larger than the padded input of size {Text(new Size2(x._shape[2] + 2 * ph, x._shape[3] + 2 * pw), dims)} (input of shape {input.ShapeText}).");

        var y = Conv2dOp.Forward(x.Contiguous(), w.Contiguous(), bias?.Contiguous(), g, groups);
        if (dims == 1) y = y.Squeeze(2);
        return unbatched ? y.Squeeze(0) : y;
    }

    internal static Tensor ConvTransposeCore(string op, int dims, Tensor input, Tensor weight, Tensor? bias,
        Size2 stride, Size2 padding, Size2 outputPadding, int groups, Size2 dilation)
    {
        var x = CheckConvOperands(op, dims, input, weight, bias, out bool unbatched);
        if (groups <= 0) throw new ArgumentException($"{op}: groups must be a positive integer, got {groups}.");
        int inChannels = weight._shape[0], outChannels = weight._shape[1] * groups;
        if (inChannels % groups != 0)
            throw new ArgumentException($"{op}: in_channels={inChannels} (weight of shape {weight.ShapeText}) must be divisible by groups={groups}.");
        if (x._shape[1] != inChannels)
            throw new ArgumentException($"{op}: expected input with {inChannels} channels (weight of shape {weight.ShapeText}), got shape {input.ShapeText}.");
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != outChannels))
            throw new ArgumentException($"{op}: expected a bias of shape [{outChannels}] for weight of shape {weight.ShapeText} and groups={groups}, got {bias.ShapeText}.");
        CheckPositive(op, "stride", stride, dims);
        CheckPositive(op, "dilation", dilation, dims);
        if (padding.H < 0 || padding.W < 0 || outputPadding.H < 0 || outputPadding.W < 0)
            throw new ArgumentException($"{op}: padding and output_padding must be non-negative, got {Text(padding, dims)} and {Text(outputPadding, dims)}.");

        var w = weight;
        if (dims == 1) { x = x.Unsqueeze(2); w = weight.Unsqueeze(2); }
        int sh = dims == 1 ? 1 : stride.H, dh = dims == 1 ? 1 : dilation.H, ph = dims == 1 ? 0 : padding.H, oph = dims == 1 ? 0 : outputPadding.H;
        if ((oph >= sh && oph >= dh) || (outputPadding.W >= stride.W && outputPadding.W >= dilation.W))
            throw new ArgumentException($"{op}: output_padding must be smaller than either stride or dilation, got output_padding={Text(outputPadding, dims)}, stride={Text(stride, dims)}, dilation={Text(dilation, dims)}.");
        int kh = w._shape[2], kw = w._shape[3], h = x._shape[2], wd = x._shape[3];
        int outH = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
        int outW = (wd - 1) * stride.W - 2 * padding.W + dilation.W * (kw - 1) + outputPadding.W + 1;
        if (outH <= 0 || outW <= 0)
            throw new ArgumentException($"{op}: the output size {Text(new Size2(outH, outW), dims)} is not positive (input of shape {input.ShapeText}, kernel {Text(new Size2(kh, kw), dims)}, stride {Text(stride, dims)}, padding {Text(padding, dims)}).");

        // The adjoint convolution maps [outH, outW] to [h + ⌊op/s⌋, w + ⌊op/s⌋]: when output_padding ≥ stride
        // (allowed while it is below the dilation) the extra input rows are zeros that reach nothing.
        var g = new ConvGeometry(outH, outW, kh, kw, sh, stride.W, ph, padding.W, dh, dilation.W);
        x = PadEnd(PadEnd(x, 2, g.OutH - h), 3, g.OutW - wd);

        var y = ConvTranspose2dOp.Forward(x.Contiguous(), w.Contiguous(), bias?.Contiguous(), g, groups);
        if (dims == 1) y = y.Squeeze(2);
        return unbatched ? y.Squeeze(0) : y;
    }

    /// <summary>Checks dtypes and ranks shared by convolution and its transpose; returns the input as a batch (unbatched gets N = 1).</summary>
    static Tensor CheckConvOperands(string op, int dims, Tensor input, Tensor weight, Tensor? bias, out bool unbatched)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        string layout = dims == 1 ? "[N, C, L]" : "[N, C, H, W]";
        if (weight.Rank != dims + 2)
            throw new ArgumentException($"{op}: expected a {dims + 2}-D weight, got shape {weight.ShapeText}.");
        if (input.Rank != dims + 1 && input.Rank != dims + 2)
            throw new ArgumentException($"{op}: expected a {dims + 1}-D (unbatched) or {dims + 2}-D (batched {layout}) input, got shape {input.ShapeText}.");
        if (input.DType is not (DType.Float32 or DType.Float64))
            throw new ArgumentException($"{op}: expected a float32 or float64 input, got {input.DType.TorchName()} of shape {input.ShapeText}.");
        if (weight.DType != input.DType || (bias is not null && bias.DType != input.DType))
            throw new ArgumentException($"{op}: input ({input.DType.TorchName()}, shape {input.ShapeText}), weight ({weight.DType.TorchName()}, shape {weight.ShapeText})" +
                (bias is null ? "" : $" and bias ({bias.DType.TorchName()})") + " must have the same dtype.");
        unbatched = input.Rank == dims + 1;
        return unbatched ? input.Unsqueeze(0) : input;
    }

    static void CheckPositive(string op, string what, Size2 value, int dims)
    {
        if (value.W <= 0 || (dims == 2 && value.H <= 0))
            throw new ArgumentException($"{op}: {what} must be positive, got {Text(value, dims)}.");
    }

    /// <summary>Appends <paramref name="count"/> zeros at the end of <paramref name="dim"/> (recorded: its gradient is a slice).</summary>
    static Tensor PadEnd(Tensor x, int dim, int count)
    {
        if (count <= 0) return x;
        var shape = x.Shape;
        shape[dim] = count;
        return Tensor.Cat([x, Tensor.Zeros(shape, x.DType)], dim);
    }

    /// <summary>A size as PyTorch prints a normalised one: "(3,)" in 1-D, "(3, 2)" in 2-D.</summary>
    internal static string Text(Size2 s, int dims) => dims == 1 ? $"({s.W},)" : s.TupleText;
}
