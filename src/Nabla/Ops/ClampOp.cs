using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// clamp(x, min, max), either bound optional. The gradient is 1 where min ≤ x ≤ max (bounds included,
/// as in PyTorch) and 0 where the value was clipped.
/// </summary>
internal sealed class ClampOp : Node
{
    Tensor? _x;
    double? _min, _max;

    /// <param name="integerBounds">True when the bounds were given as integers: an int64 tensor then stays int64; floating bounds turn it into float32 (PyTorch's scalar promotion).</param>
    public static Tensor Forward(Tensor x, double? min, double? max, bool integerBounds)
    {
        if (min is null && max is null)
            throw new ArgumentException($"clamp: at least one of min and max must be given (input of shape {x.ShapeText}).");
        if (x.DType == DType.Bool)
            throw new ArgumentException($"clamp: not defined for a bool tensor of shape {x.ShapeText}.");
        if (!integerBounds && !x.DType.IsFloating()) x = x.To(DType.Float32);
        var y = ClampKernel.Clamp(x, min, max);
        return Graph.Wants(x) ? Graph.Attach(y, new ClampOp { _x = x, _min = min, _max = max }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x!;
        Tensor? clipped = null;
        if (_min is { } lo) clipped = x.Lt(lo);
        if (_max is { } hi) clipped = clipped is null ? x.Gt(hi) : clipped.LogicalOr(x.Gt(hi));
        return [g.MaskedFill(clipped!, 0)];
    }

    internal override void ReleaseSaved() => _x = null;
}
