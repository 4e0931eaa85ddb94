using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>sin x: d/dx = cos x.</summary>
internal sealed class SinOp : Node
{
    Tensor? _x;

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.FloatUnary<SinOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new SinOp { _x = x }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [g * _x!.Cos()];

    internal override void ReleaseSaved() => _x = null;
}
