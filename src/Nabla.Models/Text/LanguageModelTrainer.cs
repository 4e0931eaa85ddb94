using System.Diagnostics;
using Nabla.Autograd;
using Nabla.IO;
using Nabla.Optim;
using Nabla.Text;
using Nabla.Training;

namespace Nabla.Models.Text;

/// <summary>
/// Trains a recurrent language model by truncated backpropagation through time, as the notes' train_ch8 (8.5):
/// each epoch cuts the training stream into batches of <see cref="LanguageModelTrainerOptions.NumSteps"/> steps
/// (<see cref="SequenceBatches"/>); with random sampling every batch starts from the zero state, with sequential
/// sampling the final state of batch i, detached from its graph, starts batch i + 1. Each step: forward,
/// mean next-token cross-entropy, backward, clipping of the global gradient norm, optimizer step.
/// <code>
/// var trainer = new LanguageModelTrainer(model, new Adam(model.Parameters(), 2e-3), new() { Sampling = SequenceSampling.Sequential });
/// var history = trainer.Fit(trainIds, epochs: 20, validation: validIds);   // perplexities per epoch
/// double test = trainer.Perplexity(testIds);
/// </code>
/// </summary>
/// <remarks>
/// It lives beside the models rather than in Nabla.Training because it drives <see cref="ILanguageModel"/>'s
/// (ids, state) → (logits, state) call, which the core library's DataLoader-based Trainer has no notion of.
/// Seeding: the model's initialisation and dropout come from the generator the model was built with, the data
/// order from <see cref="LanguageModelTrainerOptions.Generator"/>; with both seeded and the thread count fixed,
/// a run is repeatable number for number.
/// </remarks>
public sealed class LanguageModelTrainer
{
    readonly List<LanguageModelEpoch> _history = [];

    public LanguageModelTrainer(ILanguageModel model, Optimizer optimizer, LanguageModelTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new LanguageModelTrainerOptions();
        options.Validate();
        if (options.Scheduler is { } s && !ReferenceEquals(s.Optimizer, optimizer))
            throw new ArgumentException($"language-model trainer: the {s.Name} schedule drives another optimizer than the trainer's {optimizer.Name}.", nameof(options));
        Model = model;
        Optimizer = optimizer;
        Options = options;
    }

    public ILanguageModel Model { get; }
    public Optimizer Optimizer { get; }
    public LanguageModelTrainerOptions Options { get; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; private set; }

    public IReadOnlyList<LanguageModelEpoch> History => _history;

    /// <summary>
    /// Trains until <see cref="Epoch"/> reaches <paramref name="epochs"/>; after each epoch measures the perplexity of
    /// <paramref name="validation"/> (when given), steps the schedule and calls the callbacks.
    /// </summary>
    public IReadOnlyList<LanguageModelEpoch> Fit(int[] train, int epochs, int[]? validation = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"language-model trainer: epochs must be at least 1, got {epochs}.");
        CheckIds(train, "training");
        if (validation is not null) CheckIds(validation, "validation");
        int batches = SequenceBatches.Count(train.Length, Options.BatchSize, Options.NumSteps);   // also checks the length
        long tokensPerEpoch = (long)batches * Options.BatchSize * Options.NumSteps;
        foreach (var cb in Options.Callbacks) cb.OnTrainStart(Epoch + 1, epochs, batches, tokensPerEpoch);

