namespace Nabla.Optim.Schedules;

/// <summary>
/// Linear warm-up (or decay): the lr factor moves linearly from <c>startFactor</c> to <c>endFactor</c> over
/// <c>totalIters</c> steps and then stays, as torch.optim.lr_scheduler.LinearLR (recursive form).
/// </summary>
public sealed class LinearLR : LRScheduler
{
    public double StartFactor { get; private set; }
    public double EndFactor { get; private set; }
    public int TotalIters { get; private set; }

    public override string Name => "LinearLR";

    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5) : base(optimizer)
    {
        // A start factor of 0 would divide by zero at the first step (PyTorch 2 rejects it too).
        if (!(startFactor > 0 && startFactor <= 1))
            throw new ArgumentException($"LinearLR: starting multiplicative factor expected to be greater than 0 and less or equal to 1, got {startFactor}.");
        if (!(endFactor >= 0 && endFactor <= 1))
            throw new ArgumentException($"LinearLR: ending multiplicative factor expected to be between 0 and 1, got {endFactor}.");
        if (totalIters <= 0) throw new ArgumentException($"LinearLR: total_iters must be positive, got {totalIters}.");
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
        InitialStep();
    }

    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        if (LastEpoch == 0) return lrs.Select(lr => lr * StartFactor).ToArray();
        if (LastEpoch > TotalIters) return lrs;
        double factor = 1.0 + (EndFactor - StartFactor) / (TotalIters * StartFactor + (LastEpoch - 1) * (EndFactor - StartFactor));
        return lrs.Select(lr => lr * factor).ToArray();
    }

    protected override void SaveHyperParameters(Dictionary<string, double[]> values)
    {
        values["start_factor"] = [StartFactor];
        values["end_factor"] = [EndFactor];
        values["total_iters"] = [TotalIters];
    }

    protected override void LoadHyperParameters(IReadOnlyDictionary<string, double[]> values)
    {
        var sd = new SchedulerStateDict(Name, values);
        StartFactor = sd.Scalar("start_factor", Name);
        EndFactor = sd.Scalar("end_factor", Name);
        TotalIters = (int)sd.Scalar("total_iters", Name);
    }
}
