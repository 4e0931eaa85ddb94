namespace Nabla.NN;

/// <summary>Binary cross-entropy of probabilities in [0, 1] (logs clamped at −100); optional per-element weight.</summary>
public sealed class BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : WeightedLoss(weight, reduction)
{
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, Weight, Reduction);
}

/// <summary>
/// Binary cross-entropy on logits in the stable form, with optional weight and pos_weight (both buffers, as
/// in PyTorch). <see cref="Forward(Tensor, Tensor, Tensor)"/> adds the notes' mask form: positions where the
/// bool mask is false are left out, and the mean is taken over the valid positions only.
/// </summary>
public sealed class BCEWithLogitsLoss : WeightedLoss
{
    public BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null)
        : base(weight, reduction)
    {
        if (posWeight is not null && !posWeight.DType.IsFloating())
            throw new ArgumentException($"BCEWithLogitsLoss: pos_weight must be a floating-point tensor, got {posWeight.DType.TorchName()} of shape {posWeight.ShapeText}.");
        RegisterBuffer("pos_weight", posWeight?.Detach());
    }

    public Tensor? PosWeight => Buffer("pos_weight");

    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.BinaryCrossEntropyWithLogits(input, target, Weight, PosWeight, Reduction);

    /// <summary>The masked form: only positions where <paramref name="mask"/> is true count.</summary>
    public Tensor Forward(Tensor input, Tensor target, Tensor mask) =>
        Functional.BinaryCrossEntropyWithLogits(input, target, Weight, PosWeight, Reduction, mask);
}
