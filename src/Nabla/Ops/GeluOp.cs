using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>GELU, exact (x · Φ(x) through erf) or with PyTorch's tanh approximation; backward from the saved input.</summary>
internal sealed class GeluOp : Node
{
    Tensor? _x;
    bool _tanh;

    public static Tensor Forward(Tensor x, bool tanh)
    {
        ActivationArgs.RequireFloating(x, "gelu");
        var y = tanh ? Pointwise.MapSpans(x, new GeluTanhSpanMap()) : Pointwise.MapSpans(x, new GeluSpanMap());
        return Graph.Wants(x) ? Graph.Attach(y, new GeluOp { _x = x.Detach(), _tanh = tanh }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) =>
        [_tanh ? Pointwise.GradSpans(g, _x!, new GeluTanhSpanMap()) : Pointwise.GradSpans(g, _x!, new GeluSpanMap())];

    internal override void ReleaseSaved() => _x = null;
}
