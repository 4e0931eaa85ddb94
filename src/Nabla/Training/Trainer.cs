using System.Diagnostics;
using Nabla.Autograd;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Training;

/// <summary>
/// The training loop, once: epochs of mini-batches from a <see cref="DataLoader{T, TBatch}"/>, forward in training
/// mode, a loss, backward, optional gradient clipping, the optimizer step; then validation in evaluation mode
/// without a graph, the schedule step, the monitor (best epoch, early stopping), checkpoints and callbacks.
/// <code>
/// var trainer = new Trainer(model, new Adam(model.Parameters(), lr: 1e-3), Functional.CrossEntropy,
///     new TrainerOptions { EarlyStopping = new EarlyStopping(patience: 3), Checkpoints = new("runs/a") });
/// TrainingHistory history = trainer.Fit(trainLoader, validationLoader, epochs: 20);
/// // later, in a new process with the same model, optimizer and options:
/// trainer.LoadCheckpoint("runs/a/last.safetensors");
/// trainer.Fit(trainLoader, validationLoader, epochs: 30);   // continues with epoch 21, bit for bit
/// </code>
/// Epochs are counted from 1 and <c>epochs</c> is the total to reach (PyTorch Lightning's max_epochs), so a
/// resumed run is given the same number as the original one. Epoch k of the run reads the loader's epoch k − 1
/// (<see cref="DataLoader{T, TBatch}.ForEpoch"/>), so the data order depends only on the loader's seed and the
/// epoch, and a resumed run sees the batches the uninterrupted one would have. Layout and policies:
/// docs/TRAINING.md.
/// </summary>
public sealed partial class Trainer
{
    readonly Func<Tensor, Tensor, Tensor> _loss;
    bool _stopRequested;

    // The monitor's progress (persisted in checkpoints).
    string? _monitorMetric;
    MonitorMode _monitorMode;
    double? _best;
    int? _bestEpoch;
    int _wait;
    OrderedDictionary<string, Tensor>? _bestWeights;

    // The identity of the training loader this run started with (persisted, checked on resume).
    LoaderIdentity? _loader;

    /// <param name="loss">loss(modelOutput, target) → a 0-d tensor, e.g. <c>Functional.CrossEntropy</c> or an MSE.</param>
    public Trainer(Module model, Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        options ??= new TrainerOptions();
        options.Validate();
        if (options.Scheduler is { } s && !ReferenceEquals(s.Optimizer, optimizer))
            throw new ArgumentException($"trainer: the {s.Name} schedule drives another optimizer than the trainer's {optimizer.Name}.", nameof(options));
        if (options.PlateauScheduler is { } p && !ReferenceEquals(p.Optimizer, optimizer))
            throw new ArgumentException($"trainer: the ReduceLROnPlateau schedule drives another optimizer than the trainer's {optimizer.Name}.", nameof(options));
        Model = model;
        Optimizer = optimizer;
        _loss = loss;
        Options = options;
        History = new TrainingHistory(options.TopK);
    }

    public Module Model { get; }
    public Optimizer Optimizer { get; }
    public TrainerOptions Options { get; }

    /// <summary>Epochs completed so far (also after a resume).</summary>
    public int Epoch { get; private set; }

    /// <summary>Optimizer steps taken so far.</summary>
    public long Steps { get; private set; }

    public TrainingHistory History { get; private set; }

    /// <summary>Whether early stopping ended the run; a later <c>Fit</c> then returns at once.</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>The best epoch by the monitor so far, and its value.</summary>
    public int? BestEpoch => _bestEpoch;
    public double? BestValue => _best;

