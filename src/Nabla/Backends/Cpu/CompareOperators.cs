using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

// Comparisons give bool masks; NaN compares unequal to everything (IEEE), so ne(NaN, NaN) is true.

internal readonly struct EqualOperator : ICompare
{
    public static bool Scalar<T>(T a, T b) where T : unmanaged, INumber<T> => a == b;
}

internal readonly struct NotEqualOperator : ICompare
{
    public static bool Scalar<T>(T a, T b) where T : unmanaged, INumber<T> => a != b;
}

internal readonly struct LessOperator : ICompare
{
    public static bool Scalar<T>(T a, T b) where T : unmanaged, INumber<T> => a < b;
}

internal readonly struct LessEqualOperator : ICompare
{
    public static bool Scalar<T>(T a, T b) where T : unmanaged, INumber<T> => a <= b;
}

internal readonly struct GreaterOperator : ICompare
{
    public static bool Scalar<T>(T a, T b) where T : unmanaged, INumber<T> => a > b;
}

internal readonly struct GreaterEqualOperator : ICompare
{
    public static bool Scalar<T>(T a, T b) where T : unmanaged, INumber<T> => a >= b;
}

// Logical ops on masks. A .NET bool is one byte holding 0 or 1, so dense masks are combined as bytes with
// the vectorised bitwise primitives.

internal readonly struct LogicalAndOperator : ILogical
{
    public static bool Scalar(bool a, bool b) => a & b;
    public static void Span(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> d) => TensorPrimitives.BitwiseAnd(a, b, d);
}

internal readonly struct LogicalOrOperator : ILogical
{
    public static bool Scalar(bool a, bool b) => a | b;
    public static void Span(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> d) => TensorPrimitives.BitwiseOr(a, b, d);
}
