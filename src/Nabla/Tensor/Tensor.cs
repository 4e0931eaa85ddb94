using System.Diagnostics;
using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla;

/// <summary>
/// An n-dimensional array: a storage plus a layout (shape, strides, offset). Views share the storage.
/// The class is split by family into partial files: Creation, Math, Shape, Reduce, Index, Autograd, Format.
/// </summary>
[DebuggerDisplay("{DebuggerText,nq}")]
public sealed partial class Tensor
{
    internal readonly Storage _storage;
    internal readonly int[] _shape;
    internal readonly int[] _strides;
    internal readonly int _offset;
    readonly int _numel;

    internal Tensor(Storage storage, int[] shape, int[] strides, int offset)
    {
        _storage = storage;
        _shape = shape;
        _strides = strides;
        _offset = offset;
        _numel = Layout.NumElements(shape);
    }

    /// <summary>A fresh, zero-filled, contiguous tensor.</summary>
    internal Tensor(int[] shape, DType dtype)
        : this(Storage.Allocate(dtype, Layout.NumElements(shape)), shape, Layout.ContiguousStrides(shape), 0) { }

    /// <summary>
    /// A fresh contiguous tensor whose elements are unspecified: only for kernels that overwrite every element
    /// (bool elements may even hold bytes other than 0 and 1 until written).
    /// </summary>
    internal static Tensor Uninitialized(int[] shape, DType dtype) =>
        new(Storage.AllocateUninitialized(dtype, Layout.NumElements(shape)), shape, Layout.ContiguousStrides(shape), 0);

    /// <summary>
    /// <see cref="Uninitialized"/> with the buffer allocated after the tensor's small objects. A large fresh buffer
    /// usually uses up the garbage collector's allocation budget; allocated first, the collection then falls on the
    /// next small object (its storage object), finds the buffer live and copies it into generation 1 (16 MB, 1.5 ms
    /// for a 2048 × 2048 product). Allocated last, nothing is allocated after it, so the collection falls on a later
    /// allocation, when a discarded result is dead. Used for products, whose outputs are the largest fresh buffers.
    /// </summary>
    internal static Tensor UninitializedBufferLast(int[] shape, DType dtype)
    {
        var storage = Storage.AllocateUninitialized(dtype, 0);
        var tensor = new Tensor(storage, shape, Layout.ContiguousStrides(shape), 0);
        storage.AttachUninitialized(tensor._numel);
        return tensor;
    }

    internal static Tensor FromArray<T>(T[] data, int[] shape) where T : unmanaged =>
        new(new Storage<T>(data), shape, Layout.ContiguousStrides(shape), 0);

    public DType DType => _storage.DType;
    public Storage Storage => _storage;
    public int Rank => _shape.Length;
    public int NumElements => _numel;

    /// <summary>A copy of the shape (mutating it does not change the tensor).</summary>
    public int[] Shape => (int[])_shape.Clone();
    public int[] Strides => (int[])_strides.Clone();
    public int Offset => _offset;
    public bool IsContiguous => Layout.IsContiguous(_shape, _strides);

    /// <summary>Size of one dimension; negative dims count from the end.</summary>
    public int Size(int dim) => _shape[Layout.NormalizeDim(dim, Rank, "size")];

    internal T[] Data<T>() where T : unmanaged => ((Storage<T>)_storage).Data;

    /// <summary>The elements of a contiguous tensor as a span (no copy).</summary>
    internal Span<T> Span<T>() where T : unmanaged
    {
        Debug.Assert(IsContiguous);
        return Data<T>().AsSpan(_offset, _numel);
    }

    internal string ShapeText => Layout.Format(_shape);
    string DebuggerText => $"Tensor {ShapeText} {DType.TorchName()}" + (RequiresGrad ? " requires_grad" : "");
}
