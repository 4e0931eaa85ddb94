namespace Nabla.NN;

/// <summary>
/// Cross-entropy of logits [N, C, d1, ...] against int64 class indices [N, d1, ...] or class probabilities of the
/// input's shape; class weights, ignore_index and label smoothing as PyTorch (see <see cref="Functional.CrossEntropy"/>).
/// </summary>
public sealed class CrossEntropyLoss : WeightedLoss
{
    public CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0)
        : base(weight, reduction)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentException($"CrossEntropyLoss: label_smoothing must lie in [0, 1], got {labelSmoothing}.");
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    public long IgnoreIndex { get; }
    public double LabelSmoothing { get; }

    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.CrossEntropy(input, target, Weight, IgnoreIndex, Reduction, LabelSmoothing);
}

/// <summary>Negative log-likelihood of log-probabilities against class indices (see <see cref="Functional.NllLoss"/>).</summary>
public sealed class NLLLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean)
    : WeightedLoss(weight, reduction)
{
    public long IgnoreIndex { get; } = ignoreIndex;

    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, Weight, IgnoreIndex, Reduction);
}

/// <summary>The multi-class SVM hinge Σ_{j≠y} max(0, margin − x_y + x_j)^p / C (PyTorch's MultiMarginLoss).</summary>
public sealed class MultiMarginLoss : WeightedLoss
{
    public MultiMarginLoss(int p = 1, double margin = 1.0, Tensor? weight = null, Reduction reduction = Reduction.Mean)
        : base(weight, reduction)
    {
        if (p is not (1 or 2)) throw new ArgumentException($"MultiMarginLoss: only p = 1 and p = 2 are supported, got {p}.");
        P = p;
        Margin = margin;
    }

    public int P { get; }
    public double Margin { get; }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.MultiMarginLoss(input, target, P, Margin, Weight, Reduction);
}
