using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>|x| (int64 stays int64): d/dx = sign(x), which is 0 at the kink, as in PyTorch.</summary>
internal sealed class AbsOp : Node
{
    Tensor? _x;

    public static Tensor Forward(Tensor x)
    {
        if (x.DType == DType.Bool) throw new ArgumentException($"abs: not defined for a bool tensor of shape {x.ShapeText}.");
        var y = Elementwise.NumericUnary<AbsOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new AbsOp { _x = x }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [g * _x!.Sign()];

    internal override void ReleaseSaved() => _x = null;
}
