using Nabla.Autograd;
using Nabla.Data;
using Nabla.NN;

namespace Nabla.Training;

/// <summary>
/// Classification evaluation: accuracy, the confusion matrix and the misclassified examples of a model over a
/// loader, or of given logits and targets. Predictions are the arg-max class (first maximum on ties, as
/// torch.argmax). Matrices follow scikit-learn and torchmetrics: row = true class, column = predicted class.
/// </summary>
public static class Evaluation
{
    /// <summary>
    /// Runs <paramref name="model"/> over one pass of <paramref name="loader"/> (its epoch-0 order) in evaluation
    /// mode without a graph and reports how it classifies. The model must output logits <c>[B, C]</c>; targets
    /// are class indices in [0, C). Misclassified examples are named by their index in the loader's dataset.
    /// The model's training flag is restored afterwards.
    /// </summary>
    public static ClassificationReport Classify<T>(Module model, DataLoader<T, Batch> loader, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loader);
        if (loader.Count == 0)
            throw new ArgumentException($"evaluate: the loader has no batches (a dataset of {loader.Dataset.Count} items, batch size {loader.BatchSize}).");
        var order = loader.Order(0);
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = new NoGrad();
            var tally = new Tally(numClasses);
            int position = 0;
            foreach (var batch in loader.ForEpoch(0))
            {
                var logits = model.Forward(batch.Input);
                tally.Add(logits, batch.Target, order, position);
                position += batch.Size;
            }
            return tally.Report();
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>The report for logits <c>[N, C]</c> against class-index targets <c>[N]</c>; indices are positions 0..N−1.</summary>
    public static ClassificationReport Classify(Tensor logits, Tensor targets, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        var tally = new Tally(numClasses);
        tally.Add(logits, targets, null, 0);
        return tally.Report();
    }

    /// <summary>
    /// The int64 <c>[C, C]</c> confusion matrix of predicted against true class indices (int64 <c>[N]</c> each):
    /// entry [t, p] counts the examples of class t predicted as p.
    /// </summary>
    public static Tensor ConfusionMatrix(Tensor predicted, Tensor actual, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), $"confusion_matrix: needs at least 1 class, got {numClasses}.");
        if (predicted.DType != DType.Int64 || actual.DType != DType.Int64 || predicted.Rank != 1 || !predicted.Shape.AsSpan().SequenceEqual(actual.Shape))
            throw new ArgumentException($"confusion_matrix: expects int64 predictions and targets of the same shape [N], got {predicted.DType.TorchName()} {predicted.ShapeText} and {actual.DType.TorchName()} {actual.ShapeText}.");
        var p = predicted.Contiguous().Span<long>();
        var t = actual.Contiguous().Span<long>();
        var counts = new long[numClasses * numClasses];
        for (int i = 0; i < p.Length; i++)
        {
            CheckClass(p[i], numClasses, i, "prediction");
            CheckClass(t[i], numClasses, i, "target");
            counts[t[i] * numClasses + p[i]]++;
        }
        return Tensor.From(counts, numClasses, numClasses);
    }

    static void CheckClass(long c, int classes, int i, string what)
    {
        if (c < 0 || c >= classes)
            throw new ArgumentException($"confusion_matrix: {what} {c} at position {i} is not a class index in [0, {classes}).");
    }

    /// <summary>Accumulates predictions batch by batch.</summary>
    sealed class Tally(int? numClasses)
    {
        int _classes = numClasses ?? -1;
        long[] _counts = [];
        readonly List<Misclassification> _wrong = new();
        long _samples, _correct;

        public void Add(Tensor logits, Tensor targets, int[]? order, int position)
        {
            if (logits.Rank != 2 || !logits.DType.IsFloating())
                throw new ArgumentException($"evaluate: expects floating logits of shape [N, C], got {logits.DType.TorchName()} {logits.ShapeText}.");
            if (targets.DType != DType.Int64)
                throw new ArgumentException($"evaluate: expects int64 class-index targets, got {targets.DType.TorchName()} {targets.ShapeText}.");
            ClassificationCounter.CheckShapes(logits, targets, "evaluate");
            int classes = logits.Size(1);
            if (_classes < 0) _classes = classes;
            if (classes != _classes)
                throw new ArgumentException($"evaluate: logits of shape {logits.ShapeText} have {classes} classes, expected {_classes}.");
            if (_counts.Length == 0) _counts = new long[_classes * _classes];
            var predicted = ClassificationCounter.Predict(logits);
            var actual = targets.Contiguous().Span<long>();
            for (int i = 0; i < predicted.Length; i++)
            {
                long t = actual[i], p = predicted[i];
                CheckClass(t, _classes, position + i, "target");
                _counts[t * _classes + p]++;
                _samples++;
                if (t == p) _correct++;
                else _wrong.Add(new Misclassification(order is null ? position + i : order[position + i], p, t));
            }
        }

        public ClassificationReport Report()
        {
            if (_classes < 1) throw new ArgumentException("evaluate: there were no classes to count.");
            if (_counts.Length == 0) _counts = new long[_classes * _classes];
            return new ClassificationReport(_classes, _samples, _samples == 0 ? 0 : (double)_correct / _samples,
                Tensor.From(_counts, _classes, _classes), _wrong);
        }
    }
}

/// <summary>One wrongly classified example: its dataset index, the predicted class and the true one.</summary>
public readonly record struct Misclassification(int Index, long Predicted, long Actual);

/// <summary>
/// How a model classifies a dataset: accuracy, the int64 <c>[C, C]</c> confusion matrix (row = true class,
/// column = predicted) and every misclassified example in reading order.
/// </summary>
public sealed record ClassificationReport(
    int NumClasses,
    long Samples,
    double Accuracy,
    Tensor ConfusionMatrix,
    IReadOnlyList<Misclassification> Misclassified)
{
    /// <summary>Per class, the fraction of its examples classified correctly (recall); NaN for a class with no examples.</summary>
    public double[] PerClassAccuracy()
    {
        var m = ConfusionMatrix.Span<long>();
        var result = new double[NumClasses];
        for (int t = 0; t < NumClasses; t++)
        {
            long total = 0;
            for (int p = 0; p < NumClasses; p++) total += m[t * NumClasses + p];
            result[t] = total == 0 ? double.NaN : (double)m[t * NumClasses + t] / total;
        }
        return result;
    }
}
