namespace Nabla.Optim.Schedules;

/// <summary>
/// torch.optim.lr_scheduler.LambdaLR: each group's lr is its base lr times <c>factor(epoch)</c>, where "epoch" is
/// however often <see cref="LRScheduler.Step"/> is called (per batch for a warm-up). The factor is code, so the
/// state dict holds only the progress, as PyTorch's does for a plain function.
/// </summary>
public sealed class LambdaLR : LRScheduler
{
    readonly Func<int, double> _factor;

    public override string Name => "LambdaLR";

    public LambdaLR(Optimizer optimizer, Func<int, double> factor) : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(factor);
        _factor = factor;
        InitialStep();
    }

    protected override double[] ComputeLr()
    {
        double f = _factor(LastEpoch);
        if (!double.IsFinite(f) || f < 0)
            throw new InvalidOperationException($"LambdaLR: the factor at step {LastEpoch} must be a finite number ≥ 0, got {f}.");
        return [.. BaseLrs.Select(b => b * f)];
    }

    protected override void SaveHyperParameters(Dictionary<string, double[]> values) { }

    protected override void LoadHyperParameters(IReadOnlyDictionary<string, double[]> values) { }
}
