using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>√x (integers promote to float32); the gradient reuses the output: d/dx = 1 / (2√x).</summary>
internal sealed class SqrtOp : Node
{
    Tensor? _y;

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.FloatUnary<SqrtOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new SqrtOp { _y = y.Detach() }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [g / (_y! * 2.0)];

    internal override void ReleaseSaved() => _y = null;
}
