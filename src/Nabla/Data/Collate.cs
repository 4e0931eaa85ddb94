namespace Nabla.Data;

/// <summary>Collate functions: turn the list of items of one batch into the batch the model consumes.</summary>
public static class Collate
{
    /// <summary>
    /// The default: inputs stacked along a new dim 0 (shape [B, ...input]) and targets likewise, so 0-d int64
    /// class labels become an int64 tensor of shape [B]. Every example must have the same input shape and dtype
    /// and the same target shape and dtype.
    /// </summary>
    public static Batch Examples(IReadOnlyList<Example> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException("collate: a batch needs at least one example.");
        var inputs = new Tensor[items.Count];
        var targets = new Tensor[items.Count];
        var first = items[0] ?? throw new ArgumentException("collate: example 0 of the batch is null.");
        for (int i = 0; i < items.Count; i++)
        {
            var e = items[i] ?? throw new ArgumentException($"collate: example {i} of the batch is null.");
            Check(first.Input, e.Input, i, "input");
            Check(first.Target, e.Target, i, "target");
            inputs[i] = e.Input;
            targets[i] = e.Target;
        }
        return new Batch(Stack(inputs), Stack(targets));
    }

    /// <summary>
    /// Tensor.Stack, with a fast path for the usual case of examples outside any graph: one allocation and one
    /// span copy per example, instead of a view per example and a cat. Tensors that require grad go through
    /// Tensor.Stack so the batch stays differentiable.
    /// </summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) return Tensor.Stack(tensors); // Stack's own error
        var first = tensors[0];
        foreach (var t in tensors)
            if (t is null || t.RequiresGrad || t.DType != first.DType || !t._shape.AsSpan().SequenceEqual(first._shape))
                return Tensor.Stack(tensors);
        var result = new Tensor([tensors.Count, .. first._shape], first.DType);
        switch (first.DType)
        {
            case DType.Float32: CopyEach<float>(tensors, result); break;
            case DType.Float64: CopyEach<double>(tensors, result); break;
            case DType.Int64: CopyEach<long>(tensors, result); break;
            default: CopyEach<bool>(tensors, result); break;
        }
        return result;
    }

    static void CopyEach<T>(IReadOnlyList<Tensor> tensors, Tensor result) where T : unmanaged
    {
        var dst = result.Span<T>();
        int n = tensors[0].NumElements;
        for (int i = 0; i < tensors.Count; i++) tensors[i].CopyTo(dst.Slice(i * n, n));
    }

    // Stack would also refuse a mismatch, but this message says which example and which half is at fault.
    static void Check(Tensor first, Tensor t, int i, string what)
    {
        if (t is null) throw new ArgumentException($"collate: the {what} of example {i} is null.");
        if (t.DType != first.DType || !t._shape.AsSpan().SequenceEqual(first._shape))
            throw new ArgumentException($"collate: example {i} has {what} {t.DType.TorchName()} of shape {t.ShapeText}, but example 0 has {first.DType.TorchName()} of shape {first.ShapeText}; every example of a batch must match.");
    }
}
