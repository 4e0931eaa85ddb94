namespace Nabla.Optim.Schedules;

/// <summary>
/// Cosine annealing from each base lr down to <c>etaMin</c> over <c>tMax</c> epochs, then back up, as
/// torch.optim.lr_scheduler.CosineAnnealingLR (SGDR without restarts), in PyTorch's recursive form:
/// lr_t = η_min + (lr_{t−1} − η_min)·(1 + cos(πt/T)) / (1 + cos(π(t−1)/T)).
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    public int TMax { get; private set; }
    public double EtaMin { get; private set; }

    public override string Name => "CosineAnnealingLR";

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax <= 0) throw new ArgumentException($"CosineAnnealingLR: T_max must be positive, got {tMax}.");
        TMax = tMax;
        EtaMin = etaMin;
        InitialStep();
    }

    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        int t = LastEpoch;
        if (t == 0) return lrs;
        var result = new double[lrs.Length];
        for (int i = 0; i < lrs.Length; i++)
        {
            double baseLr = BaseLrs[i];
            if (StepCount == 1 && t > 0)
                result[i] = EtaMin + (baseLr - EtaMin) * (1 + Math.Cos(t * Math.PI / TMax)) / 2;
            else if (FloorMod(t - 1 - TMax, 2 * TMax) == 0)
                // The bottom of the cosine: the recursive ratio would be 0/0 here, so PyTorch steps up explicitly.
                result[i] = lrs[i] + (baseLr - EtaMin) * (1 - Math.Cos(Math.PI / TMax)) / 2;
            else
                result[i] = (1 + Math.Cos(Math.PI * t / TMax)) / (1 + Math.Cos(Math.PI * (t - 1) / TMax)) * (lrs[i] - EtaMin) + EtaMin;
        }
        return result;
    }

    /// <summary>Python's %, whose result takes the sign of the divisor.</summary>
    static int FloorMod(int a, int b) => ((a % b) + b) % b;

    protected override void SaveHyperParameters(Dictionary<string, double[]> values)
    {
        values["T_max"] = [TMax];
        values["eta_min"] = [EtaMin];
    }

    protected override void LoadHyperParameters(IReadOnlyDictionary<string, double[]> values)
    {
        var sd = new SchedulerStateDict(Name, values);
        TMax = (int)sd.Scalar("T_max", Name);
        EtaMin = sd.Scalar("eta_min", Name);
    }
}
