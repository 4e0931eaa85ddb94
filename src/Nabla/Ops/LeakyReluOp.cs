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
        var y = Map(x.Contiguous(), slope);
        return Graph.Wants(x) ? Graph.Attach(y, new LeakyReluOp { _x = x.Detach(), _slope = slope }, x) : y;
    }

    /// <summary>The forward map, vectorised and split over cores (<see cref="LeakyReluOperator"/>); x is contiguous and floating.</summary>
    static Tensor Map(Tensor x, double slope)
    {
        var y = Tensor.Uninitialized(x.Shape, x.DType);
        if (x.DType == DType.Float32) DenseSplit.WithScalar<float, LeakyReluOperator>(x.Span<float>(), (float)slope, false, y.Span<float>());
        else DenseSplit.WithScalar<double, LeakyReluOperator>(x.Span<double>(), slope, false, y.Span<double>());
        return y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Pointwise.GradSpans(g, _x!, new LeakyReluGradSpan(_slope))];

    internal override void ReleaseSaved() => _x = null;
}
