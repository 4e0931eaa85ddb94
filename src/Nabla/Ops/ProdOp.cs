using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Product over dims (keepdim optional). The gradient of each element is the upstream gradient times the
/// product of the other elements of its slice: computed directly (prefix × suffix products) rather than as
/// y / x, so it stays right when elements are zero.
/// </summary>
internal sealed class ProdOp : Node
{
    Tensor? _x;
    bool[] _reduced = [];
    int[] _keptShape = [];

    public static Tensor Forward(Tensor x, int[]? dims, bool keepDim)
    {
        var reduced = ReductionDims.Mask(x, dims, "prod");
        if (x.DType == DType.Bool) x = x.To(DType.Int64);
        var y = ProdKernel.Prod(x, reduced);
        var kept = SumOp.KeptShape(x._shape, reduced);
        if (keepDim) y = y.Reshape(kept);
        return Graph.Wants(x) ? Graph.Attach(y, new ProdOp { _x = x.Detach(), _reduced = reduced, _keptShape = kept }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [g.Reshape(_keptShape) * ProdKernel.ExclusiveProduct(_x!, _reduced)];

    internal override void ReleaseSaved() => _x = null;
}
