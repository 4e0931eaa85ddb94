using Nabla.Autograd;

namespace Nabla.Ops;

/// <summary>
/// Binary cross-entropy on probabilities, −w·(y·log x + (1 − y)·log(1 − x)) with each log clamped at −100 as
/// PyTorch does, so x = 0 or 1 gives a finite loss. One node rather than a composition because the composed
/// gradient is 0·∞ = NaN at x = 0 or 1; PyTorch's formula is used instead:
/// ∂/∂x = w·(x − y) / max(x(1 − x), 1e−12), ∂/∂y = −w·(log x − log(1 − x)). The weight is a constant
/// broadcastable to x. Elementwise output; the caller reduces. The composed twin is checked in the tests.
/// </summary>
internal sealed class BinaryCrossEntropyOp : Node
{
    Tensor? _x, _y, _w;

    public static Tensor Forward(Tensor x, Tensor y, Tensor? weight)
    {
        Tensor loss;
        using (new NoGrad())
        {
            var logX = x.Log().Clamp(min: -100.0);
            var logOneMinusX = (1.0 - x).Log().Clamp(min: -100.0);
            loss = -(y * logX + (1.0 - y) * logOneMinusX);
            if (weight is not null) loss = loss * weight;
        }
        return Graph.Wants(x, y)
            ? Graph.Attach(loss, new BinaryCrossEntropyOp { _x = x.Detach(), _y = y.Detach(), _w = weight }, x, y)
            : loss;
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x!;
        var gw = _w is null ? g : g * _w;
        var dx = NeedsGrad(0) ? gw * (x - _y!) / (x * (1.0 - x)).Clamp(min: 1e-12) : null;
        var dy = NeedsGrad(1) ? gw * ((1.0 - x).Log() - x.Log()) : null;
        return [dx, dy];
    }

    internal override void ReleaseSaved() => _x = _y = _w = null;
}
