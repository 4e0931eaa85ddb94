using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Drivers for elementwise kernels. Dense same-shape operands go straight to the span kernel; anything
/// else (broadcasting, views) is coalesced and walked row by row, each row handed to the span kernel
/// when its inner stride allows and to the scalar form otherwise. Broadcast operands are never materialised.
/// Long dense passes (unary maps, same-shape and tensor-with-scalar binary ops) are cut into one chunk per core by
/// <see cref="DenseSplit"/>; broadcast walks stay on one thread.
/// </summary>
internal static class Elementwise
{
    public static Tensor Numeric<TOp>(Tensor a, Tensor b, string op) where TOp : INumericBinary
    {
        var dtype = DTypes.Promote(a.DType, b.DType);
        if (dtype == DType.Bool) dtype = DType.Int64;
        a = a.To(dtype);
        b = b.To(dtype);
        var result = Tensor.Uninitialized(Layout.BroadcastShapes(a._shape, b._shape, op), dtype);
        switch (dtype)
        {
            case DType.Float32: RunNumeric<float, TOp>(a, b, result); break;
            case DType.Float64: RunNumeric<double, TOp>(a, b, result); break;
            default: RunNumeric<long, TOp>(a, b, result); break;
        }
        return result;
    }

    public static Tensor Float<TOp>(Tensor a, Tensor b, string op) where TOp : IFloatBinary
    {
        var dtype = DTypes.Promote(a.DType, b.DType);
        if (!dtype.IsFloating()) dtype = DType.Float32;
        a = a.To(dtype);
        b = b.To(dtype);
        var result = Tensor.Uninitialized(Layout.BroadcastShapes(a._shape, b._shape, op), dtype);
        if (dtype == DType.Float32) RunScalar<float, float, FloatAdapter<TOp>>(a, b, result);
        else RunScalar<double, double, FloatAdapter<TOp>>(a, b, result);
        return result;
    }

    public static Tensor Compare<TOp>(Tensor a, Tensor b, string op) where TOp : ICompare
    {
        var dtype = DTypes.Promote(a.DType, b.DType);
        if (dtype == DType.Bool) dtype = DType.Int64;
        a = a.To(dtype);
        b = b.To(dtype);
        var result = Tensor.Uninitialized(Layout.BroadcastShapes(a._shape, b._shape, op), DType.Bool);
        switch (dtype)
        {
            case DType.Float32: RunScalar<float, bool, CompareAdapter<TOp>>(a, b, result); break;
            case DType.Float64: RunScalar<double, bool, CompareAdapter<TOp>>(a, b, result); break;
            default: RunScalar<long, bool, CompareAdapter<TOp>>(a, b, result); break;
        }
        return result;
    }

    public static Tensor FloatUnary<TOp>(Tensor x) where TOp : IFloatUnary
    {
        if (!x.DType.IsFloating()) x = x.To(DType.Float32);
        x = x.Contiguous();
        var result = Tensor.Uninitialized(x.Shape, x.DType);
        if (result.NumElements == 0) return result; // some primitives (Sigmoid) reject empty spans
        if (x.DType == DType.Float32) DenseSplit.FloatUnary<float, TOp>(x.Span<float>(), result.Span<float>());
        else DenseSplit.FloatUnary<double, TOp>(x.Span<double>(), result.Span<double>());
        return result;
    }

    public static Tensor NumericUnary<TOp>(Tensor x) where TOp : INumericUnary
    {
        if (x.DType == DType.Bool) x = x.To(DType.Int64);
        x = x.Contiguous();
        var result = Tensor.Uninitialized(x.Shape, x.DType);
        if (result.NumElements == 0) return result;
        switch (x.DType)
        {
            case DType.Float32: DenseSplit.NumericUnary<float, TOp>(x.Span<float>(), result.Span<float>()); break;
            case DType.Float64: DenseSplit.NumericUnary<double, TOp>(x.Span<double>(), result.Span<double>()); break;
            default: DenseSplit.NumericUnary<long, TOp>(x.Span<long>(), result.Span<long>()); break;
        }
        return result;
    }

    /// <summary>A logical op on two bool masks (the caller checks the dtypes), broadcasting like the others.</summary>
    public static Tensor Logical<TOp>(Tensor a, Tensor b, string op) where TOp : ILogical
    {
        var result = Tensor.Uninitialized(Layout.BroadcastShapes(a._shape, b._shape, op), DType.Bool);
        var d = result.Span<bool>();
        if (d.Length == 0) return result;
        if (a.IsContiguous && b.IsContiguous && a.NumElements == d.Length && b.NumElements == d.Length)
            TOp.Span(MemoryMarshal.AsBytes(a.Span<bool>()), MemoryMarshal.AsBytes(b.Span<bool>()), MemoryMarshal.AsBytes(d));
        else
            RunScalar<bool, bool, LogicalAdapter<TOp>>(a, b, result);
        return result;
    }

