using Nabla.Backends.Cpu;
using Nabla.Ops;

namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>The same elements in a new shape (one entry may be −1); a view when the layout allows, else a copy.</summary>
    public Tensor Reshape(params int[] shape) => ReshapeOp.Reshape(this, shape, "reshape");

    /// <summary>Like <see cref="Reshape"/> but never copies: throws when the tensor is not contiguous.</summary>
    public Tensor View(params int[] shape)
    {
        if (!IsContiguous)
            throw new InvalidOperationException($"view: the tensor of shape {ShapeText} with strides {Layout.Format(_strides)} is not contiguous; use Reshape() or call Contiguous() first.");
        return ReshapeOp.Reshape(this, shape, "view");
    }

    /// <summary>Merges dims <paramref name="startDim"/>..<paramref name="endDim"/> into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0) return Reshape(1);
        int s = Layout.NormalizeDim(startDim, Rank, "flatten"), e = Layout.NormalizeDim(endDim, Rank, "flatten");
        if (s > e) throw new ArgumentException($"flatten: start dim {startDim} comes after end dim {endDim} for shape {ShapeText}.");
        var shape = new List<int>();
        for (int i = 0; i < s; i++) shape.Add(_shape[i]);
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= _shape[i];
        shape.Add(merged);
        for (int i = e + 1; i < Rank; i++) shape.Add(_shape[i]);
        return Reshape(shape.ToArray());
    }

    public Tensor Permute(params int[] dims) => PermuteOp.Forward(this, dims);

    /// <summary>Swaps two dims (a view).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var dims = new int[Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = i;
        int a = Layout.NormalizeDim(dim0, Rank, "transpose"), b = Layout.NormalizeDim(dim1, Rank, "transpose");
        (dims[a], dims[b]) = (dims[b], dims[a]);
        return Permute(dims);
    }

    /// <summary>The transpose of a matrix (2-D); 0-D and 1-D tensors are returned unchanged, as in PyTorch.</summary>
    public Tensor T()
    {
        if (Rank > 2) throw new InvalidOperationException($"t: expects a tensor with at most 2 dims, got shape {ShapeText}; use Transpose or Permute.");
        return Rank < 2 ? this : Transpose(0, 1);
    }

    /// <summary>Broadcasts size-1 dims to <paramref name="shape"/> without copying (−1 keeps a dim).</summary>
    public Tensor Expand(params int[] shape) => ExpandOp.Forward(this, shape);

    public Tensor ExpandAs(Tensor other) => Expand(other._shape);

    /// <summary>Removes every size-1 dim.</summary>
    public Tensor Squeeze()
    {
        var keep = Enumerable.Range(0, Rank).Where(i => _shape[i] != 1).ToArray();
        return ReshapeOp.Forward(this, keep.Select(i => _shape[i]).ToArray(), keep.Select(i => _strides[i]).ToArray());
    }

    /// <summary>Removes <paramref name="dim"/> if its size is 1 (otherwise returns the same layout, as PyTorch does).</summary>
    public Tensor Squeeze(int dim)
    {
        if (Rank == 0) return this;
        int d = Layout.NormalizeDim(dim, Rank, "squeeze");
        if (_shape[d] != 1) return this;
        var shape = _shape.Where((_, i) => i != d).ToArray();
        var strides = _strides.Where((_, i) => i != d).ToArray();
        return ReshapeOp.Forward(this, shape, strides);
    }

    /// <summary>Inserts a size-1 dim at <paramref name="dim"/> (which may be −1 for the end).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = Layout.NormalizeDim(dim, Rank + 1, "unsqueeze");
        var shape = new List<int>(_shape);
        var strides = new List<int>(_strides);
        int stride = d < Rank ? _strides[d] * _shape[d] : 1;
        shape.Insert(d, 1);
        strides.Insert(d, stride);
        return ReshapeOp.Forward(this, shape.ToArray(), strides.ToArray());
    }

    /// <summary>x[start:end:step] along <paramref name="dim"/> as a view; bounds are clamped like Python slices.</summary>
    public Tensor Slice(int dim, int start, int end, int step = 1) => SliceOp.Forward(this, dim, start, end, step);

    /// <summary><paramref name="length"/> elements of <paramref name="dim"/> from <paramref name="start"/> (a view).</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = Layout.NormalizeDim(dim, Rank, "narrow");
        if (start < 0) start += _shape[d];
        if (start < 0 || length < 0 || start + length > _shape[d])
            throw new ArgumentOutOfRangeException(nameof(start), $"narrow: start {start} and length {length} exceed dimension {d} of size {_shape[d]} in shape {ShapeText}.");
        return Slice(d, start, start + length);
    }

    /// <summary>Index <paramref name="index"/> along <paramref name="dim"/>, removing that dim (x[..., i, ...]).</summary>
    public Tensor Select(int dim, int index)
    {
        int d = Layout.NormalizeDim(dim, Rank, "select");
        int size = _shape[d];
        if (index < -size || index >= size)
            throw new IndexOutOfRangeException($"select: index {index} is out of range for dimension {d} of size {size} in shape {ShapeText}.");
        if (index < 0) index += size;
        return Slice(d, index, index + 1).Squeeze(d);
    }

    /// <summary>Writes <paramref name="source"/> (broadcast to this shape, converted to this dtype) into this tensor's elements. Not recorded.</summary>
    public Tensor CopyFrom(Tensor source)
    {
        CheckInPlace("copy_");
        var src = source.To(DType).Expand(_shape);
        switch (DType)
        {
            case DType.Float32: WriteThrough<float>(src); break;
            case DType.Float64: WriteThrough<double>(src); break;
            case DType.Int64: WriteThrough<long>(src); break;
            default: WriteThrough<bool>(src); break;
        }
        return this;
    }

    void WriteThrough<T>(Tensor src) where T : unmanaged
    {
        var dense = new T[_numel];
        src.CopyTo<T>(dense);
        StridedCopy.FromContiguous<T>(dense, Data<T>(), _offset, _shape, _strides);
    }
}
