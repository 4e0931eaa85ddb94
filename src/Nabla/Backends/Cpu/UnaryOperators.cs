using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

internal readonly struct NegateOperator : INumericUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Negate(x, y);
}

internal readonly struct ExpOperator : IFloatUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y);
}

internal readonly struct LogOperator : IFloatUnary
{
    public static void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);
}
