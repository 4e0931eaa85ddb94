using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>a · b elementwise: d/da = b, d/db = a.</summary>
internal sealed class MulOp : Node
{
    Tensor? _a, _b;

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Elementwise.Numeric<MultiplyOperator>(a, b, "mul");
        return Graph.Wants(a, b) ? Graph.Attach(y, new MulOp { _a = a, _b = b }, a, b) : y;
    }

    internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? (g * _b!).SumTo(_a!._shape) : null, NeedsGrad(1) ? (g * _a!).SumTo(_b!._shape) : null];

    internal override void ReleaseSaved() => _a = _b = null;
}