        while (Epoch < epochs)
        {
            int epoch = Epoch + 1;
            double lr = Optimizer.ParamGroups[0].Lr;
            var clock = Stopwatch.StartNew();
            double lossSum = TrainEpoch(train, epoch, epochs, batches, clock);
            double trainSeconds = clock.Elapsed.TotalSeconds;
            double? val = validation is null ? null : Perplexity(validation);
            var record = new LanguageModelEpoch(epoch, Math.Exp(lossSum / batches), val, lr, clock.Elapsed.TotalSeconds,
                tokensPerEpoch / Math.Max(trainSeconds, 1e-9), tokensPerEpoch);
            Options.Scheduler?.Step();
            _history.Add(record);
            Epoch = epoch;
            foreach (var cb in Options.Callbacks) cb.OnEpochEnd(record, epochs);
        }
        return History;
    }

    /// <summary>One epoch of TBPTT; returns the sum of the batches' mean losses.</summary>
    double TrainEpoch(int[] train, int epoch, int epochs, int batches, Stopwatch clock)
    {
        var module = Model.Module;
        module.Train();
        var parameters = Optimizer.ParamGroups.SelectMany(g => g.Params).ToArray();
        bool sequential = Options.Sampling == SequenceSampling.Sequential;
        var epochBatches = sequential
            ? SequenceBatches.Sequential(train, Options.BatchSize, Options.NumSteps, Options.Generator)
            : SequenceBatches.Random(train, Options.BatchSize, Options.NumSteps, Options.Generator);
        RecurrentState? state = null;
        double lossSum = 0;
        int batch = 0;
        foreach (var (x, y) in epochBatches)
        {
            batch++;
            // Random batches are unrelated to the previous ones: zeros. Sequential ones continue them: the previous
            // final state, cut from its graph so backpropagation stops at the batch boundary (truncated BPTT).
            state = sequential && state is not null ? state.Detach() : Model.InitialState(Options.BatchSize);
            var output = Model.Forward(x, state);
            state = output.State;
            var loss = TokenCrossEntropy(output.Logits, y, Reduction.Mean);
            double value = loss.Item();
            if (!double.IsFinite(value))
                throw new NonFiniteLossException($"language-model trainer: the loss is {value} at epoch {epoch}, batch {batch} of {batches} (training); " +
                    "the step was skipped. Lower the learning rate or clip the gradients (--clip).", "training", epoch, batch, value);
            Optimizer.ZeroGrad();
            loss.Backward();
            if (Options.ClipNorm is { } maxNorm)
            {
                double norm = GradClip.ClipGradNorm(parameters, maxNorm);
                if (!double.IsFinite(norm))
                    throw new NonFiniteLossException($"language-model trainer: the gradient norm is {norm} at epoch {epoch}, batch {batch} of {batches}; " +
                        "clipping cannot rescale it and the step was skipped. Lower the learning rate.", "training", epoch, batch, norm);
            }
            Optimizer.Step();
            lossSum += value;

            var elapsed = clock.Elapsed;
            long tokens = (long)batch * Options.BatchSize * Options.NumSteps;
            var progress = new LanguageModelBatch(epoch, epochs, batch, batches, value, Math.Exp(lossSum / batch),
                tokens / Math.Max(elapsed.TotalSeconds, 1e-9), elapsed, TimeSpan.FromTicks(elapsed.Ticks / batch * (batches - batch)));
            foreach (var cb in Options.Callbacks) cb.OnBatchEnd(progress);
        }
        return lossSum;
    }

    /// <summary>
    /// exp(mean next-token cross-entropy) of the model on <paramref name="ids"/>, in evaluation mode without a graph:
    /// the stream is split into parallel rows read left to right in chunks of NumSteps, the state carried from chunk
    /// to chunk (as PyTorch's word_language_model evaluates). Every token after the first of each row is predicted
    /// once; a remainder of fewer tokens than rows at the end is left out. The model's mode is restored afterwards.
    /// </summary>
    public double Perplexity(int[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        CheckIds(ids, "evaluation");
        int predictable = ids.Length - 1;
        if (predictable < 1)
            throw new ArgumentException($"language-model trainer: perplexity needs at least 2 tokens (one to read, one to predict), got {ids.Length}.", nameof(ids));
        int rows = Math.Min(Options.EvalBatchSize ?? Options.BatchSize, predictable);
        int rowLength = predictable / rows;

        var module = Model.Module;
        bool wasTraining = module.IsTraining;
        module.Eval();
        try
        {
            using var _ = new NoGrad();
            RecurrentState? state = Model.InitialState(rows);
            double total = 0;
            long count = 0;
            for (int start = 0; start < rowLength; start += Options.NumSteps)
            {
                int steps = Math.Min(Options.NumSteps, rowLength - start);
                var x = new long[rows * steps];
                var y = new long[rows * steps];
                for (int r = 0; r < rows; r++)
                    for (int t = 0; t < steps; t++)
                    {
                        int at = r * rowLength + start + t;
                        x[r * steps + t] = ids[at];
                        y[r * steps + t] = ids[at + 1];
                    }
                var output = Model.Forward(Tensor.From(x, rows, steps), state);
                state = output.State;
                total += TokenCrossEntropy(output.Logits, Tensor.From(y, rows, steps), Reduction.Sum).Item();
                count += rows * steps;
            }
            double perplexity = Math.Exp(total / count);
            if (double.IsNaN(perplexity))
                throw new NonFiniteLossException("language-model trainer: the evaluation loss is NaN; the model's parameters hold NaN.", "evaluation", Epoch, 0, perplexity);
            return perplexity;
        }
        finally
        {
            module.Train(wasTraining);
        }
    }

    /// <summary>Writes model and optimizer state (PyTorch names) with <paramref name="metadata"/> to a safetensors file, atomically.</summary>
    public void SaveCheckpoint(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var meta = new Dictionary<string, string> { ["epoch"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (metadata is not null) foreach (var (k, v) in metadata) meta[k] = v;
        Checkpoint.Save(path, Model.Module, Optimizer, meta);
    }

    /// <summary>Cross-entropy of logits [N, T, V] against next tokens [N, T] over all N·T positions.</summary>
    public static Tensor TokenCrossEntropy(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank != 3 || targets.Rank != 2 || logits.Size(0) != targets.Size(0) || logits.Size(1) != targets.Size(1))
            throw new ArgumentException($"language-model loss: expected logits [N, T, V] and targets [N, T], got {logits.Shape.ShapeString()} and {targets.Shape.ShapeString()}.");
        int v = logits.Size(2);
        return Functional.CrossEntropy(logits.Reshape(-1, v), targets.Reshape(-1), reduction: reduction);
    }

    void CheckIds(int[] ids, string what)
    {
        int v = Model.VocabSize;
        for (int i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)v)
                throw new ArgumentException($"language-model trainer: {what} token {i} has id {ids[i]}, outside the model's vocabulary [0, {v}).");
    }
}
