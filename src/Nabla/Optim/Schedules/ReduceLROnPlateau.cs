namespace Nabla.Optim.Schedules;

public enum PlateauMode { Min, Max }

public enum ThresholdMode { Rel, Abs }

/// <summary>
/// Reduces each group's lr by <c>factor</c> once a metric has stopped improving for more than
/// <c>patience</c> epochs, then waits <c>cooldown</c> epochs before counting again; never below the
/// group's min lr (torch.optim.lr_scheduler.ReduceLROnPlateau, 1.13). An improvement must beat the best
/// value by <c>threshold</c>, relatively (best·(1 ∓ threshold)) or absolutely (best ∓ threshold).
/// </summary>
public sealed class ReduceLROnPlateau
{
    double[] _minLrs;
    double[] _lastLr;

    public Optimizer Optimizer { get; }
    public PlateauMode Mode { get; private set; }
    public double Factor { get; private set; }
    public int Patience { get; private set; }
    public double Threshold { get; private set; }
    public ThresholdMode ThresholdMode { get; private set; }
    public int Cooldown { get; private set; }
    public double Eps { get; private set; }

    public double Best { get; private set; }
    public int NumBadEpochs { get; private set; }
    public int CooldownCounter { get; private set; }
    public int LastEpoch { get; private set; }

    public const string Name = "ReduceLROnPlateau";

    public ReduceLROnPlateau(Optimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Rel, int cooldown = 0, double minLr = 0, double eps = 1e-8)
        : this(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown, Enumerable.Repeat(minLr, optimizer?.ParamGroups.Count ?? 0).ToArray(), eps) { }

    /// <summary>With one minimum lr per parameter group.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, PlateauMode mode, double factor, int patience, double threshold,
        ThresholdMode thresholdMode, int cooldown, double[] minLrs, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(minLrs);
        if (!(factor < 1.0)) throw new ArgumentException($"{Name}: factor should be < 1.0, got {factor}.");
        if (minLrs.Length != optimizer.ParamGroups.Count)
            throw new ArgumentException($"{Name}: expected {optimizer.ParamGroups.Count} min_lrs (one per parameter group), got {minLrs.Length}.");
        if (patience < 0) throw new ArgumentException($"{Name}: patience must be >= 0, got {patience}.");
        if (cooldown < 0) throw new ArgumentException($"{Name}: cooldown must be >= 0, got {cooldown}.");
        Optimizer = optimizer;
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        Eps = eps;
        _minLrs = (double[])minLrs.Clone();
        _lastLr = optimizer.ParamGroups.Select(g => g.Lr).ToArray();
        Best = WorstValue;
    }

    double WorstValue => Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    public IReadOnlyList<double> MinLrs => _minLrs;

    public bool InCooldown => CooldownCounter > 0;

    /// <summary>Records the epoch's metric (for example the validation loss) and reduces the rates on a plateau.</summary>
    public void Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric, Best))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else NumBadEpochs++;

        if (InCooldown)
        {
            CooldownCounter--;
            NumBadEpochs = 0; // bad epochs during the cooldown do not count
        }
        if (NumBadEpochs > Patience)
        {
            ReduceLr();
            CooldownCounter = Cooldown;
            NumBadEpochs = 0;
        }
        _lastLr = Optimizer.ParamGroups.Select(g => g.Lr).ToArray();
    }

    public double[] GetLastLr() => (double[])_lastLr.Clone();

    void ReduceLr()
    {
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count; i++)
        {
            double old = groups[i].Lr;
            double next = Math.Max(old * Factor, _minLrs[i]);
            // Changes smaller than eps are ignored so the rate does not creep by rounding noise.
            if (old - next > Eps) groups[i].Lr = next;
        }
    }

    bool IsBetter(double a, double best) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Rel) => a < best * (1.0 - Threshold),
        (PlateauMode.Min, ThresholdMode.Abs) => a < best - Threshold,
        (PlateauMode.Max, ThresholdMode.Rel) => a > best * (Threshold + 1.0),
        _ => a > best + Threshold,
    };

    public SchedulerStateDict StateDict() => new(Name, new Dictionary<string, double[]>
    {
        ["mode"] = [(double)Mode], ["factor"] = [Factor], ["patience"] = [Patience], ["threshold"] = [Threshold],
        ["threshold_mode"] = [(double)ThresholdMode], ["cooldown"] = [Cooldown], ["eps"] = [Eps],
        ["min_lrs"] = (double[])_minLrs.Clone(), ["best"] = [Best], ["num_bad_epochs"] = [NumBadEpochs],
        ["cooldown_counter"] = [CooldownCounter], ["last_epoch"] = [LastEpoch], ["_last_lr"] = (double[])_lastLr.Clone(),
    });

    public void LoadStateDict(SchedulerStateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (stateDict.Scheduler != Name)
            throw new ArgumentException($"{Name}: cannot load a state dict saved by {stateDict.Scheduler}.");
        var minLrs = stateDict.Get("min_lrs", Name);
        if (minLrs.Length != Optimizer.ParamGroups.Count)
            throw new ArgumentException($"{Name}: the loaded state dict has {minLrs.Length} min_lrs but the optimizer has {Optimizer.ParamGroups.Count} parameter groups.");
        double S(string key) => stateDict.Scalar(key, Name);
        var mode = S("mode");
        var thresholdMode = S("threshold_mode");
        if (mode is not (0 or 1) || thresholdMode is not (0 or 1))
            throw new ArgumentException($"{Name}: the loaded state dict has an unknown mode ({mode}) or threshold mode ({thresholdMode}).");
        Mode = (PlateauMode)(int)mode;
        ThresholdMode = (ThresholdMode)(int)thresholdMode;
        Factor = S("factor");
        Patience = (int)S("patience");
        Threshold = S("threshold");
        Cooldown = (int)S("cooldown");
        Eps = S("eps");
        Best = S("best");
        NumBadEpochs = (int)S("num_bad_epochs");
        CooldownCounter = (int)S("cooldown_counter");
        LastEpoch = (int)S("last_epoch");
        _minLrs = (double[])minLrs.Clone();
        _lastLr = (double[])stateDict.Get("_last_lr", Name).Clone();
    }
}
