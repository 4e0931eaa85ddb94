using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>The flat buffer behind one or more tensors. Views share a storage and differ in layout.</summary>
public abstract class Storage
{
    public abstract DType DType { get; }
    public abstract int Length { get; }

    /// <summary>A storage object without its buffer yet: a fresh tensor allocates its buffer after its small objects.</summary>
    internal static Storage Unfilled(DType dtype) => dtype switch
    {
        DType.Float32 => new Storage<float>(),
        DType.Float64 => new Storage<double>(),
        DType.Int64 => new Storage<long>(),
        DType.Bool => new Storage<bool>(),
        _ => throw new NotSupportedException(dtype.ToString()),
    };

    /// <summary>
    /// Gives an <see cref="Unfilled"/> storage its buffer, zero-filled or not. Skipping the zero fill matters for
    /// large tensors whose kernel writes every element: the garbage collector would otherwise clear each fresh
    /// activation or gradient buffer (tens of MB per training step) only for the kernel to overwrite it.
    /// </summary>
    internal abstract void Fill(int length, bool zeroed);

    /// <summary>Reads one element as a double, whatever the dtype (printing, Item, tests).</summary>
    internal abstract double GetAsDouble(int index);
    internal abstract void SetFromDouble(int index, double value);
}

/// <summary>A storage of one element type; kernels work on its array as spans.</summary>
public sealed class Storage<T> : Storage where T : unmanaged
{
    T[] _data;

    public Storage(T[] data) => _data = data;

    internal Storage() => _data = [];

    /// <summary>The flat buffer; kernels index it directly.</summary>
    public T[] Data => _data;

    internal override void Fill(int length, bool zeroed)
    {
        Debug.Assert(_data.Length == 0, "a storage gets its buffer once");
        _data = zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length);
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
