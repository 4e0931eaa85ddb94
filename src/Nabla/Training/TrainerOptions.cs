using Nabla.Optim.Schedules;

namespace Nabla.Training;

/// <summary>
/// How a <see cref="Trainer"/> runs, beyond the model, optimizer and loss. Every option is off unless set.
/// <code>
/// var options = new TrainerOptions
/// {
///     Scheduler = new StepLR(optimizer, stepSize: 5),
///     ClipGradNorm = 1.0,
///     TopK = 5,
///     Monitor = new MetricMonitor("val_acc"),
///     EarlyStopping = new EarlyStopping(patience: 3, restoreBestWeights: true),
///     Checkpoints = new CheckpointOptions("runs/fmnist", everyEpochs: 5),
///     Callbacks = { new MyProgressBar() },
/// };
/// </code>
/// </summary>
public sealed class TrainerOptions
{
    /// <summary>An epoch schedule, stepped once after each epoch (after the optimizer steps, as PyTorch wants).</summary>
    public LRScheduler? Scheduler { get; init; }

    /// <summary>A plateau schedule, stepped after each epoch with the <see cref="Monitor"/>'s metric.</summary>
    public ReduceLROnPlateau? PlateauScheduler { get; init; }

    /// <summary>When set, gradients are clipped to this total 2-norm before each optimizer step (clip_grad_norm_).</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>When set, the top-k accuracy (a target among the k highest scores) is measured and recorded.</summary>
    public int? TopK { get; init; }

    /// <summary>
    /// The metric that decides the best epoch, for the best checkpoint, early stopping and the plateau schedule.
    /// Default: <c>val_loss</c> (minimised) when there is a validation loader, otherwise <c>loss</c>.
    /// </summary>
    public MetricMonitor? Monitor { get; init; }

    /// <summary>Stop when the monitored metric has not improved for a number of epochs.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Where and how often to write checkpoints; none are written when null.</summary>
    public CheckpointOptions? Checkpoints { get; init; }

    /// <summary>Told about the run's progress (progress bars, logging), in list order.</summary>
    public List<ITrainingCallback> Callbacks { get; init; } = new();

    /// <summary>
    /// The random generators whose state a checkpoint saves and a resume restores, so dropout masks and
    /// augmentations continue exactly: by default the global one (<see cref="Random.Global"/>), which layers use
    /// when given no generator. Add the generators you gave to layers or transforms.
    /// </summary>
    public List<Generator> Generators { get; init; } = [Random.Global];

    internal void Validate()
    {
        if (ClipGradNorm is { } c && !(c > 0 && double.IsFinite(c)))
            throw new ArgumentOutOfRangeException(nameof(ClipGradNorm), $"trainer: the gradient clipping norm must be a positive finite number, got {c}.");
        if (TopK is { } k && k < 1)
            throw new ArgumentOutOfRangeException(nameof(TopK), $"trainer: top-k accuracy needs k ≥ 1, got {k}.");
        if (Callbacks is null || Callbacks.Any(cb => cb is null))
            throw new ArgumentException("trainer: the callback list must not be null or contain null.", nameof(Callbacks));
        if (Generators is null || Generators.Any(g => g is null))
            throw new ArgumentException("trainer: the generator list must not be null or contain null.", nameof(Generators));
        if (Generators.Distinct(ReferenceEqualityComparer.Instance).Count() != Generators.Count)
            throw new ArgumentException("trainer: a generator appears twice in the generator list.", nameof(Generators));
    }
}

public enum MonitorMode
{
    /// <summary>Lower is better for losses and the learning rate, higher for accuracies (names containing "acc").</summary>
    Auto,
    Min,
    Max,
}

