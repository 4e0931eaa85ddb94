using System.Numerics;

namespace Nabla.Backends.Cpu;

// Kernel operator contracts, in the TensorPrimitives style: a struct implements the scalar form and the
// span forms, and one generic driver walks any layout with it. Generic static methods let one struct
// serve every dtype; the JIT specialises each (operator, element type) pair, so nothing is virtual.

/// <summary>A binary op defined for every numeric dtype (float32, float64, int64).</summary>
internal interface INumericBinary
{
    static abstract T Scalar<T>(T a, T b) where T : unmanaged, INumber<T>;
    static abstract void Span<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T>;
    static abstract void SpanScalar<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, INumber<T>;
    static abstract void ScalarSpan<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T>;
}

/// <summary>A binary op on floating dtypes only (integer inputs are promoted to float32 first).</summary>
internal interface IFloatBinary
{
    static abstract T Scalar<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A unary op on floating dtypes, applied to dense spans.</summary>
internal interface IFloatUnary
{
    static abstract void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A unary op defined for every numeric dtype, applied to dense spans.</summary>
internal interface INumericUnary
{
    static abstract void Span<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>;
}

/// <summary>A comparison producing a bool mask.</summary>
internal interface ICompare
{
    static abstract bool Scalar<T>(T a, T b) where T : unmanaged, INumber<T>;
}

/// <summary>A binary op on bool masks; the span form sees the masks as bytes (0 or 1).</summary>
internal interface ILogical
{
    static abstract bool Scalar(bool a, bool b);
    static abstract void Span(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> d);
}
