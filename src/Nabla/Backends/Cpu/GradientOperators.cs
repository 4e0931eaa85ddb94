using System.Numerics;

namespace Nabla.Backends.Cpu;

// Fused backward kernels of the activations, each a function of (upstream gradient g, saved output y).
// One pass instead of three or four separate tensor ops, and no input needs to be kept alive.

/// <summary>g where y &gt; 0, else 0: ReLU's gradient read off its output (zero at the kink, as PyTorch).</summary>
internal readonly struct ReluGradOperator : INumericBinary
{
    public static T Scalar<T>(T g, T y) where T : unmanaged, INumber<T> => y > T.Zero ? g : T.Zero;

    public static void Span<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var yv = new Vector<T>(y.Slice(i));
                Vector.ConditionalSelect(Vector.GreaterThan(yv, Vector<T>.Zero), new Vector<T>(g.Slice(i)), Vector<T>.Zero).CopyTo(d.Slice(i));
            }
        for (; i < d.Length; i++) d[i] = Scalar(g[i], y[i]);
    }

    public static void SpanScalar<T>(ReadOnlySpan<T> g, T y, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(g[i], y);
    }

    public static void ScalarSpan<T>(T g, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(g, y[i]);
    }
}

/// <summary>g · y · (1 − y): sigmoid's derivative in terms of its output.</summary>
internal readonly struct SigmoidGradOperator : INumericBinary
{
    public static T Scalar<T>(T g, T y) where T : unmanaged, INumber<T> => g * y * (T.One - y);

    public static void Span<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var yv = new Vector<T>(y.Slice(i));
                (new Vector<T>(g.Slice(i)) * yv * (Vector<T>.One - yv)).CopyTo(d.Slice(i));
            }
        for (; i < d.Length; i++) d[i] = Scalar(g[i], y[i]);
    }

    public static void SpanScalar<T>(ReadOnlySpan<T> g, T y, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(g[i], y);
    }

    public static void ScalarSpan<T>(T g, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(g, y[i]);
    }
}

/// <summary>g · (1 − y²): tanh's derivative in terms of its output.</summary>
internal readonly struct TanhGradOperator : INumericBinary
{
    public static T Scalar<T>(T g, T y) where T : unmanaged, INumber<T> => g * (T.One - y * y);

    public static void Span<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var yv = new Vector<T>(y.Slice(i));
                (new Vector<T>(g.Slice(i)) * (Vector<T>.One - yv * yv)).CopyTo(d.Slice(i));
            }
        for (; i < d.Length; i++) d[i] = Scalar(g[i], y[i]);
    }

    public static void SpanScalar<T>(ReadOnlySpan<T> g, T y, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(g[i], y);
    }

    public static void ScalarSpan<T>(T g, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(g, y[i]);
    }
}
