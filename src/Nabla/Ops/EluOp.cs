using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>PyTorch's generalised ELU (ELU, SELU): scale · x for x &gt; 0, else scale · alpha · (e^(inputScale·x) − 1).</summary>
internal sealed class EluOp : Node
{
    Tensor? _x;
    double _alpha, _scale, _inputScale;

    public static Tensor Forward(Tensor x, double alpha, double scale, double inputScale)
    {
        ActivationArgs.RequireFloating(x, "elu");
        var y = Pointwise.MapSpans(x, new EluSpanMap(alpha, scale, inputScale));
        return Graph.Wants(x) ? Graph.Attach(y, new EluOp { _x = x.Detach(), _alpha = alpha, _scale = scale, _inputScale = inputScale }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Pointwise.GradSpans(g, _x!, new EluSpanMap(_alpha, _scale, _inputScale))];

    internal override void ReleaseSaved() => _x = null;
}
