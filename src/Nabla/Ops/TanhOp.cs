using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>tanh x; the gradient reuses the output in one fused pass: d/dx = 1 − y².</summary>
internal sealed class TanhOp : Node
{
    Tensor? _y;

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.FloatUnary<TanhOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new TanhOp { _y = y.Detach() }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Elementwise.Numeric<TanhGradOperator>(g, _y!, "tanh_backward")];

    internal override void ReleaseSaved() => _y = null;
}
