using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// σ and tanh on Vector256 lanes for the fused LSTM step, from one vectorised exp each (Vector256.Exp: the
/// runtime's polynomial exp, about 1 ulp): σ(x) = 1/(1 + e^(−x)), tanh(x) = 1 − 2/(e^(2x) + 1). Both saturate
/// correctly (e^±large = ∞ or 0 gives exactly 0, 1 or −1); near 0 tanh has an absolute error of about one ulp
/// of 1, far below the 1e-5 of the golden tests in float32 and the 1e-12 of the float64 twin tests.
/// </summary>
internal static class RecurrentGateMath
{
    /// <summary>Whether the fused vector path runs (float32/float64 on a machine with 256-bit vectors).</summary>
    public static bool Vectorized<T>() => Vector256.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector256.Exp(x.AsSingle()).As<float, T>();
        return Vector256.Exp(x.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sigmoid<T>(Vector256<T> x) where T : unmanaged, INumber<T> =>
        Vector256<T>.One / (Vector256<T>.One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh<T>(Vector256<T> x) where T : unmanaged, INumber<T>
    {
        var two = Vector256.Create(T.One + T.One);
        return Vector256<T>.One - two / (Exp(two * x) + Vector256<T>.One);
    }

    /// <summary>
    /// The LSTM step for one row in one pass: gates [i|f|g|o] (pre-activations in, activations out),
    /// c = f·cPrev + i·g, h = o·tanh(c). Handles whole vectors; returns how many columns it did (the rest is the caller's).
    /// </summary>
    public static int LstmForward<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h) where T : unmanaged, INumber<T>
    {
        int n = c.Length, w = Vector256<T>.Count, k = 0;
        ref T gi = ref gates[0];
        ref T gf = ref gates[n];
        ref T gg = ref gates[2 * n];
        ref T go = ref gates[3 * n];
        for (; k <= n - w; k += w)
        {
            nuint u = (nuint)k;
            var i = Sigmoid(Vector256.LoadUnsafe(ref gi, u));
            var f = Sigmoid(Vector256.LoadUnsafe(ref gf, u));
            var g = Tanh(Vector256.LoadUnsafe(ref gg, u));
            var o = Sigmoid(Vector256.LoadUnsafe(ref go, u));
            i.StoreUnsafe(ref gi, u);
            f.StoreUnsafe(ref gf, u);
            g.StoreUnsafe(ref gg, u);
            o.StoreUnsafe(ref go, u);
            var cv = f * Vector256.Create(cPrev[k..]) + i * g;
            cv.StoreUnsafe(ref c[0], u);
            (o * Tanh(cv)).StoreUnsafe(ref h[0], u);
        }
        return k;
    }

    /// <summary>y = tanh(x) elementwise: the vector formula on whole vectors, T.Tanh on the tail.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, w = Vector256<T>.Count, k = 0;
        for (; k <= n - w; k += w) Tanh(Vector256.Create(x[k..])).CopyTo(y[k..]);
        for (; k < n; k++) y[k] = T.Tanh(x[k]);
    }
}
