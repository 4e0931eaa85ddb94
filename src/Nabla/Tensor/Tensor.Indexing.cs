using Nabla.Backends.Cpu;
using Nabla.Ops;

namespace Nabla;

// Joining, splitting, flipping and index-driven movement: cat/stack, split/chunk, flip, gather/scatter,
// index_select/index_add and one_hot. Index tensors are int64 and never negative, as in PyTorch.
public sealed partial class Tensor
{
    /// <summary>Joins tensors along an existing dim; dtypes are promoted (bool &lt; int64 &lt; float32 &lt; float64).</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0) => CatOp.Forward(tensors, dim);

    /// <summary>Joins tensors of one shape along a new dim inserted at <paramref name="dim"/>.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("stack: expected a non-empty list of tensors.");
        for (int i = 0; i < tensors.Count; i++)
        {
            if (tensors[i] is null) throw new ArgumentNullException(nameof(tensors), $"stack: tensor {i} of the list is null.");
            if (!tensors[i]._shape.AsSpan().SequenceEqual(tensors[0]._shape))
                throw new ArgumentException($"stack: expects each tensor to be equal size, but got {tensors[0].ShapeText} at entry 0 and {tensors[i].ShapeText} at entry {i}.");
        }
        int d = Layout.NormalizeDim(dim, tensors[0].Rank + 1, "stack");
        var parts = new Tensor[tensors.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = tensors[i].Unsqueeze(d);
        return Cat(parts, d);
    }

    /// <summary>Views of <paramref name="splitSize"/> elements along <paramref name="dim"/>; the last one may be smaller.</summary>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        int d = RequireDim(dim, "split");
        int size = _shape[d];
        if (splitSize <= 0 && !(splitSize == 0 && size == 0))
            throw new ArgumentException($"split: split size must be positive, got {splitSize} for dimension {d} of shape {ShapeText}.");
        if (size == 0) return [Narrow(d, 0, 0)];
        var parts = new Tensor[(size + splitSize - 1) / splitSize];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = Narrow(d, i * splitSize, Math.Min(splitSize, size - i * splitSize));
        return parts;
    }

    /// <summary>Views of the given sizes along <paramref name="dim"/>; the sizes must add up to that dim's size.</summary>
    public Tensor[] Split(int[] sizes, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        int d = RequireDim(dim, "split");
        long total = 0;
        foreach (int s in sizes)
        {
            if (s < 0) throw new ArgumentException($"split: split sizes must be non-negative, got {Layout.Format(sizes)} for shape {ShapeText}.");
            total += s;
        }
        if (total != _shape[d])
            throw new ArgumentException($"split: split sizes {Layout.Format(sizes)} must sum exactly to {_shape[d]}, the size of dimension {d} of shape {ShapeText}.");
        var parts = new Tensor[sizes.Length];
        for (int i = 0, start = 0; i < parts.Length; start += sizes[i], i++) parts[i] = Narrow(d, start, sizes[i]);
        return parts;
    }

    /// <summary>At most <paramref name="chunks"/> views of equal size (ceil(size / chunks)) along <paramref name="dim"/>, as PyTorch's chunk.</summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0) throw new ArgumentException($"chunk: the number of chunks must be positive, got {chunks} for shape {ShapeText}.");
        int d = RequireDim(dim, "chunk");
        int size = _shape[d];
        return Split(size == 0 ? 0 : (size + chunks - 1) / chunks, d);
    }

    /// <summary>A copy with the order of elements reversed along <paramref name="dims"/>.</summary>
    public Tensor Flip(params int[] dims) => FlipOp.Forward(this, dims);

    /// <summary>Picks values along <paramref name="dim"/> by an int64 index of the same rank: out[i][j] = x[i][index[i][j]] for dim 1.</summary>
    public Tensor Gather(int dim, Tensor index) => GatherOp.Forward(this, dim, index);

    /// <summary>A copy with src's values written at the indexed positions: out[index[i][j]][j] = src[i][j] for dim 0.</summary>
    public Tensor Scatter(int dim, Tensor index, Tensor src) => ScatterOp.Forward(this, dim, index, src);

    /// <summary>A copy with <paramref name="value"/> written at the indexed positions.</summary>
    public Tensor Scatter(int dim, Tensor index, double value) => ScatterOp.Forward(this, dim, index, value);

    /// <summary>A copy with src's values added at the indexed positions; repeated indices accumulate.</summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src) => ScatterAddOp.Forward(this, dim, index, src);

    /// <summary>Writes src's values at the indexed positions of this tensor (PyTorch's scatter_). Not recorded by autograd.</summary>
    public Tensor ScatterInPlace(int dim, Tensor index, Tensor src)
    {
        CheckInPlace("scatter_");
        ScatterOp.Run(this, dim, index, src, accumulate: false, "scatter_", copy: false);
        return this;
    }

    /// <summary>Adds src's values at the indexed positions of this tensor (PyTorch's scatter_add_). Not recorded by autograd.</summary>
    public Tensor ScatterAddInPlace(int dim, Tensor index, Tensor src)
    {
        CheckInPlace("scatter_add_");
        ScatterOp.Run(this, dim, index, src, accumulate: true, "scatter_add_", copy: false);
        return this;
    }

    /// <summary>The slices at the positions of a 1-D int64 index along <paramref name="dim"/> (x[:, index] for dim 1).</summary>
    public Tensor IndexSelect(int dim, Tensor index) => IndexSelectOp.Forward(this, dim, index);

    /// <summary>A copy with source's slices added at the positions of a 1-D int64 index along <paramref name="dim"/>.</summary>
    public Tensor IndexAdd(int dim, Tensor index, Tensor source) => IndexAddOp.Forward(this, dim, index, source);

    /// <summary>
    /// int64 one-hot encoding: shape [..labels, numClasses] with a 1 at each label. With numClasses = −1 the
    /// count is inferred as max(label) + 1, as in PyTorch.
    /// </summary>
    public static Tensor OneHot(Tensor labels, int numClasses = -1)
    {
        const string op = "one_hot";
        IndexArgs.RequireInt64(labels, op);
        if (numClasses < -1)
            throw new ArgumentException($"{op}: num_classes must be -1 (infer) or non-negative, got {numClasses}.");
        var values = labels.Detach().Contiguous().ToArray<long>();
        if (numClasses == -1)
        {
            if (values.Length == 0)
                throw new ArgumentException($"{op}: cannot infer the number of classes from an empty tensor of shape {labels.ShapeText}; pass num_classes.");
            long max = values.Max();
            if (max >= int.MaxValue)
                throw new IndexOutOfRangeException($"{op}: class value {max} is too large to infer the number of classes.");
            numClasses = (int)Math.Max(max + 1, 0);
        }
        foreach (long v in values)
            if ((ulong)v >= (ulong)numClasses)
                throw new IndexOutOfRangeException($"{op}: class value {v} is out of range for {numClasses} classes (labels of shape {labels.ShapeText}).");
        return IndexSelectKernel.OneHot(values, labels._shape, numClasses);
    }

    int RequireDim(int dim, string op)
    {
        if (Rank == 0) throw new ArgumentException($"{op}: cannot split a 0-dimensional tensor.");
        return Layout.NormalizeDim(dim, Rank, op);
    }
}
