namespace Nabla.Optim.Schedules;

/// <summary>
/// Multiplies each group's lr by <c>gamma</c> at each milestone epoch (torch.optim.lr_scheduler.MultiStepLR);
/// a milestone listed k times applies gamma^k, as PyTorch's Counter does.
/// </summary>
public sealed class MultiStepLR : LRScheduler
{
    int[] _milestones;

    public IReadOnlyList<int> Milestones => _milestones;
    public double Gamma { get; private set; }

    public override string Name => "MultiStepLR";

    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1) : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _milestones = milestones.Order().ToArray();
        Gamma = gamma;
        InitialStep();
    }

    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        int hits = _milestones.Count(m => m == LastEpoch);
        if (hits == 0) return lrs;
        double factor = Math.Pow(Gamma, hits);
        return lrs.Select(lr => lr * factor).ToArray();
    }

    protected override void SaveHyperParameters(Dictionary<string, double[]> values)
    {
        values["milestones"] = _milestones.Select(m => (double)m).ToArray();
        values["gamma"] = [Gamma];
    }

    protected override void LoadHyperParameters(IReadOnlyDictionary<string, double[]> values)
    {
        var sd = new SchedulerStateDict(Name, values);
        _milestones = sd.Get("milestones", Name).Select(m => (int)m).Order().ToArray();
        Gamma = sd.Scalar("gamma", Name);
    }
}
