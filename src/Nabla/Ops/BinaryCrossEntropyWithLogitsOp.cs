using Nabla.Autograd;

namespace Nabla.Ops;

/// <summary>
/// Binary cross-entropy on logits in the stable form (1 − y)·x + l·softplus(−x), with
/// softplus(−x) = log(1 + e^−|x|) + max(−x, 0) and l = 1 + (pos_weight − 1)·y (l = 1 without pos_weight);
/// for l = 1 this is max(x, 0) − x·y + log(1 + e^−|x|). Times the weight; zero outside the mask.
/// <para>One node rather than a composition because the composed gradient is wrong at x = 0 exactly (the kinks of
/// |x| and max give −y instead of σ(0) − y, and zero-initialised logistic regression starts there). Backward:
/// ∂/∂x = w·((1 − y) − l·σ(−x)), ∂/∂y = w·(−x + (pos_weight − 1)·softplus(−x)); both zero outside the mask, so
/// padding that holds NaN or garbage never reaches the gradients. Weights, pos_weight and mask are constants.</para>
/// </summary>
internal sealed class BinaryCrossEntropyWithLogitsOp : Node
{
    Tensor? _x, _y, _w, _posWeight, _mask;

    public override string Name => "BinaryCrossEntropyWithLogitsBackward";

    public static Tensor Forward(Tensor x, Tensor y, Tensor? weight, Tensor? posWeight, Tensor? mask)
    {
        Tensor loss;
        using (new NoGrad())
        {
            var softplus = SoftplusOfNegative(x);
            var scale = posWeight is null ? null : 1.0 + (posWeight - 1.0) * y;
            loss = (1.0 - y) * x + (scale is null ? softplus : scale * softplus);
            if (weight is not null) loss = loss * weight;
            if (mask is not null) loss = Tensor.Where(mask, loss, 0.0);
        }
        return Graph.Wants(x, y)
            ? Graph.Attach(loss, new BinaryCrossEntropyWithLogitsOp { _x = x.Detach(), _y = y.Detach(), _w = weight, _posWeight = posWeight, _mask = mask }, x, y)
            : loss;
    }

    /// <summary>log(1 + e^−x) without overflow: log(1 + e^−|x|) + max(−x, 0).</summary>
    static Tensor SoftplusOfNegative(Tensor x) => ((-x.Abs()).Exp() + 1.0).Log() + (-x).Relu();

    internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x!;
        var y = _y!;
        var gw = _w is null ? g : g * _w;
        Tensor? dx = null, dy = null;
        if (NeedsGrad(0))
        {
            var sigmoidOfNegative = (-x).Sigmoid();
            var scaled = _posWeight is null ? sigmoidOfNegative : (1.0 + (_posWeight - 1.0) * y) * sigmoidOfNegative;
            dx = Masked(gw * ((1.0 - y) - scaled));
        }
        if (NeedsGrad(1))
        {
            var d = _posWeight is null ? -x : (_posWeight - 1.0) * SoftplusOfNegative(x) - x;
            dy = Masked(gw * d);
        }
        return [dx, dy];
    }

    Tensor Masked(Tensor grad) => _mask is null ? grad : Tensor.Where(_mask, grad, 0.0);

    internal override void ReleaseSaved() => _x = _y = _w = _posWeight = _mask = null;
}
