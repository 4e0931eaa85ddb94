using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>max(x, 0) (int64 stays int64); the gradient passes where the output is positive, read off the output.</summary>
internal sealed class ReluOp : Node
{
    Tensor? _y;

    public static Tensor Forward(Tensor x)
    {
        if (x.DType == DType.Bool) throw new ArgumentException($"relu: not defined for a bool tensor of shape {x.ShapeText}.");
        var y = Elementwise.NumericUnary<ReluOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new ReluOp { _y = y.Detach() }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Elementwise.Numeric<ReluGradOperator>(g, _y!, "relu_backward")];

    internal override void ReleaseSaved() => _y = null;
}
