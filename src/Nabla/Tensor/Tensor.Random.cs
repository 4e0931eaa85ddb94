using Nabla.Backends.Cpu;

namespace Nabla;

/// <summary>Random tensors. Each draws from <paramref name="generator"/> when given, else from <see cref="Random.Global"/>.</summary>
public sealed partial class Tensor
{
    /// <summary>Uniform samples in [0, 1), float32.</summary>
    public static Tensor Rand(params int[] shape) => Rand(shape, DType.Float32);

    /// <summary>Uniform samples in [0, 1) of a floating <paramref name="dtype"/>.</summary>
    public static Tensor Rand(int[] shape, DType dtype = DType.Float32, Generator? generator = null)
    {
        var t = Zeros(CheckShape(shape, "rand"), CheckFloating(dtype, "rand"));
        var g = Random.Or(generator);
        if (dtype == DType.Float32) g.FillUniform(t.Span<float>());
        else g.FillUniform(t.Span<double>());
        return t;
    }

    /// <summary>Standard normal samples (mean 0, variance 1), float32.</summary>
    public static Tensor Randn(params int[] shape) => Randn(shape, DType.Float32);

    /// <summary>Standard normal samples of a floating <paramref name="dtype"/>.</summary>
    public static Tensor Randn(int[] shape, DType dtype = DType.Float32, Generator? generator = null)
    {
        var t = Zeros(CheckShape(shape, "randn"), CheckFloating(dtype, "randn"));
        var g = Random.Or(generator);
        if (dtype == DType.Float32) g.FillNormal(t.Span<float>());
        else g.FillNormal(t.Span<double>());
        return t;
    }

    /// <summary>Integers drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>); int64 unless <paramref name="dtype"/> says otherwise.</summary>
    public static Tensor Randint(long low, long high, int[] shape, DType dtype = DType.Int64, Generator? generator = null)
    {
        CheckShape(shape, "randint");
        if (low >= high)
            throw new ArgumentException($"randint: expects low < high, got low={low} and high={high} (shape {Layout.Format(shape)}).");
        if (dtype == DType.Bool && (low < 0 || high > 2))
            throw new ArgumentException($"randint: a bool result needs 0 <= low < high <= 2, got low={low} and high={high}.");
        var values = new long[Layout.NumElements(shape)];
        Random.Or(generator).FillInt64(values, low, high);
        var t = FromArray(values, (int[])shape.Clone());
        return dtype == DType.Int64 ? t : t.CastCopy(dtype);
    }

    /// <summary>Integers drawn uniformly from [0, <paramref name="high"/>).</summary>
    public static Tensor Randint(long high, int[] shape, DType dtype = DType.Int64, Generator? generator = null) =>
        Randint(0, high, shape, dtype, generator);

    /// <summary>Uniform [0, 1) samples shaped like <paramref name="t"/>, with its dtype (or <paramref name="dtype"/>).</summary>
    public static Tensor RandLike(Tensor t, DType? dtype = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Rand(t._shape, dtype ?? t.DType, generator);
    }

    /// <summary>Standard normal samples shaped like <paramref name="t"/>, with its dtype (or <paramref name="dtype"/>).</summary>
    public static Tensor RandnLike(Tensor t, DType? dtype = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Randn(t._shape, dtype ?? t.DType, generator);
    }

    /// <summary>Integers in [low, high) shaped like <paramref name="t"/>, with its dtype (or <paramref name="dtype"/>).</summary>
    public static Tensor RandintLike(Tensor t, long low, long high, DType? dtype = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Randint(low, high, t._shape, dtype ?? t.DType, generator);
    }

    static DType CheckFloating(DType dtype, string op) => dtype.IsFloating()
        ? dtype
        : throw new ArgumentException($"{op}: dtype {dtype.TorchName()} is not supported; {op} needs a floating dtype (float32 or float64).");
}
