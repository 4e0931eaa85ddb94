using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>Argument checks shared by the indexing ops, so every op words its errors the same way.</summary>
internal static class IndexArgs
{
    /// <summary>Indices must be int64, as in PyTorch.</summary>
    public static void RequireInt64(Tensor index, string op)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.DType != DType.Int64)
            throw new ArgumentException($"{op}: expected an int64 index tensor, got {index.DType.TorchName()} of shape {index.ShapeText}; convert it with Long().");
    }

    /// <summary>Every index must lie in 0..size-1 (no negative indices, as PyTorch's gather/scatter/index_select).</summary>
    public static void CheckBounds(Tensor index, int size, int dim, string op, Tensor input)
    {
        if (GatherScatterKernel.FirstOutOfRange(index, size) is { } bad)
            throw new IndexOutOfRangeException($"{op}: index {bad} is out of range for dimension {dim} with size {size} (input shape {input.ShapeText}).");
    }

    /// <summary>Normalises dim for gather/scatter, where a 0-d tensor behaves as one element along dim 0 or -1.</summary>
    public static int Dim(Tensor x, int dim, string op) => Layout.NormalizeDim(dim, x.Rank, op);

    /// <summary>Size of the indexed dim (1 for a 0-d tensor).</summary>
    public static int DimSize(Tensor x, int dim) => x.Rank == 0 ? 1 : x._shape[dim];

    /// <summary>
    /// gather/scatter shape rule: the index has the input's rank and is no larger than <paramref name="data"/>
    /// in any dim other than <paramref name="dim"/> (and no larger than <paramref name="src"/> in any dim).
    /// </summary>
    public static void CheckShapes(string op, int dim, Tensor index, Tensor data, string dataName, Tensor? src = null)
    {
        if (index.Rank != data.Rank)
            throw new ArgumentException($"{op}: index of shape {index.ShapeText} must have the same number of dims as {dataName} of shape {data.ShapeText}.");
        for (int d = 0; d < index.Rank; d++)
            if (d != dim && index._shape[d] > data._shape[d])
                throw new ArgumentException($"{op}: index of shape {index.ShapeText} is larger than {dataName} of shape {data.ShapeText} in dimension {d} (only dimension {dim} may differ).");
        if (src is null) return;
        if (src.Rank != index.Rank)
            throw new ArgumentException($"{op}: src of shape {src.ShapeText} must have the same number of dims as index of shape {index.ShapeText}.");
        for (int d = 0; d < index.Rank; d++)
            if (index._shape[d] > src._shape[d])
                throw new ArgumentException($"{op}: index of shape {index.ShapeText} is larger than src of shape {src.ShapeText} in dimension {d}.");
    }

    /// <summary>
    /// Places <paramref name="part"/> at the origin of a zero tensor of <paramref name="shape"/>: the gradient of a
    /// scatter src that is larger than its index (the elements the index never reaches get zero).
    /// </summary>
    public static Tensor PadTo(Tensor part, int[] shape)
    {
        if (part._shape.AsSpan().SequenceEqual(shape)) return part;
        var full = Tensor.Zeros(shape, part.DType);
        var region = full;
        for (int d = 0; d < shape.Length; d++) region = region.Narrow(d, 0, part._shape[d]);
        region.CopyFrom(part);
        return full;
    }
}
