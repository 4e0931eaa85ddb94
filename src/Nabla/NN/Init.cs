using Nabla.Autograd;

namespace Nabla.NN;

/// <summary>Which fan Kaiming initialisation preserves: the forward pass's variance (fan in) or the backward pass's (fan out).</summary>
public enum FanMode { FanIn, FanOut }

/// <summary>
/// Weight initialisers with PyTorch's torch.nn.init semantics. Each fills the tensor in place (outside the
/// graph) and returns it. The notes' point about zero initialisation: a layer whose weights are all equal keeps
/// its hidden units identical forever (symmetry is never broken), so random initialisation is the default.
/// </summary>
public static class Init
{
    public static Tensor Uniform(Tensor t, double low = 0, double high = 1, Generator? generator = null) =>
        Fill(t, Tensor.Rand(t.Shape, t.DType, generator) * (high - low) + low);

    public static Tensor Normal(Tensor t, double mean = 0, double std = 1, Generator? generator = null) =>
        Fill(t, Tensor.Randn(t.Shape, t.DType, generator) * std + mean);

    public static Tensor Constant(Tensor t, double value)
    {
        using var _ = new NoGrad();
        return t.FillInPlace(value);
    }

    public static Tensor Zeros(Tensor t) => Constant(t, 0);

    public static Tensor Ones(Tensor t) => Constant(t, 1);

    /// <summary>Glorot & Bengio: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(t, "xavier_uniform");
        double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(t, -a, a, generator);
    }

    /// <summary>Glorot & Bengio: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(t, "xavier_normal");
        return Normal(t, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>He et al.: U(−b, b) with b = gain·√(3 / fan); PyTorch's Linear and Conv defaults use a = √5.</summary>
    public static Tensor KaimingUniform(Tensor t, double a = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        double std = Gain(nonlinearity, a) / Math.Sqrt(Fan(t, mode, "kaiming_uniform"));
        double bound = Math.Sqrt(3.0) * std;
        return Uniform(t, -bound, bound, generator);
    }

    /// <summary>He et al.: N(0, σ²) with σ = gain / √fan.</summary>
    public static Tensor KaimingNormal(Tensor t, double a = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu", Generator? generator = null) =>
        Normal(t, 0, Gain(nonlinearity, a) / Math.Sqrt(Fan(t, mode, "kaiming_normal")), generator);

    /// <summary>A (semi-)orthogonal matrix from the QR decomposition of a Gaussian one, signs fixed by R's diagonal (Saxe et al.).</summary>
    public static Tensor Orthogonal(Tensor t, double gain = 1, Generator? generator = null)
    {
        if (t.Rank < 2) throw new ArgumentException($"orthogonal: needs at least 2 dims, got shape {t.ShapeText}.");
        int rows = t.Size(0), cols = t.NumElements / Math.Max(rows, 1);
        if (rows == 0 || cols == 0) return t;
        bool transpose = rows < cols;
        int m = transpose ? cols : rows, n = transpose ? rows : cols;
        var a = Tensor.Randn([m, n], DType.Float64, generator).ToArray<double>();
        var q = Orthonormalise(a, m, n);
        var result = Tensor.From(q, m, n);
        if (transpose) result = result.T();
        return Fill(t, (result * gain).Reshape(t.Shape).To(t.DType));
    }

    /// <summary>The identity matrix (2-D tensors only), preserving the input in a linear layer.</summary>
    public static Tensor Eye(Tensor t)
    {
        if (t.Rank != 2) throw new ArgumentException($"eye: needs a 2-D tensor, got shape {t.ShapeText}.");
        return Fill(t, Tensor.Eye(t.Size(0), t.Size(1)).To(t.DType));
    }

    /// <summary>
    /// A transposed convolution's weight [channels, channels, k, k] that upsamples each channel by bilinear
    /// interpolation (the notes' bilinear_kernel, 13.11): channel c maps only to channel c, through the filter
    /// (1 − |i − centre| / f)(1 − |j − centre| / f) with f = ⌈k / 2⌉ and the centre at f − 1 (k odd) or f − ½ (k even).
    /// With stride s, kernel 2s and padding s / 2 the layer enlarges an image s times; FCN starts its upsampling there.
    /// </summary>
    public static Tensor BilinearUpsampling(Tensor t)
    {
        if (t.Rank != 4 || t.Size(0) != t.Size(1) || t.Size(2) != t.Size(3))
            throw new ArgumentException($"bilinear upsampling: needs a transposed convolution's weight [channels, channels, k, k], got shape {t.ShapeText}.");
        int channels = t.Size(0), k = t.Size(2), factor = (k + 1) / 2;
        double center = k % 2 == 1 ? factor - 1 : factor - 0.5;
        var weight = new double[channels * channels * k * k];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                    weight[((c * channels + c) * k + i) * k + j] = (1 - Math.Abs(i - center) / factor) * (1 - Math.Abs(j - center) / factor);
        return Fill(t, Tensor.From(weight, channels, channels, k, k).To(t.DType));
    }

    /// <summary>The recommended gain for a nonlinearity (torch.nn.init.calculate_gain).</summary>
    public static double Gain(string nonlinearity, double param = 0) => nonlinearity switch
    {
        "linear" or "identity" or "sigmoid" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + param * param)),
        "selu" => 0.75,
        _ => throw new ArgumentException($"calculate_gain: unsupported nonlinearity '{nonlinearity}'."),
    };

    /// <summary>fan_in = in features × receptive field, fan_out = out features × receptive field.</summary>
    public static (int FanIn, int FanOut) Fans(Tensor t, string op = "init")
    {
        if (t.Rank < 2)
            throw new ArgumentException($"{op}: fan in and fan out cannot be computed for a tensor with fewer than 2 dims (shape {t.ShapeText}).");
        int receptive = 1;
        for (int i = 2; i < t.Rank; i++) receptive *= t.Size(i);
        return (t.Size(1) * receptive, t.Size(0) * receptive);
    }

    static int Fan(Tensor t, FanMode mode, string op)
    {
        var (fanIn, fanOut) = Fans(t, op);
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        if (fan == 0) throw new ArgumentException($"{op}: cannot initialise a tensor of shape {t.ShapeText} with zero fan.");
        return fan;
    }

    static Tensor Fill(Tensor t, Tensor values)
    {
        using var _ = new NoGrad();
        return t.CopyFrom(values);
    }

    /// <summary>Modified Gram–Schmidt on the n columns of a row-major m×n matrix (m ≥ n), with the sign of R's diagonal folded in.</summary>
    static double[] Orthonormalise(double[] a, int m, int n)
    {
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < m; i++) dot += a[i * n + k] * a[i * n + j];
                for (int i = 0; i < m; i++) a[i * n + j] -= dot * a[i * n + k];
            }
            double norm = 0;
            for (int i = 0; i < m; i++) norm += a[i * n + j] * a[i * n + j];
            norm = Math.Sqrt(norm);
            // R's diagonal is the positive norm here, so the sign correction of Saxe et al. is already applied.
            for (int i = 0; i < m; i++) a[i * n + j] /= norm;
        }
        return a;
    }
}
