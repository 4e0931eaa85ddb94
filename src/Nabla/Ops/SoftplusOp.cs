using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>log(1 + e^(βx))/β, linear above the threshold; gradient sigmoid(βx).</summary>
internal sealed class SoftplusOp : Node
{
    Tensor? _x;
    double _beta, _threshold;

    public static Tensor Forward(Tensor x, double beta, double threshold)
    {
        ActivationArgs.RequireFloating(x, "softplus");
        var y = Pointwise.MapSpans(x, new SoftplusSpanMap(beta, threshold));
        return Graph.Wants(x) ? Graph.Attach(y, new SoftplusOp { _x = x.Detach(), _beta = beta, _threshold = threshold }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Pointwise.GradSpans(g, _x!, new SoftplusSpanMap(_beta, _threshold))];

    internal override void ReleaseSaved() => _x = null;
}
