using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// <see cref="GeluTanhMap"/> vectorised (on <see cref="Pointwise"/>'s L1-sized blocks): the inner argument √(2/π)(x + 0.044715x³) is computed with
/// vectors, its tanh by TensorPrimitives' vector tanh, and the result combined with vectors, each step with the scalar
/// map's operations in the scalar map's order. Only tanh differs from the scalar routine, so results agree with
/// <see cref="GeluTanhMap"/> to a few ulps.
/// </summary>
internal readonly struct GeluTanhSpanMap : IPointwiseSpan, IPointwiseGradSpan
{
    const double Beta = 0.79788456080286535588;   // √(2/π)
    const double Kappa = 0.044715;

    public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TanhOfInner(x, y, backward: false);
        CombineForward(x, y);
    }

    public void Apply<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TanhOfInner(x, d, backward: true);
        CombineGradient(g, x, d);
    }

    /// <summary>
    /// t = tanh(β · (x + κx³)), with κx³ rounded as the scalar map rounds it in each direction: ((κ · x) · x) · x
    /// forward, (κ · x²) · x backward.
    /// </summary>
    static void TanhOfInner<T>(ReadOnlySpan<T> x, Span<T> t, bool backward) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T beta = T.CreateTruncating(Beta), kappa = T.CreateTruncating(Kappa);
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> b = new(beta), k = new(kappa);
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
            {
                var v = new Vector<T>(x[i..]);
                var cube = backward ? k * (v * v) * v : k * v * v * v;
                (b * (v + cube)).CopyTo(t[i..]);
            }
        }
        for (; i < x.Length; i++) t[i] = beta * (x[i] + (backward ? kappa * (x[i] * x[i]) * x[i] : kappa * x[i] * x[i] * x[i]));
        TensorPrimitives.Tanh(t, t);
    }

    /// <summary>y = ½ · x · (1 + t), with y holding t on entry.</summary>
    static void CombineForward<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5);
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> h = new(half), one = Vector<T>.One;
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
                (h * new Vector<T>(x[i..]) * (one + new Vector<T>(y[i..]))).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] = half * x[i] * (T.One + y[i]);
    }

    /// <summary>d = g · (½(1 + t) + ½x · (1 − t²) · β(1 + 3κx²)), with d holding t on entry.</summary>
    static void CombineGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5), beta = T.CreateTruncating(Beta), kappa3 = T.CreateTruncating(3 * Kappa);
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> h = new(half), b = new(beta), k3 = new(kappa3), one = Vector<T>.One;
            for (int w = Vector<T>.Count; i <= x.Length - w; i += w)
            {
                var v = new Vector<T>(x[i..]);
                var t = new Vector<T>(d[i..]);
                var innerDerivative = b * (one + k3 * (v * v));
                (new Vector<T>(g[i..]) * (h * (one + t) + h * v * (one - t * t) * innerDerivative)).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++)
        {
            T t = d[i], x2 = x[i] * x[i];
            d[i] = g[i] * (half * (T.One + t) + half * x[i] * (T.One - t * t) * (beta * (T.One + kappa3 * x2)));
        }
    }
}
