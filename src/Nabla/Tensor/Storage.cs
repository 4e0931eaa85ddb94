using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nabla.Backends.Cpu;

namespace Nabla;

/// <summary>The flat buffer behind one or more tensors. Views share a storage and differ in layout.</summary>
public abstract class Storage
{
    public abstract DType DType { get; }
    public abstract int Length { get; }

    internal static Storage Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => Storage<float>.Fresh(length, zeroed: true),
        DType.Float64 => Storage<double>.Fresh(length, zeroed: true),
        DType.Int64 => Storage<long>.Fresh(length, zeroed: true),
        DType.Bool => Storage<bool>.Fresh(length, zeroed: true),
        _ => throw new NotSupportedException(dtype.ToString()),
    };

    /// <summary>
    /// A buffer whose contents are unspecified, for kernels that write every element. Skipping the zero fill
    /// matters for large tensors: the garbage collector would otherwise clear each fresh activation or gradient
    /// buffer (tens of MB per training step) only for the kernel to overwrite it.
    /// </summary>
    internal static Storage AllocateUninitialized(DType dtype, int length) => dtype switch
    {
        DType.Float32 => Storage<float>.Fresh(length, zeroed: false),
        DType.Float64 => Storage<double>.Fresh(length, zeroed: false),
        DType.Int64 => Storage<long>.Fresh(length, zeroed: false),
        DType.Bool => Storage<bool>.Fresh(length, zeroed: false),
        _ => throw new NotSupportedException(dtype.ToString()),
    };

    /// <summary>
    /// Gives an empty storage its buffer, contents unspecified: <see cref="Tensor.UninitializedBufferLast"/> allocates
    /// the tensor's small objects first and the buffer last.
    /// </summary>
    internal abstract void AttachUninitialized(int length);

    /// <summary>
    /// Gives the buffer back to this thread's pool and leaves the storage empty. Only a <see cref="StorageLease"/>
    /// calls it, for a storage it lent out and knows to be unreachable.
    /// </summary>
    internal abstract void Recycle();

    /// <summary>Reads one element as a double, whatever the dtype (printing, Item, tests).</summary>
    internal abstract double GetAsDouble(int index);
    internal abstract void SetFromDouble(int index, double value);
}

/// <summary>A storage of one element type; kernels work on its array as spans.</summary>
public sealed class Storage<T> : Storage where T : unmanaged
{
    public T[] Data { get; private set; }

    public Storage(T[] data) => Data = data;

    /// <summary>A storage of <paramref name="length"/> elements: from the open lease's pool if there is one, else from the collector.</summary>
    internal static Storage<T> Fresh(int length, bool zeroed)
    {
        if (StorageLease.ForAllocation<T>(length) is { } lease) return lease.Rent<T>(length, zeroed);
        return new Storage<T>(NewBuffer(length, zeroed));
    }

    /// <summary>A buffer from this thread's pool if a free one has this length, else from the collector (for <see cref="StorageLease"/>).</summary>
    internal static T[] PooledBuffer(int length, bool zeroed)
    {
        if (BufferPool<T>.TryRent(length) is not { } buffer) return NewBuffer(length, zeroed);
        if (zeroed) Array.Clear(buffer);
        else if (StorageLease.PoisonReusedBuffers) MemoryMarshal.AsBytes(buffer.AsSpan()).Fill(0xFF);
        return buffer;
    }

    static T[] NewBuffer(int length, bool zeroed) => zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length);

    internal override void AttachUninitialized(int length)
    {
        Debug.Assert(Data.Length == 0, "only an unattached storage gets a buffer");
        Data = StorageLease.ForAllocation<T>(length) is { } lease
            ? lease.Adopt(this, length)
            : NewBuffer(length, zeroed: false);
    }

    internal override void Recycle()
    {
        BufferPool<T>.Return(Data);
        Data = [];
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
