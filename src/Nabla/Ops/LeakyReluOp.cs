using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>x for x &gt; 0, else slope · x; the gradient is 1 or slope (slope at 0, as PyTorch).</summary>
internal sealed class LeakyReluOp : Node
{
    Tensor? _x;
    double _slope;

    public static Tensor Forward(Tensor x, double slope)
    {
        ActivationArgs.RequireFloating(x, "leaky_relu");
        var y = Pointwise.MapSpans(x, new LeakyReluSpanMap(slope));
        return Graph.Wants(x) ? Graph.Attach(y, new LeakyReluOp { _x = x.Detach(), _slope = slope }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Pointwise.GradSpans(g, _x!, new LeakyReluSpanMap(_slope))];

    internal override void ReleaseSaved() => _x = null;
}
