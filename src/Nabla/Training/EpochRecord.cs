namespace Nabla.Training;

/// <summary>
/// What one epoch measured. Epochs are numbered from 1. Losses are means over samples (each batch's loss weighted
/// by its size); accuracies are fractions in [0, 1] and are null when the targets are not class indices (a
/// regression loss). Validation values are null without a validation loader; top-k values are null unless
/// <see cref="TrainerOptions.TopK"/> is set. <see cref="Lr"/> is the first parameter group's learning rate during
/// the epoch (before the schedule stepped). <see cref="Seconds"/> covers training and validation;
/// <see cref="SamplesPerSecond"/> the training pass only.
/// </summary>
public sealed record EpochRecord(
    int Epoch,
    double Loss,
    double? Accuracy,
    double? TopKAccuracy,
    double? ValLoss,
    double? ValAccuracy,
    double? ValTopKAccuracy,
    double Lr,
    double Seconds,
    double SamplesPerSecond)
{
    /// <summary>
    /// A metric by its history name: <c>loss</c>, <c>acc</c>, <c>topk_acc</c>, <c>val_loss</c>, <c>val_acc</c>,
    /// <c>val_topk_acc</c>, <c>lr</c>; null when the epoch did not measure it.
    /// </summary>
    public double? Get(string metric) => metric switch
    {
        "loss" => Loss,
        "acc" => Accuracy,
        "topk_acc" => TopKAccuracy,
        "val_loss" => ValLoss,
        "val_acc" => ValAccuracy,
        "val_topk_acc" => ValTopKAccuracy,
        "lr" => Lr,
        _ => throw new ArgumentException($"trainer: unknown metric '{metric}'; the metrics are {string.Join(", ", MetricNames)}."),
    };

    /// <summary>The names <see cref="Get"/> understands (and the monitors may watch).</summary>
    public static IReadOnlyList<string> MetricNames { get; } = ["loss", "acc", "topk_acc", "val_loss", "val_acc", "val_topk_acc", "lr"];
}
