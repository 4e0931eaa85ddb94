namespace Nabla.Backends.Cpu;

/// <summary>
/// The layout every block reduction works on: the reduced dims are moved innermost and the tensor is made
/// dense, so output element i owns the contiguous block [i·Block, (i+1)·Block) of <see cref="Dense"/>.
/// When the reduced dims already are the trailing dims of a contiguous tensor nothing is copied.
/// </summary>
internal readonly struct ReduceBlocks
{
    /// <summary>A dense tensor whose dims are the kept dims (in order) followed by the reduced dims.</summary>
    public readonly Tensor Dense;

    /// <summary>Number of output elements (product of the kept sizes).</summary>
    public readonly int Outer;

    /// <summary>Elements reduced into each output element (product of the reduced sizes).</summary>
    public readonly int Block;

    /// <summary>The input shape without the reduced dims (the output shape when keepDim is off).</summary>
    public readonly int[] OutShape;

    readonly int[] _order;

    public ReduceBlocks(Tensor x, bool[] reduced)
    {
        var kept = new List<int>();
        var gone = new List<int>();
        int block = 1;
        for (int i = 0; i < x.Rank; i++)
        {
            if (reduced[i]) { gone.Add(i); block *= x._shape[i]; }
            else kept.Add(i);
        }
        _order = [.. kept, .. gone];
        OutShape = kept.Select(i => x._shape[i]).ToArray();
        Outer = Layout.NumElements(OutShape);
        Block = block;
        var permuted = x.Detach().Permute(_order);
        Dense = permuted.IsContiguous ? permuted : permuted.DenseCopy();
    }

    /// <summary>The block reduced into output element <paramref name="i"/>.</summary>
    public ReadOnlySpan<T> Row<T>(int i) where T : unmanaged => Dense.Data<T>().AsSpan(Dense._offset + i * Block, Block);

    /// <summary>
    /// Turns a dense tensor laid out like <see cref="Dense"/> (kept dims then reduced dims) back into the
    /// input's dim order, as a dense tensor. Used by kernels that produce one value per input element.
    /// </summary>
    public Tensor ToInputOrder(Tensor laidOutLikeDense)
    {
        var inverse = new int[_order.Length];
        for (int i = 0; i < _order.Length; i++) inverse[_order[i]] = i;
        var back = laidOutLikeDense.Detach().Permute(inverse);
        return back.IsContiguous ? back : back.DenseCopy();
    }
}
