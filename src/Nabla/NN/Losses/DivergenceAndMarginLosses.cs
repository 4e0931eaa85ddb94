namespace Nabla.NN;

/// <summary>
/// KL divergence with log-probability input; target probabilities (or log-probabilities with logTarget).
/// Use <see cref="Reduction.BatchMean"/> for the true per-sample divergence; Mean averages every element, as PyTorch.
/// </summary>
public sealed class KLDivLoss(Reduction reduction = Reduction.Mean, bool logTarget = false) : Loss(reduction, allowBatchMean: true)
{
    public bool LogTarget { get; } = logTarget;

    public override Tensor Forward(Tensor input, Tensor target) => Functional.KlDiv(input, target, Reduction, LogTarget);
}

/// <summary>Hinge embedding loss: x for y = 1, max(0, margin − x) for y = −1.</summary>
public sealed class HingeEmbeddingLoss(double margin = 1.0, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    public double Margin { get; } = margin;

    public override Tensor Forward(Tensor input, Tensor target) => Functional.HingeEmbeddingLoss(input, target, Reduction, Margin);
}