    /// <summary>Ends training after the current epoch (its validation and checkpoints still happen).</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>
    /// Trains until <see cref="Epoch"/> reaches <paramref name="epochs"/> (or early stopping or
    /// <see cref="RequestStop"/> ends it) and returns the history of every epoch so far.
    /// </summary>
    public TrainingHistory Fit<T>(DataLoader<T, Batch> train, DataLoader<T, Batch>? validation = null, int epochs = 1)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epochs <= 0)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"trainer: epochs must be at least 1, got {epochs}.");
        CheckNotEmpty(train, "training");
        if (validation is not null) CheckNotEmpty(validation, "validation");
        var monitor = ResolveMonitor(validation is not null);
        var identity = LoaderIdentity.Of(train);
        if (_loader is { } known && known != identity)
            throw new InvalidOperationException($"trainer: this run was trained with a loader of {known} but is now given one of {identity}; " +
                "the data order would differ from the original run. Pass the same dataset, batch size, shuffle and seed.");
        _loader = identity;
        _stopRequested = false;
        if (StoppedEarly || Epoch >= epochs) return History;

        int batches = train.Count;
        Each(cb => cb.OnTrainStart(new TrainStartInfo(Epoch + 1, epochs, batches, train.Dataset.Count, validation is not null)));
        while (Epoch < epochs && !StoppedEarly && !_stopRequested)
            RunEpoch(train, validation, monitor, epochs);

        bool restored = false;
        if (StoppedEarly && Options.EarlyStopping is { RestoreBestWeights: true } && _bestWeights is not null)
        {
            Model.LoadStateDict(_bestWeights);
            restored = true;
        }
        Each(cb => cb.OnTrainEnd(new TrainEndInfo(History, StoppedEarly, _stopRequested, monitor.Metric, _bestEpoch, _best, restored)));
        return History;
    }

    void RunEpoch<T>(DataLoader<T, Batch> train, DataLoader<T, Batch>? validation, MetricMonitor monitor, int epochs)
    {
        int epoch = Epoch + 1;
        int batches = train.Count;
        double lr = Optimizer.ParamGroups[0].Lr;
        Each(cb => cb.OnEpochStart(new EpochStartInfo(epoch, epochs, batches, lr)));

        var clock = Stopwatch.StartNew();
        Model.Train();
        var parameters = Optimizer.ParamGroups.SelectMany(g => g.Params).ToArray();
        double lossSum = 0;
        long samples = 0;
        var counter = new ClassificationCounter();
        bool classification = false;
        int batch = 0;
        foreach (var data in train.ForEpoch(epoch - 1))
        {
            batch++;
            Optimizer.ZeroGrad();
            var output = Model.Forward(data.Input);
            var loss = CheckedLoss(output, data.Target, "training", epoch, batch, batches, out double value);
            loss.Backward();
            if (Options.ClipGradNorm is { } maxNorm)
            {
                double norm = GradClip.ClipGradNorm(parameters, maxNorm);
                if (!double.IsFinite(norm))
                    throw new NonFiniteLossException($"trainer: the gradient norm is {norm} at epoch {epoch}, batch {batch} of {batches} (training), " +
                        "so clipping cannot rescale it; this batch's step was skipped. Lower the learning rate or check the inputs.", "training", epoch, batch, norm);
            }
            Optimizer.Step();
            Steps++;

            int n = data.Size;
            lossSum += value * n;
            samples += n;
            if (batch == 1) classification = ClassificationCounter.Applies(output, data.Target);
            if (classification) counter.Add(output, data.Target, Options.TopK ?? 0, "trainer");

            var elapsed = clock.Elapsed;
            var eta = TimeSpan.FromTicks(elapsed.Ticks / batch * (batches - batch));
            var progress = new BatchProgress(epoch, epochs, batch, batches, value, lossSum / samples,
                classification ? counter.Accuracy : null, samples, samples / Math.Max(elapsed.TotalSeconds, 1e-9), elapsed, eta);
            Each(cb => cb.OnBatchEnd(progress));
        }
        double trainSeconds = clock.Elapsed.TotalSeconds;

        EvaluationMetrics? val = validation is null ? null : EvaluateCore(validation, "validation", epoch);
        bool hasTopK = Options.TopK is not null;
        var record = new EpochRecord(epoch, lossSum / samples,
            classification ? counter.Accuracy : null, classification && hasTopK ? counter.TopKAccuracy : null,
            val?.Loss, val?.Accuracy, hasTopK ? val?.TopKAccuracy : null,
            lr, clock.Elapsed.TotalSeconds, samples / Math.Max(trainSeconds, 1e-9));

        double monitored = record.Get(monitor.Metric)
            ?? throw new InvalidOperationException($"trainer: the monitor watches '{monitor.Metric}', but epoch {epoch} did not measure it " +
                "(accuracies need class-index int64 targets and logits with classes along dim 1). Choose another TrainerOptions.Monitor.");
        Options.Scheduler?.Step();
        Options.PlateauScheduler?.Step(monitored);

        History.Add(record);
        Epoch = epoch;
        train.Epoch = epoch;
        bool isBest = monitor.IsImprovement(monitored, _best);
        if (isBest)
        {
            _best = monitored;
            _bestEpoch = epoch;
            _wait = 0;
            if (Options.EarlyStopping is { RestoreBestWeights: true }) _bestWeights = Snapshot(Model);
        }
        else _wait++;
        if (Options.EarlyStopping is { } stopping && _wait >= stopping.Patience) StoppedEarly = true;

        var saved = SaveEpochCheckpoints(epoch, isBest);
        Each(cb => cb.OnEpochEnd(new EpochEndInfo(record, epochs, isBest, saved)));
    }

    /// <summary>
    /// Loss, accuracy (and top-k accuracy when <see cref="TrainerOptions.TopK"/> is set) of the model over one pass
    /// of <paramref name="loader"/>, in evaluation mode and without recording a graph; the model's training flag
    /// is restored afterwards.
    /// </summary>
    public EvaluationMetrics Evaluate<T>(DataLoader<T, Batch> loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        CheckNotEmpty(loader, "evaluation");
        return EvaluateCore(loader, "evaluation", 0);
    }

    EvaluationMetrics EvaluateCore<T>(DataLoader<T, Batch> loader, string phase, int epoch)
    {
        bool wasTraining = Model.IsTraining;
        Model.Eval();
        try
        {
            using var _ = new NoGrad();
            double lossSum = 0;
            long samples = 0;
            var counter = new ClassificationCounter();
            bool classification = false;
            int batch = 0, batches = loader.Count;
            // Always the loader's epoch 0: a validation pass reads the same order every time.
            foreach (var data in loader.ForEpoch(0))
            {
                batch++;
                var output = Model.Forward(data.Input);
                CheckedLoss(output, data.Target, phase, epoch, batch, batches, out double value);
                lossSum += value * data.Size;
                samples += data.Size;
                if (batch == 1) classification = ClassificationCounter.Applies(output, data.Target);
                if (classification) counter.Add(output, data.Target, Options.TopK ?? 0, phase);
            }
            return new EvaluationMetrics(lossSum / samples, classification ? counter.Accuracy : null,
                classification && Options.TopK is not null ? counter.TopKAccuracy : null, samples);
        }
        finally
        {
            Model.Train(wasTraining);
        }
    }

    /// <summary>Calls the loss and enforces the contract: a floating 0-d tensor with a finite value (the NaN policy).</summary>
    Tensor CheckedLoss(Tensor output, Tensor target, string phase, int epoch, int batch, int batches, out double value)
    {
        string where = epoch > 0 ? $"at epoch {epoch}, batch {batch} of {batches} ({phase})" : $"at batch {batch} of {batches} ({phase})";
        var loss = _loss(output, target)
            ?? throw new InvalidOperationException($"trainer: the loss function returned null {where}.");
        if (loss.Rank != 0)
            throw new InvalidOperationException($"trainer: the loss function must return a scalar (a 0-d tensor), got shape {loss.ShapeText} {where}; " +
                "reduce it, e.g. with Mean().");
        if (!loss.DType.IsFloating())
            throw new InvalidOperationException($"trainer: the loss function returned a {loss.DType.TorchName()} tensor {where}; it must be float32 or float64.");
        if (phase == "training" && !loss.RequiresGrad)
            throw new InvalidOperationException($"trainer: the loss {where} does not require grad, so backward cannot reach any parameter; " +
                "check that the parameters require grad and that the model does not run under NoGrad.");
        value = loss.Item();
        if (!double.IsFinite(value))
        {
            string skipped = phase == "training" ? " The step was skipped (the parameters hold the values after the previous batch)." : "";
            throw new NonFiniteLossException($"trainer: the loss is {value} {where}.{skipped} " +
                "Lower the learning rate, clip gradients (TrainerOptions.ClipGradNorm) or check the data for NaN/∞.", phase, epoch, batch, value);
        }
        return loss;
    }

    MetricMonitor ResolveMonitor(bool hasValidation)
    {
        var monitor = Options.Monitor ?? new MetricMonitor(hasValidation ? "val_loss" : "loss");
        if (monitor.Metric.StartsWith("val_", StringComparison.Ordinal) && !hasValidation)
            throw new ArgumentException($"trainer: the monitor watches '{monitor.Metric}' but no validation loader was given.");
        if (monitor.Metric.Contains("topk") && Options.TopK is null)
            throw new ArgumentException($"trainer: the monitor watches '{monitor.Metric}' but TrainerOptions.TopK is not set.");
        if (_monitorMetric is not null && (_monitorMetric != monitor.Metric || _monitorMode != monitor.Mode))
            throw new InvalidOperationException($"trainer: this run's best epoch was decided by '{_monitorMetric}' ({_monitorMode}), " +
                $"but the monitor is now '{monitor.Metric}' ({monitor.Mode}); keep the monitor when resuming.");
        _monitorMetric = monitor.Metric;
        _monitorMode = monitor.Mode;
        return monitor;
    }

    static void CheckNotEmpty<T>(DataLoader<T, Batch> loader, string which)
    {
        if (loader.Count == 0)
            throw new ArgumentException($"trainer: the {which} loader has no batches (a dataset of {loader.Dataset.Count} items, " +
                $"batch size {loader.BatchSize}{(loader.DropLast ? ", drop last" : "")}).");
    }

    static OrderedDictionary<string, Tensor> Snapshot(Module model)
    {
        var copy = new OrderedDictionary<string, Tensor>();
        using var _ = new NoGrad();
        foreach (var (key, tensor) in model.StateDict()) copy.Add(key, tensor.Clone());
        return copy;
    }

    void Each(Action<ITrainingCallback> call)
    {
        foreach (var cb in Options.Callbacks) call(cb);
    }

    /// <summary>What identifies the training data stream: a resumed run must read the same one.</summary>
    sealed record LoaderIdentity(int Samples, int BatchSize, int Batches, bool Shuffle, int Seed)
    {
        public static LoaderIdentity Of<T>(DataLoader<T, Batch> loader) =>
            new(loader.Dataset.Count, loader.BatchSize, loader.Count, loader.Shuffle, loader.Seed);

        public override string ToString() =>
            $"{Samples} samples in {Batches} batches of {BatchSize}, shuffle {(Shuffle ? $"on (seed {Seed})" : "off")}";
    }
}

/// <summary>A pass over a loader: mean loss over samples, accuracies (null for non-class targets), sample count.</summary>
public sealed record EvaluationMetrics(double Loss, double? Accuracy, double? TopKAccuracy, long Samples);
