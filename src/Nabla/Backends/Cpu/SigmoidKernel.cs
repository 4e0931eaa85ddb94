using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Numerics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// σ(x) = 1 / (1 + e⁻ˣ) in one pass over memory: each element is read once, and its exponential, the division
/// and the write happen in registers. (TensorPrimitives.Sigmoid makes several passes, ~3× slower on a 4.8 MB
/// activation.) Every width — Vector512, Vector256, Vector&lt;T&gt; and the scalar tail — runs the same
/// sequence of IEEE operations with fused multiply-adds, so an element's result does not depend on where it
/// sits in the span.
/// <para>
/// The method: e = exp(−|x|) ∈ (0, 1], then σ = 1/(1 + e) for x ≥ 0 and e/(1 + e) for x &lt; 0. Only
/// non-positive arguments reach exp, so nothing overflows; large negative x underflows gradually through the
/// subnormals to exactly 0 (float32 at x ≈ −103.9, float64 at x ≈ −745), large positive x gives exactly 1,
/// ±∞ give 0 and 1, NaN is returned unchanged. exp(t): t = n·ln2 + r with n = round(t·log₂e) (the
/// 1.5·2^mantissa-bits shifter rounds and leaves n in the low bits), r from a two-part ln2 (Cody–Waite), eʳ by
/// its Taylor polynomial on |r| ≤ ln2/2 (degree 7 for float32, truncation error 5e-9 relative; degree 13 for
/// float64, 4e-18), and 2ⁿ applied as two power-of-two factors 2^⌊n/2⌋ · 2^(n−⌊n/2⌋), both normal numbers,
/// so the single rounding into the subnormal range happens in the last product.
/// </para>
/// </summary>
internal static class SigmoidKernel
{
    // float32 constants. Below −104, e⁻¹⁰⁴ ≈ 6.8e-46 already rounds to 0, so clamping there changes nothing.
    const float LowestF = -104f;
    const float Log2EF = 1.44269502f;
    const float ShifterF = 12582912f;                 // 1.5 · 2²³
    const float Ln2HiF = 0.693147182f;                // ln 2 rounded to float32
    const float Ln2LoF = -1.90465430e-09f;            // ln 2 − Ln2HiF
    const int BiasF = 127, MantissaF = 23;

    // float64 constants. e⁻⁷⁴⁶ rounds to 0 (the smallest subnormal is 4.9e-324 ≈ e⁻⁷⁴⁴·⁴).
    const double LowestD = -746.0;
    const double Log2ED = 1.4426950408889634;
    const double ShifterD = 6755399441055744.0;       // 1.5 · 2⁵²
    const double Ln2HiD = 0.6931471805599453;         // ln 2 rounded to float64
    const double Ln2LoD = 2.3190468138462996e-17;     // ln 2 − Ln2HiD
    const long BiasD = 1023; const int MantissaD = 52;

