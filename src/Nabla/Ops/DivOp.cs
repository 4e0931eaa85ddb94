using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>True division a / b (integers promote to float32): d/da = 1/b, d/db = −a/b².</summary>
internal sealed class DivOp : Node
{
    Tensor? _a, _b;

    public static Tensor Forward(Tensor a, Tensor b)
    {
        if (!a.DType.IsFloating() && !b.DType.IsFloating()) { a = a.To(DType.Float32); b = b.To(DType.Float32); }
        var y = Elementwise.Numeric<DivideOperator>(a, b, "div");
        return Graph.Wants(a, b) ? Graph.Attach(y, new DivOp { _a = a, _b = b }, a, b) : y;
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        var ga = g / _b!;
        return [NeedsGrad(0) ? ga.SumTo(_a!._shape) : null, NeedsGrad(1) ? (-ga * _a! / _b!).SumTo(_b!._shape) : null];
    }

    internal override void ReleaseSaved() => _a = _b = null;
}
