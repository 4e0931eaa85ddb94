using Nabla.Autograd;

namespace Nabla.Ops;

/// <summary>
/// A copy of self with self[index[i][j][k]][j][k] += src[i][j][k] (for dim 0); repeated indices accumulate.
/// Gradients: self's is the upstream gradient unchanged; src's is the upstream gradient gathered at the index.
/// </summary>
internal sealed class ScatterAddOp : Node
{
    Tensor? _index;
    int _dim;
    int[] _srcShape = [];

    public static Tensor Forward(Tensor self, int dim, Tensor index, Tensor src)
    {
        var (d, y) = ScatterOp.Run(self, dim, index, src, accumulate: true, "scatter_add", copy: true);
        return Graph.Wants(self, src) ? Graph.Attach(y, new ScatterAddOp { _index = index, _dim = d, _srcShape = src._shape }, self, src) : y;
    }

    internal override Tensor?[] Backward(Tensor g) =>
    [
        NeedsGrad(0) ? g : null,
        NeedsGrad(1) ? IndexArgs.PadTo(g.Gather(_dim, _index!), _srcShape) : null,
    ];

    internal override void ReleaseSaved() => _index = null;
}
