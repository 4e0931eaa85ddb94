using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// <see cref="ErfMap"/> and <see cref="ErfGradMap"/> vectorised: erf through <see cref="ErfSpan"/> (erf in double on
/// vector lanes, rounded to T); the gradient g · 2/√π · e^(−x²) with the scalar map's operations in its order and
/// TensorPrimitives' vector exponential.
/// </summary>
internal readonly struct ErfSpanMap : IPointwiseSpan, IPointwiseGradSpan
{
    const double TwoOverSqrtPi = 1.1283791670955126;

    public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => ErfSpan.Erf(x, T.One, y);

    public void Apply<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(x, x, d);
        TensorPrimitives.Negate(d, d);
        TensorPrimitives.Exp(d, d);
        T scale = T.CreateTruncating(TwoOverSqrtPi);
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var s = new Vector<T>(scale);
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
                (new Vector<T>(g[i..]) * s * new Vector<T>(d[i..])).CopyTo(d[i..]);
        }
        for (; i < x.Length; i++) d[i] = g[i] * scale * d[i];
    }
}
