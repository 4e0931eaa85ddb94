using System.Globalization;
using Nabla.IO;

namespace Nabla.Training;

// Checkpoints of a run: model + optimizer through Nabla.IO.Checkpoint, and the trainer's own state as JSON in the
// same file's metadata, so one atomically written file is a complete, consistent snapshot to resume from.
public sealed partial class Trainer
{
    /// <summary>The metadata key holding the trainer state's JSON in a checkpoint.</summary>
    public const string StateMetadataKey = TrainerState.MetadataKey;

    /// <summary>
    /// Writes model, optimizer and trainer state (epoch, steps, monitor, schedule, generator states, history) to
    /// <paramref name="path"/>, atomically. <see cref="LoadCheckpoint"/> on a trainer built the same way resumes
    /// from it exactly.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Checkpoint.Save(path, Model, Optimizer, Metadata());
    }

    Dictionary<string, string> Metadata() => new()
    {
        ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
        [TrainerState.MetadataKey] = CaptureState().ToJson(),
    };

    TrainerState CaptureState() => new()
    {
        Epoch = Epoch,
        Steps = Steps,
        StoppedEarly = StoppedEarly,
        MonitorMetric = _monitorMetric ?? "",
        MonitorMode = _monitorMode,
        Best = _best,
        BestEpoch = _bestEpoch,
        Wait = _wait,
        LoaderSeed = _loader?.Seed ?? 0,
        LoaderShuffle = _loader?.Shuffle ?? false,
        LoaderBatches = _loader?.Batches ?? 0,
        LoaderBatchSize = _loader?.BatchSize ?? 0,
        LoaderSamples = _loader?.Samples ?? 0,
        LoaderNextEpoch = Epoch,
        Scheduler = Options.Scheduler?.StateDict(),
        PlateauScheduler = Options.PlateauScheduler?.StateDict(),
        Generators = Options.Generators.Select(g => g.GetState()).ToList(),
        History = History.Clone(),
    };

    /// <summary>The checkpoints due after <paramref name="epoch"/>; returns the files written.</summary>
    List<string> SaveEpochCheckpoints(int epoch, bool isBest)
    {
        var saved = new List<string>();
        if (Options.Checkpoints is not { } c) return saved;
        Directory.CreateDirectory(c.Directory);
        var targets = new List<string>();
        if (c.SaveLast) targets.Add(CheckpointOptions.LastFile);
        if (isBest && (c.SaveBest || Options.EarlyStopping is { RestoreBestWeights: true })) targets.Add(CheckpointOptions.BestFile);
        if (c.EveryEpochs > 0 && epoch % c.EveryEpochs == 0) targets.Add(CheckpointOptions.EpochFile(epoch));

        // Serialise once; the other targets are atomic copies of the first file.
        foreach (var name in targets)
        {
            string path = Path.GetFullPath(Path.Combine(c.Directory, name));
            if (saved.Count == 0) SaveCheckpoint(path);
            else
            {
                string source = saved[0];
                AtomicFile.Write(path, dst =>
                {
                    using var src = File.OpenRead(source);
                    src.CopyTo(dst);
                });
            }
            saved.Add(path);
        }
        if (c.WriteHistory)
        {
            string json = Path.GetFullPath(Path.Combine(c.Directory, "history.json"));
            string csv = Path.GetFullPath(Path.Combine(c.Directory, "history.csv"));
            History.SaveJson(json);
            History.SaveCsv(csv);
            saved.Add(json);
            saved.Add(csv);
        }
        return saved;
    }

    /// <summary>
    /// Restores model, optimizer, schedules, generator states, progress, monitor and history from a checkpoint
    /// written by this trainer (any of last/best/epoch-N). The trainer must be built like the one that saved it:
    /// the same architecture, optimizer, schedule types, number of generators, top-k and monitor. Everything is
    /// checked before anything changes; a mismatch or a corrupt file leaves the trainer as it was. With early
    /// stopping that restores best weights, the best epoch's weights are read from <c>best.safetensors</c> in
    /// the same folder.
    /// </summary>
    public void LoadCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string source = $"'{path}'";
        Safetensors.Load(path, out var meta);
        var state = ReadState(meta, source);
        CheckCompatible(state, source);
        var bestWeights = Options.EarlyStopping is { RestoreBestWeights: true } && state.BestEpoch is { } bestEpoch
            ? LoadBestWeights(path, bestEpoch)
            : null;

        Checkpoint.Load(path, Model, Optimizer);
        if (state.Scheduler is not null) Options.Scheduler!.LoadStateDict(state.Scheduler);
        if (state.PlateauScheduler is not null) Options.PlateauScheduler!.LoadStateDict(state.PlateauScheduler);
        for (int i = 0; i < state.Generators.Count; i++) Options.Generators[i].SetState(state.Generators[i]);

        Epoch = state.Epoch;
        Steps = state.Steps;
        StoppedEarly = state.StoppedEarly;
        History = state.History;
        _monitorMetric = state.MonitorMetric.Length == 0 ? null : state.MonitorMetric;
        _monitorMode = state.MonitorMode;
        _best = state.Best;
        _bestEpoch = state.BestEpoch;
        _wait = state.Wait;
        _bestWeights = bestWeights;
        _loader = state.LoaderBatches == 0 ? null
            : new LoaderIdentity(state.LoaderSamples, state.LoaderBatchSize, state.LoaderBatches, state.LoaderShuffle, state.LoaderSeed);
    }

    static TrainerState ReadState(IReadOnlyDictionary<string, string> meta, string source) =>
        meta.TryGetValue(TrainerState.MetadataKey, out var json)
            ? TrainerState.FromJson(json, source)
            : throw new InvalidDataException($"trainer: {source} holds no trainer state (it was not written by a Trainer); " +
                "load the model and optimizer alone with Checkpoint.Load.");

    void CheckCompatible(TrainerState state, string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidOperationException($"trainer: cannot resume from {source}: {what}. Build the trainer as the run that saved it was built.");
        }
        Require((state.Scheduler is null) == (Options.Scheduler is null),
            state.Scheduler is null ? "it was saved without a schedule, but this trainer has one" : $"it was saved with a {state.Scheduler.Scheduler} schedule, but this trainer has none");
        if (state.Scheduler is not null)
            Require(state.Scheduler.Scheduler == Options.Scheduler!.Name, $"it was saved with a {state.Scheduler.Scheduler} schedule, this trainer has {Options.Scheduler.Name}");
        Require((state.PlateauScheduler is null) == (Options.PlateauScheduler is null),
            $"it was saved {(state.PlateauScheduler is null ? "without" : "with")} a ReduceLROnPlateau schedule, this trainer {(Options.PlateauScheduler is null ? "has none" : "has one")}");
        Require(state.Generators.Count == Options.Generators.Count,
            $"it holds the state of {state.Generators.Count} generator(s), this trainer checkpoints {Options.Generators.Count}");
        Require(state.History.TopK == Options.TopK,
            $"it measured top-{state.History.TopK?.ToString(CultureInfo.InvariantCulture) ?? "k (off)"} accuracy, this trainer top-{Options.TopK?.ToString(CultureInfo.InvariantCulture) ?? "k (off)"}");
        if (Options.Monitor is { } m && state.MonitorMetric.Length > 0)
            Require(m.Metric == state.MonitorMetric && m.Mode == state.MonitorMode,
                $"its best epoch was decided by '{state.MonitorMetric}' ({state.MonitorMode}), this trainer monitors '{m.Metric}' ({m.Mode})");
    }

    /// <summary>The model weights of the best epoch, from best.safetensors beside <paramref name="path"/>.</summary>
    OrderedDictionary<string, Tensor> LoadBestWeights(string path, int bestEpoch)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string bestPath = Path.Combine(folder, CheckpointOptions.BestFile);
        if (!File.Exists(bestPath))
            throw new FileNotFoundException($"trainer: early stopping restores the best weights (epoch {bestEpoch}), but '{bestPath}' beside '{path}' is missing.", bestPath);
        var tensors = Safetensors.Load(bestPath, out var meta);
        var bestState = ReadState(meta, $"'{bestPath}'");
        if (bestState.Epoch != bestEpoch)
            throw new InvalidDataException($"trainer: '{path}' names epoch {bestEpoch} as the best, but '{bestPath}' holds epoch {bestState.Epoch}; the files belong to different runs.");
        var weights = new OrderedDictionary<string, Tensor>();
        foreach (var (key, tensor) in tensors)
            if (!key.StartsWith(Checkpoint.OptimizerPrefix, StringComparison.Ordinal)) weights.Add(key, tensor);
        return weights;
    }
}
