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
        return new Batch(Tensor.Stack(inputs), Tensor.Stack(targets));
    }

    // Stack would also refuse a mismatch, but this message says which example and which half is at fault.
    static void Check(Tensor first, Tensor t, int i, string what)
    {
        if (t is null) throw new ArgumentException($"collate: the {what} of example {i} is null.");
        if (t.DType != first.DType || !t._shape.AsSpan().SequenceEqual(first._shape))
            throw new ArgumentException($"collate: example {i} has {what} {t.DType.TorchName()} of shape {t.ShapeText}, but example 0 has {first.DType.TorchName()} of shape {first.ShapeText}; every example of a batch must match.");
    }
}
