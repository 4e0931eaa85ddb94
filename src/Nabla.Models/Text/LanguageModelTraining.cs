using Nabla.Optim.Schedules;

namespace Nabla.Models.Text;

/// <summary>
/// The notes' two ways (8.3, 8.5) to cut a token stream for truncated backpropagation through time, and what each
/// means for the hidden state.
/// </summary>
public enum SequenceSampling
{
    /// <summary>Random subsequences per batch (SequenceBatches.Random); the state restarts from zeros every batch.</summary>
    Random,
    /// <summary>Adjacent subsequences (SequenceBatches.Sequential); the state is carried to the next batch, detached from its graph.</summary>
    Sequential,
}

/// <summary>How <see cref="LanguageModelTrainer"/> trains: batching, clipping, schedule, seed of the data order, callbacks.</summary>
public sealed class LanguageModelTrainerOptions
{
    /// <summary>Sequences per batch (the notes' batch_size, 32).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Time steps per sequence, the truncation length of BPTT (the notes' num_steps, 35).</summary>
    public int NumSteps { get; init; } = 35;

    public SequenceSampling Sampling { get; init; } = SequenceSampling.Random;

    /// <summary>Rescale the gradients to this global L2 norm when larger (the notes' grad_clipping θ = 1); null: no clipping.</summary>
    public double? ClipNorm { get; init; } = 1.0;

    /// <summary>Sequences per batch when measuring perplexity on a validation or test stream (default: <see cref="BatchSize"/>).</summary>
    public int? EvalBatchSize { get; init; }

    /// <summary>Drives the random offsets and the shuffling of the batches; the same seed gives the same batches.</summary>
    public Generator Generator { get; init; } = new(0);

    /// <summary>A learning-rate schedule stepped after every epoch, or null.</summary>
    public LRScheduler? Scheduler { get; init; }

    public List<ILanguageModelCallback> Callbacks { get; } = [];

    internal void Validate()
    {
        if (BatchSize < 1 || NumSteps < 1 || EvalBatchSize is < 1)
            throw new ArgumentException($"language-model trainer: batch size, steps and eval batch size must be at least 1, got batch_size={BatchSize}, num_steps={NumSteps}, eval_batch_size={EvalBatchSize}.");
        if (ClipNorm is { } c && !(c > 0 && double.IsFinite(c)))
            throw new ArgumentException($"language-model trainer: the clipping norm must be a finite number greater than 0 (or null for none), got {c}.");
        ArgumentNullException.ThrowIfNull(Generator);
    }
}

/// <summary>
/// One epoch of a language model: perplexities are exp(mean next-token cross-entropy); the training one is measured
/// in training mode over the epoch's batches as they were trained (the notes' number), validation and test ones
/// after the epoch in evaluation mode. <see cref="TokensPerSecond"/> counts the training pass only.
/// </summary>
public sealed record LanguageModelEpoch(int Epoch, double TrainPerplexity, double? ValPerplexity, double Lr, double Seconds,
    double TokensPerSecond, long Tokens)
{
    public double TrainLoss => Math.Log(TrainPerplexity);
}

/// <summary>Progress after one training batch.</summary>
public sealed record LanguageModelBatch(int Epoch, int Epochs, int Batch, int Batches, double Loss, double RunningPerplexity,
    double TokensPerSecond, TimeSpan Elapsed, TimeSpan Eta);

/// <summary>Hooks into <see cref="LanguageModelTrainer.Fit"/>; every method is optional.</summary>
public interface ILanguageModelCallback
{
    void OnTrainStart(int firstEpoch, int epochs, int batches, long tokens) { }
    void OnBatchEnd(LanguageModelBatch progress) { }
    void OnEpochEnd(LanguageModelEpoch record, int epochs) { }
}
