namespace Nabla.Optim.Schedules;

/// <summary>
/// Base of the epoch/step learning-rate schedules, with the semantics of PyTorch's _LRScheduler (1.13):
/// construction records each group's "initial_lr" (base lr) and performs the first step (epoch 0);
/// every <see cref="Step"/> advances the epoch and writes the new rates into the optimizer's groups.
/// Rates are computed in PyTorch's chainable (recursive) form from the groups' current lr, so the
/// values match torch's to the last bit. Call <c>optimizer.Step()</c> before <c>scheduler.Step()</c>.
/// </summary>
public abstract class LRScheduler
{
    double[] _baseLrs;
    double[] _lastLr = [];

    public Optimizer Optimizer { get; }

    /// <summary>The epoch the current rates belong to (0 after construction).</summary>
    public int LastEpoch { get; private set; } = -1;

    /// <summary>How many times Step has run, construction's step included.</summary>
    protected int StepCount { get; private set; }

    /// <summary>Each group's lr when the schedule started ("initial_lr").</summary>
    public IReadOnlyList<double> BaseLrs => _baseLrs;

    /// <summary>The name used in messages and state dicts.</summary>
    public abstract string Name { get; }

    protected LRScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        foreach (var g in optimizer.ParamGroups)
            if (!g.Has("initial_lr")) g["initial_lr"] = g.Lr;
        _baseLrs = optimizer.ParamGroups.Select(g => g["initial_lr"]).ToArray();
    }

    /// <summary>Called at the end of each derived constructor (once its fields are set): PyTorch's initial step.</summary>
    protected void InitialStep()
    {
        StepCount = 0;
        Step();
    }

    /// <summary>Advances one epoch (or iteration) and sets the groups' learning rates.</summary>
    public void Step()
    {
        StepCount++;
        LastEpoch++;
        var values = ComputeLr();
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < Math.Min(values.Length, groups.Count); i++) groups[i].Lr = values[i];
        _lastLr = groups.Select(g => g.Lr).ToArray();
    }

    /// <summary>The learning rate of each group as last set by this schedule.</summary>
    public double[] GetLastLr() => (double[])_lastLr.Clone();

    /// <summary>The rates for <see cref="LastEpoch"/>, from the groups' current rates (PyTorch's get_lr).</summary>
    protected abstract double[] ComputeLr();

    /// <summary>The groups' current learning rates.</summary>
    protected double[] GroupLrs() => Optimizer.ParamGroups.Select(g => g.Lr).ToArray();

    /// <summary>The schedule's own hyper-parameters, saved with its progress (PyTorch saves every field).</summary>
    protected abstract void SaveHyperParameters(Dictionary<string, double[]> values);

    protected abstract void LoadHyperParameters(IReadOnlyDictionary<string, double[]> values);

    public SchedulerStateDict StateDict()
    {
        var values = new Dictionary<string, double[]>
        {
            ["last_epoch"] = [LastEpoch], ["_step_count"] = [StepCount],
            ["base_lrs"] = (double[])_baseLrs.Clone(), ["_last_lr"] = (double[])_lastLr.Clone(),
        };
        SaveHyperParameters(values);
        return new SchedulerStateDict(Name, values);
    }

    /// <summary>Restores progress and hyper-parameters; the optimizer's group rates come from the optimizer's own state dict.</summary>
    public void LoadStateDict(SchedulerStateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (stateDict.Scheduler != Name)
            throw new ArgumentException($"{Name}: cannot load a state dict saved by {stateDict.Scheduler}.");
        var baseLrs = stateDict.Get("base_lrs", Name);
        if (baseLrs.Length != Optimizer.ParamGroups.Count)
            throw new ArgumentException($"{Name}: the loaded state dict has {baseLrs.Length} base learning rates but the optimizer has {Optimizer.ParamGroups.Count} parameter groups.");
        LoadHyperParameters(stateDict.Values);
        LastEpoch = (int)stateDict.Scalar("last_epoch", Name);
        StepCount = (int)stateDict.Scalar("_step_count", Name);
        _baseLrs = (double[])baseLrs.Clone();
        _lastLr = (double[])stateDict.Get("_last_lr", Name).Clone();
    }
}

/// <summary>A schedule's saved state: its name and named values (scalars are one-element arrays).</summary>
public sealed record SchedulerStateDict(string Scheduler, IReadOnlyDictionary<string, double[]> Values)
{
    internal double[] Get(string key, string owner) => Values.TryGetValue(key, out var v)
        ? v
        : throw new ArgumentException($"{owner}: the loaded state dict has no '{key}'.");

    internal double Scalar(string key, string owner)
    {
        var v = Get(key, owner);
        return v.Length == 1 ? v[0] : throw new ArgumentException($"{owner}: the loaded state dict's '{key}' should hold one value, it holds {v.Length}.");
    }
}
