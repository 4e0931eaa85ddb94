using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Elementwise maximum with broadcasting. The gradient goes to the larger input; where a == b it is split
/// in half between them, exactly as PyTorch 1.13 does (so the sum of both gradients is still g).
/// </summary>
internal sealed class MaximumOp : Node
{
    Tensor? _a, _b;

    public static Tensor Forward(Tensor a, Tensor b)
    {
        // Bool inputs: the maximum of two masks is their logical or, and stays bool as in PyTorch.
        if (a.DType == DType.Bool && b.DType == DType.Bool) return Elementwise.Logical<LogicalOrOperator>(a, b, "maximum");
        var y = Elementwise.Numeric<MaximumOperator>(a, b, "maximum");
        return Graph.Wants(a, b) ? Graph.Attach(y, new MaximumOp { _a = a, _b = b }, a, b) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => SplitGradient(g, _a!, _b!, this);

    /// <summary>Shared with minimum: <paramref name="node"/> is max or min; the winner takes g, a tie halves it.</summary>
    internal static Tensor?[] SplitGradient(Tensor g, Tensor a, Tensor b, Node node)
    {
        bool isMax = node is MaximumOp;
        var shared = Tensor.Where(a.Eq(b), g * 0.5, g);
        Tensor? ga = null, gb = null;
        if (node.Inputs[0] is not null) ga = shared.MaskedFill(isMax ? a.Lt(b) : a.Gt(b), 0).SumTo(a._shape).To(a.DType);
        if (node.Inputs[1] is not null) gb = shared.MaskedFill(isMax ? a.Gt(b) : a.Lt(b), 0).SumTo(b._shape).To(b.DType);
        return [ga, gb];
    }

    internal override void ReleaseSaved() => _a = _b = null;
}
