using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>The flat buffer behind one or more tensors. Views share a storage and differ in layout.</summary>
public abstract class Storage
{
    public abstract DType DType { get; }
    public abstract int Length { get; }

    internal static Storage Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new Storage<float>(new float[length]),
        DType.Float64 => new Storage<double>(new double[length]),
        DType.Int64 => new Storage<long>(new long[length]),
        DType.Bool => new Storage<bool>(new bool[length]),
        _ => throw new NotSupportedException(dtype.ToString()),
    };

    /// <summary>
    /// A buffer whose contents are unspecified, for kernels that write every element. Skipping the zero fill
    /// matters for large tensors: the garbage collector would otherwise clear each fresh activation or gradient
    /// buffer (tens of MB per training step) only for the kernel to overwrite it.
    /// </summary>
    internal static Storage AllocateUninitialized(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new Storage<float>(GC.AllocateUninitializedArray<float>(length)),
        DType.Float64 => new Storage<double>(GC.AllocateUninitializedArray<double>(length)),
        DType.Int64 => new Storage<long>(GC.AllocateUninitializedArray<long>(length)),
        DType.Bool => new Storage<bool>(GC.AllocateUninitializedArray<bool>(length)),
        _ => throw new NotSupportedException(dtype.ToString()),
    };

    /// <summary>
    /// Gives an empty storage its buffer, contents unspecified: <see cref="Tensor.UninitializedBufferLast"/> allocates
    /// the tensor's small objects first and the buffer last.
    /// </summary>
    internal abstract void AttachUninitialized(int length);

    /// <summary>Reads one element as a double, whatever the dtype (printing, Item, tests).</summary>
    internal abstract double GetAsDouble(int index);
    internal abstract void SetFromDouble(int index, double value);
}

/// <summary>A storage of one element type; kernels work on its array as spans.</summary>
public sealed class Storage<T> : Storage where T : unmanaged
{
    public T[] Data { get; private set; }

    public Storage(T[] data) => Data = data;

    internal override void AttachUninitialized(int length)
    {
        Debug.Assert(Data.Length == 0, "only an unattached storage gets a buffer");
        Data = GC.AllocateUninitializedArray<T>(length);
    }

    public override DType DType => DTypes.Of<T>();
    public override int Length => Data.Length;

    internal override double GetAsDouble(int index)
    {
        if (typeof(T) == typeof(float)) return Unsafe.As<float[]>(Data)[index];
        if (typeof(T) == typeof(double)) return Unsafe.As<double[]>(Data)[index];
        if (typeof(T) == typeof(long)) return Unsafe.As<long[]>(Data)[index];
        return Unsafe.As<bool[]>(Data)[index] ? 1 : 0;
    }

    internal override void SetFromDouble(int index, double value)
    {
        if (typeof(T) == typeof(float)) Unsafe.As<float[]>(Data)[index] = (float)value;
        else if (typeof(T) == typeof(double)) Unsafe.As<double[]>(Data)[index] = value;
        else if (typeof(T) == typeof(long)) Unsafe.As<long[]>(Data)[index] = (long)value;
        else Unsafe.As<bool[]>(Data)[index] = value != 0;
    }
}
