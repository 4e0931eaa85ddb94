using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Nabla.Backends.Cpu;

// Elementwise math kernels beyond the four arithmetic ops. Dense spans go to TensorPrimitives, which is
// vectorised for everything here except Pow; scalar forms serve the strided rows of broadcast walks.

internal readonly struct SqrtOperator : IFloatUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
}

internal readonly struct SinOperator : IFloatUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, y);
}

internal readonly struct CosOperator : IFloatUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, y);
}

internal readonly struct TanhOperator : IFloatUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, y);
}

/// <summary>Our single-pass kernel (<see cref="SigmoidKernel"/>) rather than TensorPrimitives.Sigmoid, which makes several passes.</summary>
internal readonly struct SigmoidOperator : IFloatUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => SigmoidKernel.Run(x, y);
}

internal readonly struct AbsOperator : INumericUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Abs(x, y);
}

/// <summary>max(x, 0); NaN stays NaN as in PyTorch, because TensorPrimitives.Max propagates NaN.</summary>
internal readonly struct ReluOperator : INumericUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Max(x, T.Zero, y);
}

/// <summary>
/// −1, 0 or +1. NaN maps to 0, as PyTorch 1.13 does on the CPU (both comparisons are false for NaN).
/// TensorPrimitives.Sign returns int32, so this is a Vector&lt;T&gt; select instead.
/// </summary>
internal readonly struct SignOperator : INumericUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var zero = Vector<T>.Zero;
            var one = Vector<T>.One;
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(x.Slice(i));
                var pos = Vector.ConditionalSelect(Vector.GreaterThan(v, zero), one, zero);
                var neg = Vector.ConditionalSelect(Vector.LessThan(v, zero), one, zero);
                (pos - neg).CopyTo(y.Slice(i));
            }
        }
        for (; i < x.Length; i++)
            y[i] = x[i] > T.Zero ? T.One : x[i] < T.Zero ? -T.One : T.Zero;
    }
}

/// <summary>Elementwise maximum; NaN in either operand gives NaN (torch.maximum semantics).</summary>
internal readonly struct MaximumOperator : INumericBinary
{
    public static T Scalar<T>(T a, T b) where T : unmanaged, INumber<T> => T.Max(a, b);
    public static void Span<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Max(a, b, d);
    public static void SpanScalar<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Max(a, b, d);
    public static void ScalarSpan<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Max(b, a, d);
}

/// <summary>Elementwise minimum; NaN in either operand gives NaN (torch.minimum semantics).</summary>
internal readonly struct MinimumOperator : INumericBinary
{
    public static T Scalar<T>(T a, T b) where T : unmanaged, INumber<T> => T.Min(a, b);
    public static void Span<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Min(a, b, d);
    public static void SpanScalar<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Min(a, b, d);
    public static void ScalarSpan<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Min(b, a, d);
}

/// <summary>
/// aᵇ. Floats use the C library pow (through TensorPrimitives); int64 uses exact repeated squaring with
/// PyTorch's rules for negative exponents (1 → 1, −1 → ±1, anything else → 0). The typeof tests are
/// constants for the JIT, so each specialisation keeps one branch.
/// </summary>
internal readonly struct PowOperator : INumericBinary
{
    public static T Scalar<T>(T a, T b) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float)) return T.CreateTruncating(MathF.Pow(float.CreateTruncating(a), float.CreateTruncating(b)));
        if (typeof(T) == typeof(double)) return T.CreateTruncating(Math.Pow(double.CreateTruncating(a), double.CreateTruncating(b)));
        return T.CreateTruncating(IntPow(long.CreateTruncating(a), long.CreateTruncating(b)));
    }

    public static void Span<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float)) TensorPrimitives.Pow(As<T, float>(a), As<T, float>(b), AsMut<T, float>(d));
        else if (typeof(T) == typeof(double)) TensorPrimitives.Pow(As<T, double>(a), As<T, double>(b), AsMut<T, double>(d));
        else for (int i = 0; i < d.Length; i++) d[i] = Scalar(a[i], b[i]);
    }

    /// <summary>Tensor to a constant power: the common small exponents take exact, vectorised shortcuts.</summary>
    public static void SpanScalar<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, INumber<T>
    {
        if (b == T.One) a.CopyTo(d);
        else if (b == T.CreateTruncating(2)) TensorPrimitives.Multiply(a, a, d);
        else if (typeof(T) == typeof(float)) TensorPrimitives.Pow(As<T, float>(a), float.CreateTruncating(b), AsMut<T, float>(d));
        else if (typeof(T) == typeof(double)) TensorPrimitives.Pow(As<T, double>(a), double.CreateTruncating(b), AsMut<T, double>(d));
        else for (int i = 0; i < d.Length; i++) d[i] = Scalar(a[i], b);
    }

    public static void ScalarSpan<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float)) TensorPrimitives.Pow(float.CreateTruncating(a), As<T, float>(b), AsMut<T, float>(d));
        else if (typeof(T) == typeof(double)) TensorPrimitives.Pow(double.CreateTruncating(a), As<T, double>(b), AsMut<T, double>(d));
        else for (int i = 0; i < d.Length; i++) d[i] = Scalar(a, b[i]);
    }

    internal static long IntPow(long a, long b)
    {
        if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) == 0 ? 1 : -1) : 0;
        long result = 1;
        unchecked
        {
            while (b > 0)
            {
                if ((b & 1) != 0) result *= a;
                a *= a;
                b >>= 1;
            }
        }
        return result;
    }

    static ReadOnlySpan<TTo> As<TFrom, TTo>(ReadOnlySpan<TFrom> s) where TFrom : unmanaged where TTo : unmanaged => MemoryMarshal.Cast<TFrom, TTo>(s);
    static Span<TTo> AsMut<TFrom, TTo>(Span<TFrom> s) where TFrom : unmanaged where TTo : unmanaged => MemoryMarshal.Cast<TFrom, TTo>(s);
}
