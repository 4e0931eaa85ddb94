using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// <see cref="SiluMap"/> vectorised (on <see cref="Pointwise"/>'s L1-sized blocks): e^(−x) comes from TensorPrimitives' vector exponential and the rest
/// are the scalar map's operations in the scalar map's order (forward x / (1 + e^(−x)); backward s = 1 / (1 + e^(−x)),
/// then g · s · (1 + x · (1 − s))). Only the exponential differs from the scalar routine, so results agree with
/// <see cref="SiluMap"/> to an ulp or two.
/// </summary>
internal readonly struct SiluSpanMap : IPointwiseSpan, IPointwiseGradSpan
{
    public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        OnePlusExpNegative(x, y);
        TensorPrimitives.Divide(x, y, y);
    }

    public void Apply<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        OnePlusExpNegative(x, d);
        TensorPrimitives.Reciprocal(d, d);
        CombineGradient(g, x, d);
    }

    /// <summary>y = 1 + e^(−x).</summary>
    static void OnePlusExpNegative<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Negate(x, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Add(y, T.One, y);
    }

    /// <summary>d = g · s · (1 + x · (1 − s)), with d holding the sigmoid s on entry.</summary>
    static void CombineGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var one = Vector<T>.One;
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
            {
                var s = new Vector<T>(d[i..]);
                (new Vector<T>(g[i..]) * s * (one + new Vector<T>(x[i..]) * (one - s))).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++) d[i] = g[i] * d[i] * (T.One + x[i] * (T.One - d[i]));
    }
}
