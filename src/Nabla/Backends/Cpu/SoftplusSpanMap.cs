using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// <see cref="SoftplusMap"/> vectorised: e^(βx) and log(1 + e^(βx)) come from TensorPrimitives' vector exponential and
/// logarithm, and the rest (the rescaling that keeps log(1 + z) accurate for tiny z, the threshold select, the
/// gradient z/(z + 1)) are the scalar map's operations in its order, so results agree with it to an ulp or two.
/// </summary>
internal readonly struct SoftplusSpanMap(double beta, double threshold) : IPointwiseSpan, IPointwiseGradSpan
{
    /// <summary>Elements whose log(1 + z) the forward holds on the stack at a time.</summary>
    const int Chunk = 512;

    public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T b = T.CreateTruncating(beta), limit = T.CreateTruncating(threshold);
        Span<T> logs = stackalloc T[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            ReadOnlySpan<T> xc = x.Slice(start, n);
            Span<T> z = y.Slice(start, n), log = logs[..n];
            TensorPrimitives.Multiply(xc, b, z);
            TensorPrimitives.Exp(z, z);
            TensorPrimitives.Add(z, T.One, log);
            TensorPrimitives.Log(log, log);
            Combine(xc, b, limit, log, z);
        }
    }

    /// <summary>
    /// y = x where βx exceeds the threshold, else log(1 + z)/β with z = e^(βx) held in y on entry and log(1 + z) in
    /// <paramref name="log"/>; log(1 + z) is rescaled by z/(u − 1), u = 1 + z, as <see cref="SoftplusMap"/> does.
    /// </summary>
    void Combine<T>(ReadOnlySpan<T> x, T b, T limit, ReadOnlySpan<T> log, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> vb = new(b), vlimit = new(limit), one = Vector<T>.One, infinity = new(T.PositiveInfinity);
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
            {
                var vx = new Vector<T>(x[i..]);
                var z = new Vector<T>(y[i..]);
                var u = one + z;
                var rescaled = new Vector<T>(log[i..]) * (z / (u - one));
                var log1p = Vector.ConditionalSelect(Vector.Equals(u, one), z, Vector.ConditionalSelect(Vector.Equals(u, infinity), u, rescaled));
                Vector.ConditionalSelect(Vector.GreaterThan(vx * vb, vlimit), vx, log1p / vb).CopyTo(y[i..]);
            }
        }
        // The last few elements through the scalar map itself.
        var scalar = new SoftplusMap(beta, threshold);
        for (; i < x.Length; i++) y[i] = scalar.Apply(x[i]);
    }

    /// <summary>d = g where βx exceeds the threshold, else g · z/(z + 1) with z = e^(βx).</summary>
    public void Apply<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T b = T.CreateTruncating(beta), limit = T.CreateTruncating(threshold);
        TensorPrimitives.Multiply(x, b, d);
        TensorPrimitives.Exp(d, d);
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> vb = new(b), vlimit = new(limit), one = Vector<T>.One;
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
            {
                var vg = new Vector<T>(g[i..]);
                var z = new Vector<T>(d[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(x[i..]) * vb, vlimit), vg, vg * z / (z + one)).CopyTo(d[i..]);
            }
        }
        var scalar = new SoftplusMap(beta, threshold);
        for (; i < x.Length; i++) d[i] = scalar.Apply(g[i], x[i]);
    }
}
