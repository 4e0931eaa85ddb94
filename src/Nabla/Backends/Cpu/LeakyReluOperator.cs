using System.Numerics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Leaky ReLU as a binary op whose right operand is the slope, so the forward pass runs vectorised and split over
/// cores through <see cref="DenseSplit.WithScalar{T, TOp}"/>. Every lane does what <see cref="LeakyReluMap"/> does
/// for one element (x &gt; 0 ? x : x · slope, the same compare and the same product), so the results are the
/// scalar map's to the bit, NaN and −0 included.
/// </summary>
internal readonly struct LeakyReluOperator : INumericBinary
{
    public static T Scalar<T>(T x, T slope) where T : unmanaged, INumber<T> => x > T.Zero ? x : x * slope;

    public static void SpanScalar<T>(ReadOnlySpan<T> x, T slope, Span<T> d) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var s = new Vector<T>(slope);
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
            {
                var v = new Vector<T>(x[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), v, v * s).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++) d[i] = Scalar(x[i], slope);
    }

    // Elementwise slopes and a scalar input are not how the op is called; they are here for the interface.
    public static void Span<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> slope, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(x[i], slope[i]);
    }

    public static void ScalarSpan<T>(T x, ReadOnlySpan<T> slope, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(x, slope[i]);
    }
}

/// <summary>
/// Leaky ReLU's backward over spans, vectorised: g where x &gt; 0, else g · slope (the slope at 0, as PyTorch). Every
/// lane does what <see cref="LeakyReluMap"/>'s gradient does for one element, so the results are its bits.
/// </summary>
internal readonly struct LeakyReluGradSpan(double slope) : IPointwiseGradSpan
{
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
