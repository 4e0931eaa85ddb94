using Nabla.Autograd;
using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// Float64 finite-difference checks for every loss, input and target where both are differentiable. Constants
/// (class weights, pos_weight, masks, labels) are captured by the lambdas so they are not perturbed. Values stay
/// away from the kinks (|d| = β or δ, hinge margins, x = 0 for L1).
/// </summary>
public class LossGradCheckTests
{
    static Tensor Rand(int seed, double low, double high, params int[] shape)
    {
        var rng = new System.Random(seed);
        var data = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = low + (high - low) * rng.NextDouble();
        return Tensor.From(data, shape);
    }

    static Tensor Normal(int seed, params int[] shape)
    {
        var g = new Generator((ulong)seed);
        return Tensor.Randn(shape, DType.Float64, g);
    }

    static Tensor Labels(int seed, int classes, params int[] shape) => Tensor.Randint(0, classes, shape, generator: new Generator((ulong)seed));

    static Tensor Probs(int seed, params int[] shape)
    {
        var x = Normal(seed, shape);
        return (x - x.LogSumExp(shape.Length == 1 ? 0 : 1, keepDim: true)).Exp();
    }

    static readonly Tensor Weight5 = Tensor.From(new[] { 0.5, 1.5, 1.0, 2.0, 0.7 });

    [Fact] public void Mse() => GradCheck.Assert(x => Functional.MseLoss(x[0], x[1]), Normal(1, 3, 4), Normal(2, 3, 4));
    [Fact] public void MseHalfNone() => GradCheck.Assert(x => Functional.MseLoss(x[0], x[1], Reduction.None, half: true), Normal(3, 3, 4), Normal(4, 3, 4));
    [Fact] public void L1() => GradCheck.Assert(x => Functional.L1Loss(x[0], x[1], Reduction.Sum), Rand(5, 1, 2, 3, 4), Rand(6, -1, 0, 3, 4));

    [Fact]
    public void SmoothL1AndHuber()
    {
        // |d| in (0.1, 0.9) ∪ (1.1, 3): both branches, never the switch point 1.
        var x = Rand(7, 0.1, 0.9, 2, 4);
        var y = Tensor.Cat([Tensor.Zeros([1, 4], DType.Float64), -Rand(8, 1, 2, 1, 4)]);
        GradCheck.Assert(t => Functional.SmoothL1Loss(t[0], t[1], beta: 1.0), x, y);
        GradCheck.Assert(t => Functional.HuberLoss(t[0], t[1], Reduction.Sum, delta: 1.0), x, y);
    }

    [Fact] public void CrossEntropy() => GradCheck.Assert(x => Functional.CrossEntropy(x[0], Labels(9, 5, 6)), Normal(10, 6, 5));

    [Fact]
    public void CrossEntropyAllOptions()
    {
        var target = Tensor.From(new long[] { 1, -100, 4, 0, 2, 3 }, 6);
        GradCheck.Assert(x => Functional.CrossEntropy(x[0], target, Weight5, labelSmoothing: 0.2), Normal(11, 6, 5));
    }

    [Fact]
    public void CrossEntropySpatialNone() =>
        GradCheck.Assert(x => Functional.CrossEntropy(x[0], Labels(12, 5, 2, 3), Weight5, ignoreIndex: 2, reduction: Reduction.None, labelSmoothing: 0.1), Normal(13, 2, 5, 3));

    [Fact]
    public void CrossEntropyProbabilities() =>
        GradCheck.Assert(x => Functional.CrossEntropy(x[0], x[1], Weight5, labelSmoothing: 0.1), Normal(14, 4, 5), Probs(15, 4, 5));

    [Fact]
    public void NllLoss()
    {
        var target = Tensor.From(new long[] { 1, -100, 4, 0 }, 4);
        GradCheck.Assert(x => Functional.NllLoss(x[0], target, Weight5), Normal(16, 4, 5));
        GradCheck.Assert(x => Functional.NllLoss(x[0], Labels(17, 5, 2, 3), reduction: Reduction.None), Normal(18, 2, 5, 3));
    }

    [Fact]
    public void BinaryCrossEntropy()
    {
        var w = Rand(19, 0.5, 2, 4);
        GradCheck.Assert(x => Functional.BinaryCrossEntropy(x[0], x[1], w), Rand(20, 0.05, 0.95, 3, 4), Rand(21, 0, 1, 3, 4));
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits()
    {
        var w = Rand(22, 0.5, 2, 3, 1);
        var pw = Rand(23, 0.5, 3, 4);
        GradCheck.Assert(x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], w, pw, Reduction.Sum), Normal(24, 3, 4) * 3.0, Rand(25, 0, 1, 3, 4));
        GradCheck.Assert(x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1]), Normal(26, 3, 4), Rand(27, 0, 1, 3, 4));
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsMasked()
    {
        var mask = Rand(28, 0, 1, 3, 4) > 0.3;
        GradCheck.Assert(x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], mask: mask), Normal(29, 3, 4), Rand(30, 0, 1, 3, 4));
    }

    [Fact]
    public void KlDiv()
    {
        GradCheck.Assert(x => Functional.KlDiv(x[0], x[1], Reduction.BatchMean), Normal(31, 3, 4), Probs(32, 3, 4));
        GradCheck.Assert(x => Functional.KlDiv(x[0], x[1], Reduction.Mean, logTarget: true), Normal(33, 3, 4), Normal(34, 3, 4));
    }

    [Fact]
    public void HingeEmbedding()
    {
        var y = Tensor.From(new[] { 1.0, -1, -1, 1, -1, 0 }, 6);
        // margin − x ∈ ±[0.2, 0.8]: away from the hinge.
        var x = Tensor.From(new[] { 0.3, 0.4, 1.7, -2.0, 1.5, 0.2 }, 6);
        GradCheck.Assert(t => Functional.HingeEmbeddingLoss(t[0], y, Reduction.Sum), x);
    }

    [Fact]
    public void MultiMargin()
    {
        var w = Rand(35, 0.5, 2, 4);
        var labels = Labels(36, 4, 5);
        GradCheck.Assert(x => Functional.MultiMarginLoss(x[0], labels, margin: 0.5), Normal(37, 5, 4) * 2.0);
        GradCheck.Assert(x => Functional.MultiMarginLoss(x[0], labels, p: 2, weight: w, reduction: Reduction.None), Normal(38, 5, 4) * 2.0);
    }
}
