using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// out[i][j][k] = x[index[i][j][k]][j][k] (for dim 0). The gradient is the upstream gradient scatter-added
/// into zeros of the input's shape, so repeated indices accumulate.
/// </summary>
internal sealed class GatherOp : Node
{
    Tensor? _index;
    int _dim;
    int[] _inputShape = [];

    public static Tensor Forward(Tensor x, int dim, Tensor index)
    {
        const string op = "gather";
        ArgumentNullException.ThrowIfNull(x);
        IndexArgs.RequireInt64(index, op);
        int d = IndexArgs.Dim(x, dim, op);
        IndexArgs.CheckShapes(op, d, index, x, "input");
        IndexArgs.CheckBounds(index, IndexArgs.DimSize(x, d), d, op, x);
        var y = GatherScatterKernel.Gather(x, d, index);
        return Graph.Wants(x) ? Graph.Attach(y, new GatherOp { _index = index, _dim = d, _inputShape = x._shape }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Tensor.Zeros(_inputShape, g.DType).ScatterAdd(_dim, _index!, g)];

    internal override void ReleaseSaved() => _index = null;
}
