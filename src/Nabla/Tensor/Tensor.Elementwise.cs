using Nabla.Ops;

namespace Nabla;

// Elementwise math beyond + − × ÷: powers, roots, trigonometry, activations, clamping and the binary
// maximum/minimum. Integer inputs follow PyTorch: ops that only make sense on reals (sqrt, sin, tanh, …)
// return float32; abs, sign, relu, clamp, maximum and minimum keep int64.
public sealed partial class Tensor
{
    /// <summary>Elementwise power with broadcasting: this ^ <paramref name="exponent"/>.</summary>
    public Tensor Pow(Tensor exponent) => PowOp.Forward(this, exponent);

    /// <summary>This tensor to a floating power (an int64 tensor becomes float32, as in PyTorch).</summary>
    public Tensor Pow(double exponent) => PowOp.Forward(this, ScalarLike(exponent));

    /// <summary>This tensor to an integer power (an int64 tensor stays int64; negative powers of integers are refused, as in PyTorch).</summary>
    public Tensor Pow(long exponent)
    {
        if (exponent < 0 && !DType.IsFloating())
            throw new ArgumentException($"pow: integers to negative integer powers are not allowed (input {DType.TorchName()} of shape {ShapeText}, exponent {exponent}); convert to float first.");
        return PowOp.Forward(this, IntegerScalarLike(exponent));
    }

    /// <summary>A scalar base raised to each element of <paramref name="exponent"/> (torch.pow(scalar, tensor)).</summary>
    public static Tensor Pow(double @base, Tensor exponent) => PowOp.Forward(exponent.ScalarLike(@base), exponent);

    public Tensor Sqrt() => SqrtOp.Forward(this);
    public Tensor Abs() => AbsOp.Forward(this);
    public Tensor Sign() => SignOp.Forward(this);
    public Tensor Sin() => SinOp.Forward(this);
    public Tensor Cos() => CosOp.Forward(this);
    public Tensor Tanh() => TanhOp.Forward(this);
    public Tensor Sigmoid() => SigmoidOp.Forward(this);
    public Tensor Relu() => ReluOp.Forward(this);

    /// <summary>
    /// Limits every element to [<paramref name="min"/>, <paramref name="max"/>]; either bound may be null.
    /// Floating bounds turn an int64 tensor into float32. When min &gt; max every element becomes max.
    /// </summary>
    public Tensor Clamp(double? min = null, double? max = null) => ClampOp.Forward(this, min, max, integerBounds: false);

    /// <summary>Clamp with integer bounds: an int64 tensor stays int64.</summary>
    public Tensor Clamp(long? min = null, long? max = null) => ClampOp.Forward(this, min, max, integerBounds: true);

    /// <summary>Elementwise maximum of two tensors with broadcasting (NaN propagates; ties split the gradient).</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => MaximumOp.Forward(a, b);

    /// <summary>Elementwise minimum of two tensors with broadcasting (NaN propagates; ties split the gradient).</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => MinimumOp.Forward(a, b);

    public Tensor Maximum(Tensor other) => MaximumOp.Forward(this, other);
    public Tensor Minimum(Tensor other) => MinimumOp.Forward(this, other);
}
