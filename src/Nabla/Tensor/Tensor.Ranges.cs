using System.Numerics;
using Nabla.Backends.Cpu;

namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>0, 1, ..., <paramref name="end"/> − 1 as int64 (PyTorch's torch.arange(end)).</summary>
    public static Tensor Arange(long end) => Arange(0, end, 1);

    /// <summary>
    /// start, start + step, ... up to but excluding <paramref name="end"/>. Integer arguments give int64 like
    /// PyTorch; pass <paramref name="dtype"/> for another type (values are computed in double, then converted).
    /// </summary>
    public static Tensor Arange(long start, long end, long step = 1, DType? dtype = null)
    {
        if (step == 0)
            throw new ArgumentException($"arange: step must be nonzero (start={start}, end={end}).");
        if ((step > 0 && end < start) || (step < 0 && end > start))
            throw new ArgumentException($"arange: upper bound and lower bound inconsistent with step sign (start={start}, end={end}, step={step}).");
        // ceil((end - start) / step) in 128 bits, so extreme longs cannot overflow.
        Int128 span = (Int128)end - start;
        Int128 count = (span + step - Math.Sign(step)) / step;
        int n = CheckRangeLength(count, "arange");
        var type = dtype ?? DType.Int64;
        if (type == DType.Int64)
        {
            var data = new long[n];
            for (int i = 0; i < n; i++) data[i] = start + i * step;
            return FromArray(data, [n]);
        }
        return FillRange(type, n, "arange", i => start + (double)i * step);
    }

    /// <summary>0, 1, ..., up to <paramref name="end"/> as float32 (fractional arguments: PyTorch's default dtype).</summary>
    public static Tensor Arange(double end) => Arange(0.0, end, 1.0);

    /// <summary>start, start + step, ... below <paramref name="end"/>; float32 unless <paramref name="dtype"/> says otherwise.</summary>
    public static Tensor Arange(double start, double end, double step = 1.0, DType? dtype = null)
    {
        // DType? (not DType) on both overloads keeps Arange(0, 5, dtype: ...) resolving to the integer one.
        if (!double.IsFinite(start) || !double.IsFinite(end))
            throw new ArgumentException($"arange: unsupported range {start} -> {end}: bounds must be finite.");
        // For an int64 result PyTorch converts the bounds and step to integers first: arange(0.5, 7.5, 1.5, int64) = 0..6.
        if (dtype == DType.Int64)
        {
            if (double.IsNaN(step) || (long)step == 0)
                throw new ArgumentException($"arange: step must be nonzero (start={start}, end={end}, step={step} as int64).");
            return Arange((long)start, (long)end, (long)step);
        }
        if (step == 0 || double.IsNaN(step))
            throw new ArgumentException($"arange: step must be nonzero (start={start}, end={end}, step={step}).");
        if ((step > 0 && end < start) || (step < 0 && end > start))
            throw new ArgumentException($"arange: upper bound and lower bound inconsistent with step sign (start={start}, end={end}, step={step}).");
        // PyTorch sizes the result as ceil((end - start) / step) computed in double.
        double count = Math.Ceiling((end - start) / step);
        int n = CheckRangeLength(double.IsFinite(count) ? (Int128)count : Int128.MaxValue, "arange");
        // Values are start + i * step in double (PyTorch's CPU accumulate type), then rounded to the dtype.
        return FillRange(dtype ?? DType.Float32, n, "arange", i => start + i * step);
    }

    /// <summary>
    /// <paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/>, both included.
    /// Like PyTorch, the first half is counted up from start and the second half down from end, so both ends are exact.
    /// </summary>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32)
    {
        if (steps < 0)
            throw new ArgumentException($"linspace: number of steps must be non-negative, got {steps}.");
        if (dtype == DType.Bool)
            throw new ArgumentException("linspace: dtype bool is not supported; use float32, float64 or int64.");
        switch (dtype)
        {
            case DType.Float32: return FromArray(LinspaceValues((float)start, (float)end, steps), [steps]);
            case DType.Float64: return FromArray(LinspaceValues(start, end, steps), [steps]);
            default:
            {
                // Integer linspace: the step is fractional (double), each value is truncated toward zero.
                var values = LinspaceValues((double)(long)start, (long)end, steps);
                var data = new long[steps];
                for (int i = 0; i < steps; i++) data[i] = (long)values[i];
                return FromArray(data, [steps]);
            }
        }
    }

    static T[] LinspaceValues<T>(T start, T end, int steps) where T : IFloatingPoint<T>
    {
        var data = new T[steps];
        if (steps == 0) return data;
        if (steps == 1) { data[0] = start; return data; }
        T step = (end - start) / T.CreateChecked(steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++)
            data[i] = i < halfway ? start + step * T.CreateChecked(i) : end - step * T.CreateChecked(steps - i - 1);
        return data;
    }

    /// <summary>The n×n identity matrix.</summary>
    public static Tensor Eye(int n, DType dtype = DType.Float32) => Eye(n, n, dtype);

    /// <summary>An n×m matrix with ones on the main diagonal and zeros elsewhere.</summary>
    public static Tensor Eye(int n, int m, DType dtype = DType.Float32)
    {
        if (n < 0 || m < 0)
            throw new ArgumentException($"eye: n and m must be non-negative, got n={n}, m={m}.");
        var t = Zeros([n, m], dtype);
        int diag = Math.Min(n, m);
        for (int i = 0; i < diag; i++) t._storage.SetFromDouble(i * m + i, 1);
        return t;
    }

    static int CheckRangeLength(Int128 count, string op)
    {
        if (count > Array.MaxLength)
            throw new ArgumentException($"{op}: the range would hold {count} elements, more than a tensor can ({Array.MaxLength}).");
        return (int)count;
    }

    /// <summary>Writes value(i) for i in [0, n) converted to <paramref name="dtype"/>. Not a hot path: ranges are built once.</summary>
    static Tensor FillRange(DType dtype, int n, string op, Func<int, double> value)
    {
        switch (dtype)
        {
            case DType.Float32: { var d = new float[n]; for (int i = 0; i < n; i++) d[i] = (float)value(i); return FromArray(d, [n]); }
            case DType.Float64: { var d = new double[n]; for (int i = 0; i < n; i++) d[i] = value(i); return FromArray(d, [n]); }
            case DType.Int64: { var d = new long[n]; for (int i = 0; i < n; i++) d[i] = (long)value(i); return FromArray(d, [n]); }
            default: throw new ArgumentException($"{op}: dtype bool is not supported; use float32, float64 or int64.");
        }
    }
}
