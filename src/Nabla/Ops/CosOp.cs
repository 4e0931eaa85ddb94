using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>cos x: d/dx = −sin x.</summary>
internal sealed class CosOp : Node
{
    Tensor? _x;

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.FloatUnary<CosOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new CosOp { _x = x }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [g * -_x!.Sin()];

    internal override void ReleaseSaved() => _x = null;
}
