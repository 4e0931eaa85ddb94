namespace Nabla.NN;

/// <summary>
/// What Conv1d, Conv2d and the transposed convolutions share: sizes normalised to pairs (1-D layers keep a
/// unit height), the weight/bias registration with PyTorch's default initialisation, and PyTorch's repr.
/// </summary>
public abstract class ConvBase : Module
{
    private protected readonly int Dims;

    public int InChannels { get; }
    public int OutChannels { get; }
    public Size2 KernelSize { get; }
    public Size2 Stride { get; }
    public Size2 Dilation { get; }
    public int Groups { get; }

    public Tensor Weight => Param("weight")!;
    public Tensor? Bias => Param("bias");

    private protected ConvBase(int dims, bool transposed, int inChannels, int outChannels, Size2 kernelSize, Size2 stride,
        Size2 dilation, int groups, bool bias, DType dtype, Generator? generator)
    {
        Dims = dims;
        if (inChannels <= 0 || outChannels <= 0)
            throw new ArgumentException($"{TypeName}: in_channels and out_channels must be positive, got {inChannels} and {outChannels}.");
        if (groups <= 0) throw new ArgumentException($"{TypeName}: groups must be a positive integer, got {groups}.");
        if (inChannels % groups != 0) throw new ArgumentException($"{TypeName}: in_channels={inChannels} must be divisible by groups={groups}.");
        if (outChannels % groups != 0) throw new ArgumentException($"{TypeName}: out_channels={outChannels} must be divisible by groups={groups}.");
        (InChannels, OutChannels, Groups) = (inChannels, outChannels, groups);
        KernelSize = Normalise(kernelSize, "kernel_size");
        Stride = Normalise(stride, "stride");
        Dilation = Normalise(dilation, "dilation");

        int[] shape = transposed
            ? [inChannels, outChannels / groups, .. Spatial(KernelSize)]
            : [outChannels, inChannels / groups, .. Spatial(KernelSize)];
        var w = RegisterParameter("weight", Tensor.Zeros(shape, dtype));
        // PyTorch's reset_parameters: kaiming_uniform(a=√5) on the weight, bias ~ U(±1/√fan_in) with the weight's fan_in.
        Init.KaimingUniform(w, a: Math.Sqrt(5), generator: generator);
        if (bias)
        {
            var b = RegisterParameter("bias", Tensor.Zeros([outChannels], dtype));
            int fanIn = Init.Fans(w).FanIn;
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform(b, -bound, bound, generator);
        }
        else RegisterParameter("bias", null);
    }

    private protected int[] Spatial(Size2 s) => Dims == 1 ? [s.W] : [s.H, s.W];

    /// <summary>PyTorch stores every size as a tuple; 1-D layers keep the value in W with a neutral H (1, or 0 for paddings).</summary>
    private protected Size2 Normalise(Size2 s, string what)
    {
        bool offset = what is "padding" or "output_padding";
        var pair = Dims == 1 ? new Size2(offset ? 0 : 1, s.W) : new Size2(s.H, s.W);
        if (!offset && (pair.H <= 0 || pair.W <= 0))
            throw new ArgumentException($"{TypeName}: {what} must be positive, got {Tuple(s)}.");
        if (pair.H < 0 || pair.W < 0) throw new ArgumentException($"{TypeName}: {what} must be non-negative, got {Tuple(s)}.");
        return pair;
    }

    /// <summary>A size as PyTorch prints a tuple: "(5,)" for 1-D layers, "(5, 5)" for 2-D.</summary>
    private protected string Tuple(Size2 s) => Functional.Text(s, Dims);

    /// <summary>The fields PyTorch prints between the sizes and groups (padding, dilation, output_padding).</summary>
    private protected abstract string MiddleRepr();

    public override string ExtraRepr()
    {
        var text = $"{InChannels}, {OutChannels}, kernel_size={Tuple(KernelSize)}, stride={Tuple(Stride)}" + MiddleRepr();
        if (Groups != 1) text += $", groups={Groups}";
        if (Bias is null) text += ", bias=False";
        return text;
    }

    private protected string DilationRepr() => Dilation.IsOne ? "" : $", dilation={Tuple(Dilation)}";
}

/// <summary>
/// Convolution layers (PyTorch's Conv1d/Conv2d, zero padding only): weight [out, in/groups, kH, kW], bias [out].
/// Padding may be a size, "valid" or "same" (stride 1 only). Unbatched inputs ([C, H, W], or [C, L] for Conv1d)
/// are accepted as in PyTorch and give unbatched outputs.
/// </summary>
public abstract class ConvNd : ConvBase
{
    public ConvPadding Padding { get; }

    private protected ConvNd(int dims, int inChannels, int outChannels, Size2 kernelSize, Size2 stride, ConvPadding padding,
        Size2 dilation, int groups, bool bias, DType dtype, Generator? generator)
        : base(dims, false, inChannels, outChannels, kernelSize, stride, dilation, groups, bias, dtype, generator)
    {
        if (padding.Mode == "same" && !Stride.IsOne)
            throw new ArgumentException($"{TypeName}: padding='same' is not supported for strided convolutions (stride={Tuple(Stride)}).");
        Padding = padding.Mode is null ? Normalise(padding.Size, "padding") : padding;
    }

    public override Tensor Forward(Tensor input) =>
        Functional.ConvCore(TypeName, Dims, input, Weight, Bias, Stride, Padding, Dilation, Groups);

    private protected override string MiddleRepr()
    {
        string padding = Padding.Mode ?? (Padding.Size.IsZero ? "" : Tuple(Padding.Size));
        return (padding.Length == 0 ? "" : $", padding={padding}") + DilationRepr();
    }
}

/// <summary>2-D convolution over [N, C, H, W] (see <see cref="ConvNd"/>).</summary>
public sealed class Conv2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, ConvPadding? padding = null,
    Size2? dilation = null, int groups = 1, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    : ConvNd(2, inChannels, outChannels, kernelSize, stride ?? 1, padding ?? 0, dilation ?? 1, groups, bias, dtype, generator);

/// <summary>1-D convolution over [N, C, L], computed as a 2-D convolution of height 1 (see <see cref="ConvNd"/>).</summary>
public sealed class Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, ConvPadding? padding = null,
    int dilation = 1, int groups = 1, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    : ConvNd(1, inChannels, outChannels, kernelSize, stride, padding ?? 0, dilation, groups, bias, dtype, generator);
