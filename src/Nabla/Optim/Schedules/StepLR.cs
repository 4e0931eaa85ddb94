namespace Nabla.Optim.Schedules;

/// <summary>Multiplies each group's lr by <c>gamma</c> every <c>stepSize</c> epochs (torch.optim.lr_scheduler.StepLR).</summary>
public sealed class StepLR : LRScheduler
{
    public int StepSize { get; private set; }
    public double Gamma { get; private set; }

    public override string Name => "StepLR";

    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize <= 0) throw new ArgumentException($"StepLR: step_size must be positive, got {stepSize}.");
        StepSize = stepSize;
        Gamma = gamma;
        InitialStep();
    }

    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        if (LastEpoch == 0 || LastEpoch % StepSize != 0) return lrs;
        return lrs.Select(lr => lr * Gamma).ToArray();
    }

    protected override void SaveHyperParameters(Dictionary<string, double[]> values)
    {
        values["step_size"] = [StepSize];
        values["gamma"] = [Gamma];
    }

    protected override void LoadHyperParameters(IReadOnlyDictionary<string, double[]> values)
    {
        var sd = new SchedulerStateDict(Name, values);
        StepSize = (int)sd.Scalar("step_size", Name);
        Gamma = sd.Scalar("gamma", Name);
    }
}
