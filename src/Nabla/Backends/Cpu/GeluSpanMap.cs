using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// <see cref="GeluMap"/> (exact GELU, ½x(1 + erf(x/√2))) vectorised: erf through <see cref="ErfSpan"/> (the scalar
/// routine's interpolants on vector lanes), e^(−x²/2) of the backward through TensorPrimitives' vector exponential,
/// and everything else with the scalar map's operations in its order, so results agree with <see cref="GeluMap"/> to
/// an ulp or so of the terms they are made of.
/// </summary>
internal readonly struct GeluSpanMap : IPointwiseSpan, IPointwiseGradSpan
{
    const double Sqrt1_2 = 0.70710678118654752440;
    const double InvSqrt2Pi = 0.39894228040143267794;   // 1/√(2π), the normal density at 0

    /// <summary>Elements whose normal density the backward holds on the stack at a time.</summary>
    const int Chunk = 512;

    public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ErfSpan.Erf(x, T.CreateTruncating(Sqrt1_2), y);
        T half = T.CreateTruncating(0.5);
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> h = new(half), one = Vector<T>.One;
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
                (new Vector<T>(x[i..]) * h * (one + new Vector<T>(y[i..]))).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] = x[i] * half * (T.One + y[i]);
    }

    /// <summary>d = g · (Φ(x) + x · φ(x)), Φ(x) = ½(1 + erf(x/√2)), φ(x) = e^(−x²/2)/√(2π).</summary>
    public void Apply<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ErfSpan.Erf(x, T.CreateTruncating(Sqrt1_2), d);
        Span<T> pdf = stackalloc T[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            ReadOnlySpan<T> xc = x.Slice(start, n);
            Span<T> p = pdf[..n];
            // −½ · x · x, rounded as the scalar map rounds it, then e^ and the scale.
            TensorPrimitives.Multiply(xc, T.CreateTruncating(-0.5), p);
            TensorPrimitives.Multiply(p, xc, p);
            TensorPrimitives.Exp(p, p);
            TensorPrimitives.Multiply(p, T.CreateTruncating(InvSqrt2Pi), p);
            Combine(g.Slice(start, n), xc, p, d.Slice(start, n));
        }
    }

    /// <summary>d = g · (½(1 + d) + x · pdf), with d holding erf(x/√2) on entry.</summary>
    static void Combine<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> pdf, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5);
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> h = new(half), one = Vector<T>.One;
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
            {
                var cdf = h * (one + new Vector<T>(d[i..]));
                (new Vector<T>(g[i..]) * (cdf + new Vector<T>(x[i..]) * new Vector<T>(pdf[i..]))).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++) d[i] = g[i] * (half * (T.One + d[i]) + x[i] * pdf[i]);
    }
}
