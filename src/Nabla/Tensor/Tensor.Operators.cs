using Nabla.Ops;

namespace Nabla;

public sealed partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => AddOp.Forward(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => SubOp.Forward(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => MulOp.Forward(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => DivOp.Forward(a, b);
    public static Tensor operator -(Tensor x) => NegOp.Forward(x);

    // Scalars follow PyTorch: a Python float keeps a floating tensor's dtype and turns an integer
    // tensor into float32; a Python int keeps the tensor's dtype.
    public static Tensor operator +(Tensor a, double b) => a + a.ScalarLike(b);
    public static Tensor operator +(double a, Tensor b) => b.ScalarLike(a) + b;
    public static Tensor operator -(Tensor a, double b) => a - a.ScalarLike(b);
    public static Tensor operator -(double a, Tensor b) => b.ScalarLike(a) - b;
    public static Tensor operator *(Tensor a, double b) => a * a.ScalarLike(b);
    public static Tensor operator *(double a, Tensor b) => b.ScalarLike(a) * b;
    public static Tensor operator /(Tensor a, double b) => a / a.ScalarLike(b);
    public static Tensor operator /(double a, Tensor b) => b.ScalarLike(a) / b;

    public static Tensor operator +(Tensor a, long b) => a + a.IntegerScalarLike(b);
    public static Tensor operator +(long a, Tensor b) => b.IntegerScalarLike(a) + b;
    public static Tensor operator -(Tensor a, long b) => a - a.IntegerScalarLike(b);
    public static Tensor operator -(long a, Tensor b) => b.IntegerScalarLike(a) - b;
    public static Tensor operator *(Tensor a, long b) => a * a.IntegerScalarLike(b);
    public static Tensor operator *(long a, Tensor b) => b.IntegerScalarLike(a) * b;
    public static Tensor operator /(Tensor a, long b) => a / a.IntegerScalarLike(b);
    public static Tensor operator /(long a, Tensor b) => b.IntegerScalarLike(a) / b;

    /// <summary>A 0-d tensor for a floating scalar operand of this tensor.</summary>
    internal Tensor ScalarLike(double value) => Scalar(value, DType.IsFloating() ? DType : DType.Float32);

    /// <summary>A 0-d tensor for an integer scalar operand of this tensor.</summary>
    internal Tensor IntegerScalarLike(long value) => Scalar(value, DType == DType.Bool ? DType.Int64 : DType);

    public Tensor Add(Tensor other) => this + other;
    public Tensor Sub(Tensor other) => this - other;
    public Tensor Mul(Tensor other) => this * other;
    public Tensor Div(Tensor other) => this / other;
    public Tensor Neg() => -this;
    public Tensor Exp() => ExpOp.Forward(this);
    public Tensor Log() => LogOp.Forward(this);
}
