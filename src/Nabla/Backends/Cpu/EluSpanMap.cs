using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// The forward ELU/SELU of <see cref="EluMap"/> (scale · x for x &gt; 0, else scale · alpha · (e^(inputScale · x) − 1)),
/// vectorised: the negative branch is computed for a block with TensorPrimitives' vector e^x − 1, then each lane
/// keeps the branch its x selects. The operations and their order are the scalar map's; only e^x − 1 comes from
/// the vector routine instead of the scalar one, so results agree with <see cref="EluMap"/> to an ulp or two.
/// The backward is done the same way: g · (inputScale · alpha · scale) · e^(inputScale · x) for x ≤ 0, else g · scale.
/// </summary>
internal readonly struct EluSpanMap(double alpha, double scale, double inputScale) : IPointwiseSpan, IPointwiseGradSpan
{
    /// <summary>Elements per block: the block's e^x − 1 is still in L1 when the select pass reads it back.</summary>
    const int Block = 1024;

    public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negativeScale = T.CreateTruncating(alpha * scale), positiveScale = T.CreateTruncating(scale), input = T.CreateTruncating(inputScale);
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            ReadOnlySpan<T> xb = x.Slice(start, n);
            Span<T> yb = y.Slice(start, n);
            TensorPrimitives.Multiply(xb, input, yb);
            TensorPrimitives.ExpM1(yb, yb);
            TensorPrimitives.Multiply(yb, negativeScale, yb);
            SelectPositive(xb, positiveScale, yb);
        }
    }

    public void Apply<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negativeScale = T.CreateTruncating(inputScale * alpha * scale), positiveScale = T.CreateTruncating(scale), input = T.CreateTruncating(inputScale);
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            ReadOnlySpan<T> gb = g.Slice(start, n), xb = x.Slice(start, n);
            Span<T> db = d.Slice(start, n);
            TensorPrimitives.Multiply(xb, input, db);
            TensorPrimitives.Exp(db, db);
            CombineGradient(gb, xb, negativeScale, positiveScale, db);
        }
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
