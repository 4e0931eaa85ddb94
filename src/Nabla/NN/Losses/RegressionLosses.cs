namespace Nabla.NN;

/// <summary>
/// Mean squared error. <paramref name="half"/> = true gives the notes' squared loss ½(ŷ − y)² (gradient ŷ − y);
/// PyTorch's MSELoss has no such option, so its default false matches PyTorch.
/// </summary>
public sealed class MSELoss(Reduction reduction = Reduction.Mean, bool half = false) : Loss(reduction)
{
    /// <summary>Whether the ½ factor of the notes' squared loss is applied.</summary>
    public bool Half { get; } = half;

    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction, Half);
}

/// <summary>Mean absolute error |ŷ − y|.</summary>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}

/// <summary>Smooth L1: quadratic ½d²/β below β, linear above (β = 0 is the L1 loss).</summary>
public sealed class SmoothL1Loss : Loss
{
    public SmoothL1Loss(Reduction reduction = Reduction.Mean, double beta = 1.0) : base(reduction)
    {
        if (!(beta >= 0)) throw new ArgumentException($"SmoothL1Loss: beta must be non-negative, got {beta}.");
        Beta = beta;
    }

    public double Beta { get; }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Reduction, Beta);
}

/// <summary>Huber loss: ½d² below δ, δ(|d| − ½δ) above.</summary>
public sealed class HuberLoss : Loss
{
    public HuberLoss(Reduction reduction = Reduction.Mean, double delta = 1.0) : base(reduction)
    {
        if (!(delta > 0)) throw new ArgumentException($"HuberLoss: delta must be positive, got {delta}.");
        Delta = delta;
    }

    public double Delta { get; }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Reduction, Delta);
}