    /// <summary>y = σ(x) for spans of equal length (float or double), on the calling thread.</summary>
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged
    {
        if (x.Length != y.Length) throw new ArgumentException($"sigmoid: input length {x.Length} and output length {y.Length} differ.");
        if (typeof(T) == typeof(float)) RunFloat(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else if (typeof(T) == typeof(double)) RunDouble(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
        else throw new NotSupportedException($"sigmoid: no kernel for {typeof(T).Name}.");
    }

    static void RunFloat(ReadOnlySpan<float> x, Span<float> y)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Sigmoid(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Sigmoid(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        else if (Vector.IsHardwareAccelerated)
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                Sigmoid(Vector.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        for (; i < n; i++) y[i] = Sigmoid(x[i]);
    }

    static void RunDouble(ReadOnlySpan<double> x, Span<double> y)
    {
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
                Sigmoid(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
                Sigmoid(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        else if (Vector.IsHardwareAccelerated)
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
                Sigmoid(Vector.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        for (; i < n; i++) y[i] = Sigmoid(x[i]);
    }

    // ---- float32: one scalar form and one per vector width, the same operations in the same order. ----

    /// <summary>The scalar form (tails, and the reference the vector forms are tested against).</summary>
    internal static float Sigmoid(float x)
    {
        if (float.IsNaN(x)) return x;
        float t = MathF.Max(-MathF.Abs(x), LowestF);
        float k = MathF.FusedMultiplyAdd(t, Log2EF, ShifterF);
        float nf = k - ShifterF;
        float r = MathF.FusedMultiplyAdd(nf, -Ln2HiF, t);
        r = MathF.FusedMultiplyAdd(nf, -Ln2LoF, r);
        float p = 1f / 5040;
        p = MathF.FusedMultiplyAdd(p, r, 1f / 720);
        p = MathF.FusedMultiplyAdd(p, r, 1f / 120);
        p = MathF.FusedMultiplyAdd(p, r, 1f / 24);
        p = MathF.FusedMultiplyAdd(p, r, 1f / 6);
        p = MathF.FusedMultiplyAdd(p, r, 0.5f);
        p = MathF.FusedMultiplyAdd(p, r, 1f);
        p = MathF.FusedMultiplyAdd(p, r, 1f);
        int n = BitConverter.SingleToInt32Bits(k) - BitConverter.SingleToInt32Bits(ShifterF);
        int half = n >> 1;
        float e = p * BitConverter.Int32BitsToSingle((half + BiasF) << MantissaF) * BitConverter.Int32BitsToSingle((n - half + BiasF) << MantissaF);
        return (x < 0 ? e : 1f) / (1f + e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Sigmoid(Vector512<float> x)
    {
        var t = Vector512.MaxNative(-Vector512.Abs(x), Vector512.Create(LowestF));
        var k = Vector512.FusedMultiplyAdd(t, Vector512.Create(Log2EF), Vector512.Create(ShifterF));
        var nf = k - Vector512.Create(ShifterF);
        var r = Vector512.FusedMultiplyAdd(nf, Vector512.Create(-Ln2HiF), t);
        r = Vector512.FusedMultiplyAdd(nf, Vector512.Create(-Ln2LoF), r);
        var p = Vector512.Create(1f / 5040);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 720));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        var n = k.AsInt32() - Vector512.Create(ShifterF).AsInt32();
        var half = n >> 1;
        var e = p * ((half + Vector512.Create(BiasF)) << MantissaF).AsSingle() * ((n - half + Vector512.Create(BiasF)) << MantissaF).AsSingle();
        var y = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), e, Vector512<float>.One) / (Vector512<float>.One + e);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var t = Vector256.MaxNative(-Vector256.Abs(x), Vector256.Create(LowestF));
        var k = Vector256.FusedMultiplyAdd(t, Vector256.Create(Log2EF), Vector256.Create(ShifterF));
        var nf = k - Vector256.Create(ShifterF);
        var r = Vector256.FusedMultiplyAdd(nf, Vector256.Create(-Ln2HiF), t);
        r = Vector256.FusedMultiplyAdd(nf, Vector256.Create(-Ln2LoF), r);
        var p = Vector256.Create(1f / 5040);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 720));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 120));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 24));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        var n = k.AsInt32() - Vector256.Create(ShifterF).AsInt32();
        var half = n >> 1;
        var e = p * ((half + Vector256.Create(BiasF)) << MantissaF).AsSingle() * ((n - half + Vector256.Create(BiasF)) << MantissaF).AsSingle();
        var y = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), e, Vector256<float>.One) / (Vector256<float>.One + e);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<float> Sigmoid(Vector<float> x)
    {
        var t = Vector.MaxNative(-Vector.Abs(x), new Vector<float>(LowestF));
        var k = Vector.FusedMultiplyAdd(t, new Vector<float>(Log2EF), new Vector<float>(ShifterF));
        var nf = k - new Vector<float>(ShifterF);
        var r = Vector.FusedMultiplyAdd(nf, new Vector<float>(-Ln2HiF), t);
        r = Vector.FusedMultiplyAdd(nf, new Vector<float>(-Ln2LoF), r);
        var p = new Vector<float>(1f / 5040);
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 720));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 120));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 24));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 6));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(0.5f));
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        var n = Vector.AsVectorInt32(k) - Vector.AsVectorInt32(new Vector<float>(ShifterF));
        var half = Vector.ShiftRightArithmetic(n, 1);
        var e = p * Vector.AsVectorSingle(Vector.ShiftLeft(half + new Vector<int>(BiasF), MantissaF))
                  * Vector.AsVectorSingle(Vector.ShiftLeft(n - half + new Vector<int>(BiasF), MantissaF));
        var y = Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), e, Vector<float>.One) / (Vector<float>.One + e);
        return Vector.ConditionalSelect(Vector.Equals(x, x), y, x);
    }

    // ---- float64: the same method with the double constants and a degree-13 polynomial. ----

    internal static double Sigmoid(double x)
    {
        if (double.IsNaN(x)) return x;
        double t = Math.Max(-Math.Abs(x), LowestD);
        double k = Math.FusedMultiplyAdd(t, Log2ED, ShifterD);
        double nf = k - ShifterD;
        double r = Math.FusedMultiplyAdd(nf, -Ln2HiD, t);
        r = Math.FusedMultiplyAdd(nf, -Ln2LoD, r);
        double p = InverseFactorials[0];
        for (int j = 1; j < InverseFactorials.Length; j++) p = Math.FusedMultiplyAdd(p, r, InverseFactorials[j]);
        long n = BitConverter.DoubleToInt64Bits(k) - BitConverter.DoubleToInt64Bits(ShifterD);
        long half = n >> 1;
        double e = p * BitConverter.Int64BitsToDouble((half + BiasD) << MantissaD) * BitConverter.Int64BitsToDouble((n - half + BiasD) << MantissaD);
        return (x < 0 ? e : 1.0) / (1.0 + e);
    }

    /// <summary>1/13!, 1/12!, …, 1/1!, 1/0!: the Taylor coefficients of eʳ, highest degree first (Horner order).</summary>
    static ReadOnlySpan<double> InverseFactorials =>
    [
        1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040,
        1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1.0, 1.0,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> Sigmoid(Vector512<double> x)
    {
        var t = Vector512.MaxNative(-Vector512.Abs(x), Vector512.Create(LowestD));
        var k = Vector512.FusedMultiplyAdd(t, Vector512.Create(Log2ED), Vector512.Create(ShifterD));
        var nf = k - Vector512.Create(ShifterD);
        var r = Vector512.FusedMultiplyAdd(nf, Vector512.Create(-Ln2HiD), t);
        r = Vector512.FusedMultiplyAdd(nf, Vector512.Create(-Ln2LoD), r);
        var p = Vector512.Create(InverseFactorials[0]);
        for (int j = 1; j < InverseFactorials.Length; j++) p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(InverseFactorials[j]));
        var n = k.AsInt64() - Vector512.Create(ShifterD).AsInt64();
        var half = n >> 1;
        var e = p * ((half + Vector512.Create(BiasD)) << MantissaD).AsDouble() * ((n - half + Vector512.Create(BiasD)) << MantissaD).AsDouble();
        var y = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), e, Vector512<double>.One) / (Vector512<double>.One + e);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> Sigmoid(Vector256<double> x)
    {
        var t = Vector256.MaxNative(-Vector256.Abs(x), Vector256.Create(LowestD));
        var k = Vector256.FusedMultiplyAdd(t, Vector256.Create(Log2ED), Vector256.Create(ShifterD));
        var nf = k - Vector256.Create(ShifterD);
        var r = Vector256.FusedMultiplyAdd(nf, Vector256.Create(-Ln2HiD), t);
        r = Vector256.FusedMultiplyAdd(nf, Vector256.Create(-Ln2LoD), r);
        var p = Vector256.Create(InverseFactorials[0]);
        for (int j = 1; j < InverseFactorials.Length; j++) p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(InverseFactorials[j]));
        var n = k.AsInt64() - Vector256.Create(ShifterD).AsInt64();
        var half = n >> 1;
        var e = p * ((half + Vector256.Create(BiasD)) << MantissaD).AsDouble() * ((n - half + Vector256.Create(BiasD)) << MantissaD).AsDouble();
        var y = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), e, Vector256<double>.One) / (Vector256<double>.One + e);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<double> Sigmoid(Vector<double> x)
    {
        var t = Vector.MaxNative(-Vector.Abs(x), new Vector<double>(LowestD));
        var k = Vector.FusedMultiplyAdd(t, new Vector<double>(Log2ED), new Vector<double>(ShifterD));
        var nf = k - new Vector<double>(ShifterD);
        var r = Vector.FusedMultiplyAdd(nf, new Vector<double>(-Ln2HiD), t);
        r = Vector.FusedMultiplyAdd(nf, new Vector<double>(-Ln2LoD), r);
        var p = new Vector<double>(InverseFactorials[0]);
        for (int j = 1; j < InverseFactorials.Length; j++) p = Vector.FusedMultiplyAdd(p, r, new Vector<double>(InverseFactorials[j]));
        var n = Vector.AsVectorInt64(k) - Vector.AsVectorInt64(new Vector<double>(ShifterD));
        var half = Vector.ShiftRightArithmetic(n, 1);
        var e = p * Vector.AsVectorDouble(Vector.ShiftLeft(half + new Vector<long>(BiasD), MantissaD))
                  * Vector.AsVectorDouble(Vector.ShiftLeft(n - half + new Vector<long>(BiasD), MantissaD));
        var y = Vector.ConditionalSelect(Vector.LessThan(x, Vector<double>.Zero), e, Vector<double>.One) / (Vector<double>.One + e);
        return Vector.ConditionalSelect(Vector.Equals(x, x), y, x);
    }
}
