using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Rows of a weight table [num_embeddings, dim] looked up by an int64 index of any shape; the result is
/// [...index, dim]. The gradient index-adds the upstream rows into zeros of the table's shape (repeated
/// indices accumulate) and leaves the padding row at zero, as PyTorch's padding_idx does: that row is read
/// in the forward pass but never trained. A fused op (index_select has no way to skip a row's gradient); its
/// composed twin is index_select with the padding positions routed through a detached copy of the weight.
/// </summary>
internal sealed class EmbeddingOp : Node
{
    long[] _positions = [];
    int[] _weightShape = [];
    int _paddingIdx;

    /// <summary>The caller has checked the dtypes, ranks and the range of every position; <paramref name="paddingIdx"/> is −1 for none.</summary>
    public static Tensor Forward(Tensor weight, long[] positions, int[] indexShape, int paddingIdx)
    {
        int dim = weight._shape[1];
        var rows = IndexSelectKernel.IndexSelect(weight, 0, positions);
        var y = new Tensor(rows._storage, [.. indexShape, dim], Layout.ContiguousStrides([.. indexShape, dim]), 0);
        if (!Graph.Wants(weight)) return y;
        return Graph.Attach(y, new EmbeddingOp { _positions = positions, _weightShape = weight._shape, _paddingIdx = paddingIdx }, weight);
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        int dim = _weightShape[1];
        var grad = Tensor.Zeros(_weightShape, g.DType);
        IndexSelectKernel.IndexAdd(grad, 0, _positions, g.Reshape(_positions.Length, dim));
        // Every contribution to the padding row came from a padding position, so clearing the row afterwards
        // is the same as skipping those positions.
        if (_paddingIdx >= 0) grad.Narrow(0, _paddingIdx, 1).FillInPlace(0);
        return [grad];
    }

    internal override void ReleaseSaved() => _positions = [];
}
