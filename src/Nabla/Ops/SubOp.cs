using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>a − b with broadcasting.</summary>
internal sealed class SubOp : Node
{
    int[] _aShape = [], _bShape = [];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Elementwise.Numeric<SubtractOperator>(a, b, "sub");
        return Graph.Wants(a, b) ? Graph.Attach(y, new SubOp { _aShape = a._shape, _bShape = b._shape }, a, b) : y;
    }

    internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? g.SumTo(_aShape) : null, NeedsGrad(1) ? (-g).SumTo(_bShape) : null];
}
