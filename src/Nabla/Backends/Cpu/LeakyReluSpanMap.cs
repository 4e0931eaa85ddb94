using System.Numerics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Leaky ReLU over spans, vectorised both ways (run through <see cref="Pointwise.MapSpans{TMap}"/> and
/// <see cref="Pointwise.GradSpans{TMap}"/>, which also split long tensors over cores). Forward: x &gt; 0 ? x : x · slope;
/// backward: x &gt; 0 ? g : g · slope (the slope at 0, as PyTorch). Every lane does what <see cref="LeakyReluMap"/>
/// does for one element, the same compare and the same product, so the results are its bits, NaN and −0 included.
/// </summary>
internal readonly struct LeakyReluSpanMap(double slope) : IPointwiseSpan, IPointwiseGradSpan
{
    /// <summary>The forward is the backward with g = x: x &gt; 0 ? x : x · slope.</summary>
    public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Apply(x, x, y);

    public void Apply<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = T.CreateTruncating(slope);
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vs = new Vector<T>(s);
            for (int w = Vector<T>.Count; i <= d.Length - w; i += w)
            {
                var vg = new Vector<T>(g[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(x[i..]), Vector<T>.Zero), vg, vg * vs).CopyTo(d[i..]);
            }
        }
        for (; i < d.Length; i++) d[i] = x[i] > T.Zero ? g[i] : g[i] * s;
    }
}
