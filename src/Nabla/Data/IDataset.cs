namespace Nabla.Data;

/// <summary>
/// A finite, indexable collection of items: <see cref="Count"/> items, read one at a time with <see cref="Get"/>.
/// Datasets are read-only and may be read from a loader's worker thread, so <see cref="Get"/> must not depend on
/// the calling thread. Compose them with the extension methods of <see cref="Dataset"/> (Shuffle, Map, Subset,
/// Concat, RandomSplit); each wrapper is a view that copies no items.
/// </summary>
public interface IDataset<out T>
{
    int Count { get; }

    /// <summary>The item at <paramref name="index"/> (0 ≤ index &lt; Count).</summary>
    T Get(int index);
}

/// <summary>
/// One supervised example: an input tensor and its target tensor. For classification the target is a 0-d int64
/// tensor holding the class index (<see cref="Labeled"/> makes one, <see cref="Label"/> reads it); for regression it
/// is a float tensor of any shape. The default collate stacks inputs and targets along a new dim 0.
/// </summary>
public sealed record Example(Tensor Input, Tensor Target)
{
    /// <summary>A classification example: <paramref name="label"/> becomes a 0-d int64 target.</summary>
    public static Example Labeled(Tensor input, long label) => new(input, Tensor.FromScalar(label));

    /// <summary>The class index of a classification example (the target must be a one-element int64 tensor).</summary>
    public long Label
    {
        get
        {
            if (Target.DType != DType.Int64 || Target.NumElements != 1)
                throw new InvalidOperationException($"example: Label needs a one-element int64 target, this one is {Target.DType.TorchName()} of shape {Target.ShapeText}.");
            return Target.Item<long>();
        }
    }
}

/// <summary>
/// A collated mini-batch: <see cref="Input"/> has the examples' inputs stacked along dim 0 and <see cref="Target"/>
/// their targets (int64 of shape [Size] for class labels).
/// </summary>
public sealed record Batch(Tensor Input, Tensor Target)
{
    /// <summary>The number of examples in the batch (the last batch of an epoch may be smaller).</summary>
    public int Size => Input.Size(0);
}
