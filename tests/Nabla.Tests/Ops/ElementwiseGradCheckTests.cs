using Nabla.Autograd;

namespace Nabla.Tests.Ops;

/// <summary>
/// Float64 finite-difference checks for every differentiable elementwise op. Inputs are kept away from
/// kinks (0 for abs/relu/sign, the bounds for clamp, ties for maximum/minimum) where the derivative jumps.
/// </summary>
public class ElementwiseGradCheckTests
{
    static Tensor Rand(int seed, double low, double high, params int[] shape)
    {
        var rng = new System.Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        var data = new double[n];
        for (int i = 0; i < n; i++) data[i] = low + (high - low) * rng.NextDouble();
        return Tensor.From(data, shape);
    }

    /// <summary>Values in ±[0.2, 2]: random magnitude and sign, never near zero.</summary>
    static Tensor AwayFromZero(int seed, params int[] shape)
    {
        var rng = new System.Random(seed);
        var t = Rand(seed, 0.2, 2.0, shape);
        var signs = Enumerable.Range(0, t.NumElements).Select(_ => rng.Next(2) == 0 ? -1.0 : 1.0).ToArray();
        return t * Tensor.From(signs, shape);
    }

    static Tensor Mask(int seed, params int[] shape) => Rand(seed, -1, 1, shape) > 0.0;

    [Fact] public void PowScalar() => GradCheck.Assert(x => x[0].Pow(3), Rand(1, -2, 2, 3, 4));
    [Fact] public void PowFractional() => GradCheck.Assert(x => x[0].Pow(-1.5), Rand(2, 0.3, 2, 3, 4));
    [Fact] public void PowTensor() => GradCheck.Assert(x => x[0].Pow(x[1]), Rand(3, 0.3, 2, 3, 4), Rand(4, -2, 2, 3, 4));
    [Fact] public void PowTensorBroadcast() => GradCheck.Assert(x => x[0].Pow(x[1]), Rand(5, 0.3, 2, 2, 3, 1), Rand(6, -2, 2, 4));
    [Fact] public void PowScalarBase() => GradCheck.Assert(x => Tensor.Pow(1.7, x[0]), Rand(7, -2, 2, 5));
    [Fact] public void Sqrt() => GradCheck.Assert(x => x[0].Sqrt(), Rand(8, 0.2, 3, 3, 4));
    [Fact] public void Abs() => GradCheck.Assert(x => x[0].Abs(), AwayFromZero(9, 3, 4));
    [Fact] public void Sign() => GradCheck.Assert(x => x[0].Sign() * x[0], AwayFromZero(10, 6));
    [Fact] public void Sin() => GradCheck.Assert(x => x[0].Sin(), Rand(11, -4, 4, 3, 4));
    [Fact] public void Cos() => GradCheck.Assert(x => x[0].Cos(), Rand(12, -4, 4, 3, 4));
    [Fact] public void Tanh() => GradCheck.Assert(x => x[0].Tanh(), Rand(13, -3, 3, 3, 4));
    [Fact] public void Sigmoid() => GradCheck.Assert(x => x[0].Sigmoid(), Rand(14, -5, 5, 3, 4));
    [Fact] public void Relu() => GradCheck.Assert(x => x[0].Relu(), AwayFromZero(15, 3, 4));
    [Fact] public void ActivationsOfAView() => GradCheck.Assert(x => x[0].T().Tanh() * x[0].T().Sigmoid() + x[0].T().Relu(), AwayFromZero(16, 4, 3));

    [Fact]
    public void Clamp()
    {
        // Keep every element at least 0.05 from the bounds −0.5 and 0.5.
        var x = AwayFromZero(17, 4, 5);
        x = Tensor.Where((x - 0.5).Abs() < 0.05, x + 0.1, x);
        x = Tensor.Where((x + 0.5).Abs() < 0.05, x - 0.1, x);
        GradCheck.Assert(t => t[0].Clamp(-0.5, 0.5), x);
        GradCheck.Assert(t => t[0].Clamp(min: -0.5), x);
        GradCheck.Assert(t => t[0].Clamp(max: 0.5), x);
    }

    [Fact] public void Maximum() => GradCheck.Assert(x => Tensor.Maximum(x[0], x[1]), Rand(18, -1, 1, 3, 4), Rand(19, -1, 1, 3, 4));
    [Fact] public void MaximumBroadcast() => GradCheck.Assert(x => Tensor.Maximum(x[0], x[1]), Rand(20, -1, 1, 2, 3, 1), Rand(21, -1, 1, 4));
    [Fact] public void Minimum() => GradCheck.Assert(x => Tensor.Minimum(x[0], x[1]), Rand(22, -1, 1, 3, 4), Rand(23, -1, 1, 3, 4));
    [Fact] public void MinimumBroadcast() => GradCheck.Assert(x => Tensor.Minimum(x[0], x[1]), Rand(24, -1, 1, 3, 1), Rand(25, -1, 1, 1, 5));

    [Fact] public void Where() => GradCheck.Assert(x => Tensor.Where(Mask(26, 3, 4), x[0], x[1]), Rand(27, -1, 1, 3, 4), Rand(28, -1, 1, 3, 4));
    [Fact] public void WhereBroadcast() => GradCheck.Assert(x => Tensor.Where(Mask(29, 3, 1), x[0], x[1]), Rand(30, -1, 1, 1, 4), Rand(31, -1, 1, 2, 1, 1));
    [Fact] public void WhereScalar() => GradCheck.Assert(x => Tensor.Where(Mask(32, 5), x[0], 0.5), Rand(33, -1, 1, 2, 5));
    [Fact] public void MaskedFill() => GradCheck.Assert(x => x[0].MaskedFill(Mask(34, 4), -2.0), Rand(35, -1, 1, 3, 4));
    [Fact] public void MaskedFillBroadcastInput() => GradCheck.Assert(x => x[0].MaskedFill(Mask(36, 3, 4), 1.0), Rand(37, -1, 1, 4));

    /// <summary>The ops compose: a smooth function built from several of them, with a view in the middle.</summary>
    [Fact]
    public void Composition() => GradCheck.Assert(
        x => Tensor.Where(x[0] > 0.0, x[0].Abs().Sqrt().Sin(), x[1].T().Cos().Pow(x[0].Abs())) + Tensor.Maximum(x[0].Tanh(), x[1].T().Sigmoid()),
        AwayFromZero(38, 3, 4), Rand(39, -1, 1, 4, 3));

    /// <summary>GradCheck itself must notice a wrong gradient, or the tests above prove nothing.</summary>
    [Fact]
    public void GradCheckCatchesAWrongGradient()
    {
        // Detaching sigmoid hides the x·σ'(x) term from autograd, but not from finite differences.
        var wrong = GradCheck.Run(x => x[0].Sigmoid().Detach() * x[0], [Rand(41, -1, 1, 5)]);
        Assert.False(wrong.Passed);
    }
}
