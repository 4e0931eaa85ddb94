using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// aᵇ with broadcasting (a scalar exponent arrives as a 0-d tensor). Gradients follow PyTorch exactly:
/// d/da = b·aᵇ⁻¹, taken as 0 where b = 0 (so 0⁰ has no NaN gradient); d/db = aᵇ·ln a, taken as 0 where
/// a = 0 and b ≥ 0 (the limit from the right).
/// </summary>
internal sealed class PowOp : Node
{
    Tensor? _a, _b, _y;

    public static Tensor Forward(Tensor a, Tensor b)
    {
        if (a.DType == DType.Bool && b.DType == DType.Bool)
            throw new ArgumentException($"pow: not defined for two bool tensors (shapes {a.ShapeText} and {b.ShapeText}).");
        // Converting up front (recorded casts) keeps the saved tensors in the result dtype for Backward.
        var dtype = DTypes.Promote(a.DType, b.DType);
        a = a.To(dtype);
        b = b.To(dtype);
        var y = Elementwise.Numeric<PowOperator>(a, b, "pow");
        return Graph.Wants(a, b) ? Graph.Attach(y, new PowOp { _a = a, _b = b, _y = y.Detach() }, a, b) : y;
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        Tensor a = _a!, b = _b!;
        Tensor? ga = null, gb = null;
        if (NeedsGrad(0))
            ga = (g * b * a.Pow(b - 1L)).MaskedFill(b.Eq(0L), 0).SumTo(a._shape);
        if (NeedsGrad(1))
            gb = (g * (_y! * a.Log()).MaskedFill(a.Eq(0L).LogicalAnd(b.Ge(0L)), 0)).SumTo(b._shape);
        return [ga, gb];
    }

    internal override void ReleaseSaved() => _a = _b = _y = null;
}
