namespace Nabla.Optim.Schedules;

/// <summary>Multiplies each group's lr by <c>gamma</c> every epoch (torch.optim.lr_scheduler.ExponentialLR).</summary>
public sealed class ExponentialLR : LRScheduler
{
    public double Gamma { get; private set; }

    public override string Name => "ExponentialLR";

    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
    {
        Gamma = gamma;
        InitialStep();
    }

    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        return LastEpoch == 0 ? lrs : lrs.Select(lr => lr * Gamma).ToArray();
    }

    protected override void SaveHyperParameters(Dictionary<string, double[]> values) => values["gamma"] = [Gamma];

    protected override void LoadHyperParameters(IReadOnlyDictionary<string, double[]> values) =>
        Gamma = new SchedulerStateDict(Name, values).Scalar("gamma", Name);
}
