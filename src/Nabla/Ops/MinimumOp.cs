using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>Elementwise minimum with broadcasting; the gradient goes to the smaller input and is halved on ties (see <see cref="MaximumOp"/>).</summary>
internal sealed class MinimumOp : Node
{
    Tensor? _a, _b;

    public static Tensor Forward(Tensor a, Tensor b)
    {
        if (a.DType == DType.Bool && b.DType == DType.Bool) return Elementwise.Logical<LogicalAndOperator>(a, b, "minimum");
        var y = Elementwise.Numeric<MinimumOperator>(a, b, "minimum");
        return Graph.Wants(a, b) ? Graph.Attach(y, new MinimumOp { _a = a, _b = b }, a, b) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => MaximumOp.SplitGradient(g, _a!, _b!, this);

    internal override void ReleaseSaved() => _a = _b = null;
}
