using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// The slices of x at the given positions along one dim (x[:, index] for dim 1). The gradient is the
/// upstream gradient index-added into zeros of the input's shape, so repeated indices accumulate.
/// </summary>
internal sealed class IndexSelectOp : Node
{
    long[] _index = [];
    int _dim;
    int[] _inputShape = [];

    public static Tensor Forward(Tensor x, int dim, Tensor index)
    {
        const string op = "index_select";
        ArgumentNullException.ThrowIfNull(x);
        var positions = Positions(index, x, dim, op, out int d);
        var y = IndexSelectKernel.IndexSelect(x, d, positions);
        return Graph.Wants(x) ? Graph.Attach(y, new IndexSelectOp { _index = positions, _dim = d, _inputShape = x._shape }, x) : y;
    }

    /// <summary>Checks an index_select/index_add index (int64, at most 1-D, in range) and returns it as a dense array.</summary>
    internal static long[] Positions(Tensor index, Tensor x, int dim, string op, out int d)
    {
        IndexArgs.RequireInt64(index, op);
        if (x.Rank == 0)
            throw new ArgumentException($"{op}: cannot index a 0-dimensional tensor; reshape it to [1] first.");
        d = Layout.NormalizeDim(dim, x.Rank, op);
        if (index.Rank > 1)
            throw new ArgumentException($"{op}: the index must be 0-D or 1-D, got shape {index.ShapeText} for input of shape {x.ShapeText}.");
        var positions = index.Detach().Contiguous().ToArray<long>();
        int size = x._shape[d];
        foreach (long i in positions)
            if ((ulong)i >= (ulong)size)
                throw new IndexOutOfRangeException($"{op}: index {i} is out of range for dimension {d} with size {size} (input shape {x.ShapeText}).");
        return positions;
    }

    internal override Tensor?[] Backward(Tensor g) =>
        [Tensor.Zeros(_inputShape, g.DType).IndexAdd(_dim, Tensor.From(_index, [_index.Length]), g)];

    internal override void ReleaseSaved() => _index = [];
}
