using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>−x.</summary>
internal sealed class NegOp : Node
{
    public static Tensor Forward(Tensor x)
    {
        if (x.DType == DType.Bool) throw new ArgumentException($"neg: negation is not defined for a bool tensor of shape {x.ShapeText}; use LogicalNot.");
        var y = Elementwise.NumericUnary<NegateOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new NegOp(), x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [-g];
}
