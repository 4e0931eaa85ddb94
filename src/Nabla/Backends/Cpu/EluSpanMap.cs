using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// The forward ELU/SELU of <see cref="EluMap"/> (scale · x for x &gt; 0, else scale · alpha · (e^(inputScale · x) − 1)),
/// vectorised (on <see cref="Pointwise"/>'s L1-sized blocks): the negative branch is computed with TensorPrimitives'
/// vector e^x − 1, then each lane keeps the branch its x selects. The operations and their order are the scalar map's; only e^x − 1 comes from
/// the vector routine instead of the scalar one, so results agree with <see cref="EluMap"/> to an ulp or two.
/// The backward is done the same way: g · (inputScale · alpha · scale) · e^(inputScale · x) for x ≤ 0, else g · scale.
/// </summary>
internal readonly struct EluSpanMap(double alpha, double scale, double inputScale) : IPointwiseSpan, IPointwiseGradSpan
{
    public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negativeScale = T.CreateTruncating(alpha * scale), positiveScale = T.CreateTruncating(scale), input = T.CreateTruncating(inputScale);
        TensorPrimitives.Multiply(x, input, y);
        TensorPrimitives.ExpM1(y, y);
        TensorPrimitives.Multiply(y, negativeScale, y);
        SelectPositive(x, positiveScale, y);
    }

    public void Apply<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negativeScale = T.CreateTruncating(inputScale * alpha * scale), positiveScale = T.CreateTruncating(scale), input = T.CreateTruncating(inputScale);
        TensorPrimitives.Multiply(x, input, d);
        TensorPrimitives.Exp(d, d);
        CombineGradient(g, x, negativeScale, positiveScale, d);
    }

    /// <summary>
    /// d = (g · negativeScale) · d where x ≤ 0, with d holding e^(inputScale · x), else g · positiveScale. The test is
    /// x ≤ 0 as in the scalar map, so a NaN input takes the positive branch and its gradient stays g · scale.
    /// </summary>
    static void CombineGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, T negativeScale, T positiveScale, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> neg = new(negativeScale), pos = new(positiveScale);
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
            {
                var vg = new Vector<T>(g[i..]);
                var negative = vg * neg * new Vector<T>(d[i..]);
                Vector.ConditionalSelect(Vector.LessThanOrEqual(new Vector<T>(x[i..]), Vector<T>.Zero), negative, vg * pos).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++) d[i] = x[i] <= T.Zero ? g[i] * negativeScale * d[i] : g[i] * positiveScale;
    }

    /// <summary>y = x · scale where x &gt; 0; y keeps the negative branch elsewhere (x ≤ 0 and NaN, as the scalar map).</summary>
    static void SelectPositive<T>(ReadOnlySpan<T> x, T scale, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var s = new Vector<T>(scale);
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
            {
                var v = new Vector<T>(x[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), v * s, new Vector<T>(y[i..])).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++) if (x[i] > T.Zero) y[i] = x[i] * scale;
    }
}