/// <summary>
/// A metric to watch (a name of <see cref="EpochRecord.MetricNames"/>), which direction is better, and by how much
/// it must beat the best value so far to count as an improvement (Keras's <c>min_delta</c>): in Min mode a value
/// improves when it is below best − minDelta, in Max mode when above best + minDelta.
/// </summary>
public sealed record MetricMonitor
{
    public MetricMonitor(string metric = "val_loss", MonitorMode mode = MonitorMode.Auto, double minDelta = 0)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (!EpochRecord.MetricNames.Contains(metric))
            throw new ArgumentException($"trainer: cannot monitor '{metric}'; the metrics are {string.Join(", ", EpochRecord.MetricNames)}.", nameof(metric));
        if (!(minDelta >= 0) || double.IsInfinity(minDelta))
            throw new ArgumentOutOfRangeException(nameof(minDelta), $"trainer: min_delta must be a finite number ≥ 0, got {minDelta}.");
        Metric = metric;
        Mode = mode != MonitorMode.Auto ? mode : metric.Contains("acc") ? MonitorMode.Max : MonitorMode.Min;
        MinDelta = minDelta;
    }

    public string Metric { get; }

    /// <summary>Min or Max (Auto is resolved at construction).</summary>
    public MonitorMode Mode { get; }

    public double MinDelta { get; }

    /// <summary>Whether <paramref name="value"/> improves on <paramref name="best"/> (null: nothing yet, so any value does).</summary>
    public bool IsImprovement(double value, double? best) => best is not { } b
        || (Mode == MonitorMode.Min ? value < b - MinDelta : value > b + MinDelta);
}

/// <summary>
/// Keras's EarlyStopping on the trainer's <see cref="TrainerOptions.Monitor"/>: after each epoch the wait count is
/// reset when the metric improved and incremented otherwise; training stops when it reaches
/// <see cref="Patience"/>. With <see cref="RestoreBestWeights"/>, the model gets back the weights of the best epoch
/// when training stops early (when the last epoch ends normally the weights stay those of the last epoch).
/// </summary>
public sealed record EarlyStopping
{
    public EarlyStopping(int patience = 5, bool restoreBestWeights = false)
    {
        if (patience < 1)
            throw new ArgumentOutOfRangeException(nameof(patience), $"trainer: early stopping patience must be ≥ 1 epoch, got {patience}.");
        Patience = patience;
        RestoreBestWeights = restoreBestWeights;
    }

    public int Patience { get; }
    public bool RestoreBestWeights { get; }
}

/// <summary>
/// Checkpoints in <see cref="Directory"/> (created when missing), each a complete, atomically written
/// <c>.safetensors</c> file holding model, optimizer and trainer state (resume from any of them):
/// <list type="bullet">
/// <item><c>epoch-0005.safetensors</c> every <see cref="EveryEpochs"/> epochs (0: never);</item>
/// <item><c>best.safetensors</c> whenever the monitored metric improves (<see cref="SaveBest"/>; always written
/// when early stopping restores best weights, which a resumed run reloads from it);</item>
/// <item><c>last.safetensors</c> after every epoch (<see cref="SaveLast"/>);</item>
/// <item><c>history.json</c> and <c>history.csv</c> after every epoch (<see cref="WriteHistory"/>).</item>
/// </list>
/// </summary>
public sealed record CheckpointOptions
{
    public CheckpointOptions(string directory, int everyEpochs = 1, bool saveBest = true, bool saveLast = true, bool writeHistory = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (everyEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(everyEpochs), $"trainer: checkpoints every N epochs needs N ≥ 0 (0 = none), got {everyEpochs}.");
        Directory = directory;
        EveryEpochs = everyEpochs;
        SaveBest = saveBest;
        SaveLast = saveLast;
        WriteHistory = writeHistory;
    }

    public string Directory { get; }
    public int EveryEpochs { get; }
    public bool SaveBest { get; }
    public bool SaveLast { get; }
    public bool WriteHistory { get; }

    public const string BestFile = "best.safetensors";
    public const string LastFile = "last.safetensors";

    /// <summary>The file name of the periodic checkpoint after <paramref name="epoch"/> (1-based).</summary>
    public static string EpochFile(int epoch) => $"epoch-{epoch:D4}.safetensors";
}
