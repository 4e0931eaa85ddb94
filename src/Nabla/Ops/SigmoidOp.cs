using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>1 / (1 + e⁻ˣ); the gradient reuses the output in one fused pass: d/dx = y(1 − y).</summary>
internal sealed class SigmoidOp : Node
{
    Tensor? _y;

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.FloatUnary<SigmoidOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new SigmoidOp { _y = y.Detach() }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Elementwise.Numeric<SigmoidGradOperator>(g, _y!, "sigmoid_backward")];

    internal override void ReleaseSaved() => _y = null;
}
