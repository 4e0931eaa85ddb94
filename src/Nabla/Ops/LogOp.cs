using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>Natural logarithm: d/dx = 1/x.</summary>
internal sealed class LogOp : Node
{
    Tensor? _x;

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.FloatUnary<LogOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new LogOp { _x = x }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [g / _x!];

    internal override void ReleaseSaved() => _x = null;
}