    /// <summary>Logical not of a bool mask: flipping the low bit of each byte.</summary>
    public static Tensor Not(Tensor x)
    {
        x = x.Contiguous();
        var result = Tensor.Uninitialized(x.Shape, DType.Bool);
        TensorPrimitives.Xor(MemoryMarshal.AsBytes(x.Span<bool>()), (byte)1, MemoryMarshal.AsBytes(result.Span<bool>()));
        return result;
    }

    static void RunNumeric<T, TOp>(Tensor a, Tensor b, Tensor result) where T : unmanaged, INumber<T> where TOp : INumericBinary
    {
        var d = result.Span<T>();
        if (d.Length == 0) return;
        bool aDense = a.IsContiguous && a.NumElements == d.Length;
        bool bDense = b.IsContiguous && b.NumElements == d.Length;
        if (aDense && bDense) { DenseSplit.Binary<T, TOp>(a.Span<T>(), b.Span<T>(), d); return; }
        if (aDense && b.NumElements == 1) { DenseSplit.WithScalar<T, TOp>(a.Span<T>(), b.Data<T>()[b._offset], scalarFirst: false, d); return; }
        if (bDense && a.NumElements == 1) { DenseSplit.WithScalar<T, TOp>(b.Span<T>(), a.Data<T>()[a._offset], scalarFirst: true, d); return; }

        var walk = new BroadcastWalk(a, b, result);
        T[] ad = a.Data<T>(), bd = b.Data<T>();
        int inner = walk.Inner;
        for (int row = 0; row < walk.Rows; row++)
        {
            var dst = d.Slice(walk.OutPos, inner);
            int pa = walk.APos, pb = walk.BPos;
            if (walk.AStride == 1 && walk.BStride == 1) TOp.Span<T>(ad.AsSpan(pa, inner), bd.AsSpan(pb, inner), dst);
            else if (walk.AStride == 1 && walk.BStride == 0) TOp.SpanScalar<T>(ad.AsSpan(pa, inner), bd[pb], dst);
            else if (walk.AStride == 0 && walk.BStride == 1) TOp.ScalarSpan<T>(ad[pa], bd.AsSpan(pb, inner), dst);
            else
                for (int j = 0; j < inner; j++, pa += walk.AStride, pb += walk.BStride)
                    dst[j] = TOp.Scalar(ad[pa], bd[pb]);
            walk.Next();
        }
    }

    static void RunScalar<T, TOut, TOp>(Tensor a, Tensor b, Tensor result)
        where T : unmanaged where TOut : unmanaged where TOp : IScalarBinary<T, TOut>
    {
        var d = result.Span<TOut>();
        if (d.Length == 0) return;
        var walk = new BroadcastWalk(a, b, result);
        T[] ad = a.Data<T>(), bd = b.Data<T>();
        int inner = walk.Inner;
        for (int row = 0; row < walk.Rows; row++)
        {
            var dst = d.Slice(walk.OutPos, inner);
            int pa = walk.APos, pb = walk.BPos;
            for (int j = 0; j < inner; j++, pa += walk.AStride, pb += walk.BStride)
                dst[j] = TOp.Invoke(ad[pa], bd[pb]);
            walk.Next();
        }
    }

    interface IScalarBinary<T, TOut>
    {
        static abstract TOut Invoke(T a, T b);
    }

    readonly struct FloatAdapter<TOp> : IScalarBinary<float, float>, IScalarBinary<double, double> where TOp : IFloatBinary
    {
        public static float Invoke(float a, float b) => TOp.Scalar(a, b);
        public static double Invoke(double a, double b) => TOp.Scalar(a, b);
    }

    readonly struct LogicalAdapter<TOp> : IScalarBinary<bool, bool> where TOp : ILogical
    {
        public static bool Invoke(bool a, bool b) => TOp.Scalar(a, b);
    }

    readonly struct CompareAdapter<TOp> : IScalarBinary<float, bool>, IScalarBinary<double, bool>, IScalarBinary<long, bool> where TOp : ICompare
    {
        public static bool Invoke(float a, float b) => TOp.Scalar(a, b);
        public static bool Invoke(double a, double b) => TOp.Scalar(a, b);
        public static bool Invoke(long a, long b) => TOp.Scalar(a, b);
    }
}
