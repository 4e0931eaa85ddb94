namespace Nabla.Training;

/// <summary>
/// Hooks into a <see cref="Trainer"/>'s loop, called on the training thread (keep them quick: a progress bar
/// should redraw at most a few times a second). Every method has an empty default, so implement only what you
/// need. A callback may call <see cref="Trainer.RequestStop"/> to end training after the current epoch.
/// Exceptions thrown by a callback end training and propagate out of <see cref="Trainer.Fit{T}"/>.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Before the first epoch of this <c>Fit</c> call (also when resuming).</summary>
    void OnTrainStart(TrainStartInfo info) { }

    /// <summary>Before an epoch's first batch.</summary>
    void OnEpochStart(EpochStartInfo info) { }

    /// <summary>After each training batch's optimizer step, with the epoch's running figures.</summary>
    void OnBatchEnd(BatchProgress progress) { }

    /// <summary>After validation, the schedule step and the checkpoints of an epoch.</summary>
    void OnEpochEnd(EpochEndInfo info) { }

    /// <summary>When <c>Fit</c> finishes normally (all epochs, early stopping, or a requested stop).</summary>
    void OnTrainEnd(TrainEndInfo info) { }
}

/// <summary>The run about to start: the first epoch it will train (1-based), the last, and batches per epoch.</summary>
public sealed record TrainStartInfo(int FirstEpoch, int Epochs, int Batches, int Samples, bool HasValidation);

public sealed record EpochStartInfo(int Epoch, int Epochs, int Batches, double Lr);

/// <summary>
/// Progress within an epoch: batch <see cref="Batch"/> (1-based) of <see cref="Batches"/>, the epoch's running
/// mean loss and accuracy so far (null for non-class targets), this batch's loss, throughput and the estimated
/// time left in the epoch.
/// </summary>
public readonly record struct BatchProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double BatchLoss,
    double Loss,
    double? Accuracy,
    long Samples,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    TimeSpan Eta);

/// <summary>
/// An epoch's record, whether the monitored metric improved (<see cref="IsBest"/>), and the checkpoint files it
/// wrote (full paths).
/// </summary>
public sealed record EpochEndInfo(EpochRecord Record, int Epochs, bool IsBest, IReadOnlyList<string> SavedFiles);

/// <summary>
/// How a <c>Fit</c> call ended. <see cref="BestEpoch"/>/<see cref="BestValue"/> are those of the monitor
/// (<see cref="Monitor"/>); <see cref="RestoredBestWeights"/> tells whether the model now holds that epoch's weights.
/// </summary>
public sealed record TrainEndInfo(
    TrainingHistory History,
    bool StoppedEarly,
    bool StopRequested,
    string Monitor,
    int? BestEpoch,
    double? BestValue,
    bool RestoredBestWeights);
