using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>eˣ; the gradient reuses the output: d/dx = eˣ.</summary>
internal sealed class ExpOp : Node
{
    Tensor? _y;

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.FloatUnary<ExpOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new ExpOp { _y = y.Detach() }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [g * _y!];

    internal override void ReleaseSaved() => _y = null;
}
