using Nabla.Autograd;
using Nabla.Backends.Cpu;
using Nabla.Ops;

namespace Nabla;

// Comparisons, masks and selection. Comparisons return bool tensors; == and != are deliberately NOT
// overloaded (they keep their reference meaning, so tensors still work as dictionary keys and in null
// checks): use Eq and Ne. The ordering operators < <= > >= are overloaded.
public sealed partial class Tensor
{
    public Tensor Eq(Tensor other) => Compare<EqualOperator>(this, other, "eq");
    public Tensor Ne(Tensor other) => Compare<NotEqualOperator>(this, other, "ne");
    public Tensor Lt(Tensor other) => Compare<LessOperator>(this, other, "lt");
    public Tensor Le(Tensor other) => Compare<LessEqualOperator>(this, other, "le");
    public Tensor Gt(Tensor other) => Compare<GreaterOperator>(this, other, "gt");
    public Tensor Ge(Tensor other) => Compare<GreaterEqualOperator>(this, other, "ge");

    // A floating scalar compares in the tensor's floating dtype (an int64 tensor is compared as float32);
    // an integer scalar compares in the tensor's own dtype, so large int64 values stay exact.
    public Tensor Eq(double value) => Eq(ScalarLike(value));
    public Tensor Ne(double value) => Ne(ScalarLike(value));
    public Tensor Lt(double value) => Lt(ScalarLike(value));
    public Tensor Le(double value) => Le(ScalarLike(value));
    public Tensor Gt(double value) => Gt(ScalarLike(value));
    public Tensor Ge(double value) => Ge(ScalarLike(value));
    public Tensor Eq(long value) => Eq(IntegerScalarLike(value));
    public Tensor Ne(long value) => Ne(IntegerScalarLike(value));
    public Tensor Lt(long value) => Lt(IntegerScalarLike(value));
    public Tensor Le(long value) => Le(IntegerScalarLike(value));
    public Tensor Gt(long value) => Gt(IntegerScalarLike(value));
    public Tensor Ge(long value) => Ge(IntegerScalarLike(value));

    public static Tensor operator <(Tensor a, Tensor b) => a.Lt(b);
    public static Tensor operator >(Tensor a, Tensor b) => a.Gt(b);
    public static Tensor operator <=(Tensor a, Tensor b) => a.Le(b);
    public static Tensor operator >=(Tensor a, Tensor b) => a.Ge(b);
    public static Tensor operator <(Tensor a, double b) => a.Lt(b);
    public static Tensor operator >(Tensor a, double b) => a.Gt(b);
    public static Tensor operator <=(Tensor a, double b) => a.Le(b);
    public static Tensor operator >=(Tensor a, double b) => a.Ge(b);
    public static Tensor operator <(double a, Tensor b) => b.Gt(a);
    public static Tensor operator >(double a, Tensor b) => b.Lt(a);
    public static Tensor operator <=(double a, Tensor b) => b.Ge(a);
    public static Tensor operator >=(double a, Tensor b) => b.Le(a);
    public static Tensor operator <(Tensor a, long b) => a.Lt(b);
    public static Tensor operator >(Tensor a, long b) => a.Gt(b);
    public static Tensor operator <=(Tensor a, long b) => a.Le(b);
    public static Tensor operator >=(Tensor a, long b) => a.Ge(b);
    public static Tensor operator <(long a, Tensor b) => b.Gt(a);
    public static Tensor operator >(long a, Tensor b) => b.Lt(a);
    public static Tensor operator <=(long a, Tensor b) => b.Ge(a);
    public static Tensor operator >=(long a, Tensor b) => b.Le(a);

    /// <summary>Comparisons are not differentiable: nothing is recorded, even for the dtype conversions inside.</summary>
    static Tensor Compare<TOp>(Tensor a, Tensor b, string op) where TOp : ICompare
    {
        using var _ = new NoGrad();
        return Elementwise.Compare<TOp>(a, b, op);
    }

    /// <summary>Element-wise not of a bool tensor.</summary>
    public Tensor LogicalNot()
    {
        RequireBool(this, "logical_not");
        return Elementwise.Not(this);
    }

    /// <summary>Element-wise and of two bool tensors, with broadcasting.</summary>
    public Tensor LogicalAnd(Tensor other)
    {
        RequireBool(this, other, "logical_and");
        return Elementwise.Logical<LogicalAndOperator>(this, other, "logical_and");
    }

    /// <summary>Element-wise or of two bool tensors, with broadcasting.</summary>
    public Tensor LogicalOr(Tensor other)
    {
        RequireBool(this, other, "logical_or");
        return Elementwise.Logical<LogicalOrOperator>(this, other, "logical_or");
    }

    // On masks, PyTorch's ~ & | are the logical ops; bitwise ops on int64 tensors are not part of Nabla.
    public static Tensor operator ~(Tensor x) => x.LogicalNot();
    public static Tensor operator &(Tensor a, Tensor b) => a.LogicalAnd(b);
    public static Tensor operator |(Tensor a, Tensor b) => a.LogicalOr(b);

    static void RequireBool(Tensor x, string op)
    {
        if (x.DType != DType.Bool)
            throw new ArgumentException($"{op}: expects a bool tensor, got {x.DType.TorchName()} of shape {x.ShapeText}; compare it first (e.g. x.Ne(0)).");
    }

    static void RequireBool(Tensor a, Tensor b, string op)
    {
        if (a.DType != DType.Bool || b.DType != DType.Bool)
            throw new ArgumentException($"{op}: expects bool tensors, got {a.DType.TorchName()} of shape {a.ShapeText} and {b.DType.TorchName()} of shape {b.ShapeText}; compare them first (e.g. x.Ne(0)).");
    }

    /// <summary>
    /// <paramref name="a"/> where <paramref name="condition"/> is true, else <paramref name="b"/>; all three broadcast
    /// together and a, b promote to a common dtype. Gradients flow to a and b.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) => WhereOp.Forward(condition, a, b);
    public static Tensor Where(Tensor condition, Tensor a, double b) => WhereOp.Forward(condition, a, a.ScalarLike(b));
    public static Tensor Where(Tensor condition, double a, Tensor b) => WhereOp.Forward(condition, b.ScalarLike(a), b);
    public static Tensor Where(Tensor condition, Tensor a, long b) => WhereOp.Forward(condition, a, a.IntegerScalarLike(b));
    public static Tensor Where(Tensor condition, long a, Tensor b) => WhereOp.Forward(condition, b.IntegerScalarLike(a), b);

    /// <summary>
    /// A copy with <paramref name="value"/> (cast to this dtype) wherever the bool <paramref name="mask"/> is true.
    /// The mask broadcasts; the gradient is zero at filled positions.
    /// </summary>
    public Tensor MaskedFill(Tensor mask, double value) => MaskedFillOp.Forward(this, mask, value);
}
