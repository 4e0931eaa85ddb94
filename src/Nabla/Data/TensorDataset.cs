namespace Nabla.Data;

/// <summary>
/// Examples held in two tensors whose dim 0 indexes the examples (torch.utils.data.TensorDataset): item i is
/// (Inputs[i], Targets[i]), both views without copies. Class labels are an int64 tensor of shape [N], so each
/// example's target is a 0-d int64 tensor.
/// </summary>
public sealed class TensorDataset : IDataset<Example>
{
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank == 0 || targets.Rank == 0 || inputs.Size(0) != targets.Size(0))
            throw new ArgumentException($"tensor_dataset: inputs of shape {inputs.ShapeText} and targets of shape {targets.ShapeText} must have the same size in dim 0 (one row per example).");
        Inputs = inputs;
        Targets = targets;
    }

    public Tensor Inputs { get; }
    public Tensor Targets { get; }

    public int Count => Inputs.Size(0);

    public Example Get(int index)
    {
        Dataset.CheckIndex(index, Count, "tensor_dataset");
        return new Example(Inputs.Select(0, index), Targets.Select(0, index));
    }

    /// <summary>
    /// A regression or classification dataset from a 2-D table: <paramref name="targetColumns"/> (negative counts
    /// from the end) become the target of shape [k] and the other columns, in order, the input.
    /// </summary>
    public static TensorDataset FromTable(Tensor table, params int[] targetColumns)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(targetColumns);
        if (table.Rank != 2) throw new ArgumentException($"tensor_dataset: a table must be 2-D, got shape {table.ShapeText}.");
        int cols = table.Size(1);
        if (targetColumns.Length == 0) throw new ArgumentException("tensor_dataset: name at least one target column.");
        var isTarget = new bool[cols];
        var targetIdx = new List<long>();
        foreach (int c in targetColumns)
        {
            int col = c < 0 ? c + cols : c;
            if ((uint)col >= (uint)cols) throw new IndexOutOfRangeException($"tensor_dataset: target column {c} is out of range for a table of shape {table.ShapeText}.");
            if (isTarget[col]) throw new ArgumentException($"tensor_dataset: target column {c} is named twice.");
            isTarget[col] = true;
            targetIdx.Add(col);
        }
        var inputIdx = new List<long>();
        for (int c = 0; c < cols; c++) if (!isTarget[c]) inputIdx.Add(c);
        var inputs = table.IndexSelect(1, Tensor.From(inputIdx.ToArray()));
        var targets = table.IndexSelect(1, Tensor.From(targetIdx.ToArray()));
        return new TensorDataset(inputs, targets);
    }
}
