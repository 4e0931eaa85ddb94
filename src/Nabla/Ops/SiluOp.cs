using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>x · sigmoid(x) (swish); gradient s(1 + x(1 − s)).</summary>
internal sealed class SiluOp : Node
{
    Tensor? _x;

    public static Tensor Forward(Tensor x)
    {
        ActivationArgs.RequireFloating(x, "silu");
        var y = Pointwise.MapSpans(x, new SiluSpanMap());
        return Graph.Wants(x) ? Graph.Attach(y, new SiluOp { _x = x.Detach() }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Pointwise.GradSpans(g, _x!, new SiluSpanMap())];

    internal override void ReleaseSaved() => _x = null;
}
