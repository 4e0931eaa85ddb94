using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>erf x (see <see cref="ErfMath"/>); d/dx = 2/√π · e^(−x²). Integer inputs compute in float32.</summary>
internal sealed class ErfOp : Node
{
    Tensor? _x;

    public static Tensor Forward(Tensor x)
    {
        ActivationArgs.RejectBool(x, "erf");
        var y = Pointwise.MapSpans(x, new ErfSpanMap());
        return Graph.Wants(x) ? Graph.Attach(y, new ErfOp { _x = x.Detach() }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Pointwise.GradSpans(g, _x!, new ErfSpanMap())];

    internal override void ReleaseSaved() => _x = null;
}
