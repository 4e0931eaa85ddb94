namespace Nabla.NN;

/// <summary>
/// Base of the loss modules (PyTorch's _Loss / _WeightedLoss): a stateless module holding its options and, for
/// weighted losses, the class weights as a buffer named "weight" (so they move with the state dict as in
/// PyTorch). Call <see cref="Forward(Tensor, Tensor)"/>; the math lives in <see cref="Functional"/>.
/// </summary>
public abstract class Loss : Module
{
    protected Loss(Reduction reduction, bool allowBatchMean = false)
    {
        if (!Enum.IsDefined(reduction) || (reduction == Reduction.BatchMean && !allowBatchMean))
            throw new ArgumentException($"{TypeName}: reduction '{reduction}' is not supported; use None, Mean or Sum" +
                (allowBatchMean ? " or BatchMean." : " (BatchMean is for KLDivLoss)."));
        Reduction = reduction;
    }

    /// <summary>How per-element losses are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>The loss of <paramref name="input"/> (predictions, logits or log-probabilities) against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>A loss needs a target: use <see cref="Forward(Tensor, Tensor)"/>.</summary>
    public override Tensor Forward(Tensor input) => throw NoSingleInputForward("call Forward(input, target).");
}

/// <summary>A loss with optional per-class (or per-element) weights, registered as the buffer "weight".</summary>
public abstract class WeightedLoss : Loss
{
    protected WeightedLoss(Tensor? weight, Reduction reduction) : base(reduction)
    {
        if (weight is not null && !weight.DType.IsFloating())
            throw new ArgumentException($"{TypeName}: weight must be a floating-point tensor, got {weight.DType.TorchName()} of shape {weight.ShapeText}.");
        RegisterBuffer("weight", weight?.Detach());
    }

    /// <summary>The class weights (read through the buffer registry, so a loaded state dict is honoured).</summary>
    public Tensor? Weight => Buffer("weight");
}
