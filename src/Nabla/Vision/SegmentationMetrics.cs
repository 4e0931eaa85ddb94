namespace Nabla.Vision;

/// <summary>
/// How well a segmentation labels pixels: the confusion matrix of true (rows) against predicted (columns) classes,
/// the share of pixels labelled right, and the mean over classes of intersection over union (IoU = right pixels of a
/// class over the pixels either side gives it; a class that appears on neither side is left out of the mean).
/// </summary>
public sealed class SegmentationMetrics
{
    readonly long[] _confusion;

    public SegmentationMetrics(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        Classes = classes;
        _confusion = new long[classes * classes];
    }

    public int Classes { get; }

    /// <summary>Pixels counted so far.</summary>
    public long Pixels { get; private set; }

    /// <summary>Counts a batch of predicted and true class maps (int64, the same shape, e.g. [N, H, W]).</summary>
    public void Add(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.DType != DType.Int64 || target.DType != DType.Int64)
            throw new ArgumentException($"segmentation metrics: prediction and target must be int64 class maps, got {prediction.DType} and {target.DType}.");
        if (!prediction.Shape.SequenceEqual(target.Shape))
            throw new ArgumentException($"segmentation metrics: prediction [{string.Join(", ", prediction.Shape)}] and target [{string.Join(", ", target.Shape)}] must have the same shape.");
        var p = prediction.Contiguous().ToArray<long>();
        var t = target.Contiguous().ToArray<long>();
        // Checked before counting, so a bad batch leaves the counts as they were.
        for (int i = 0; i < p.Length; i++)
            if ((ulong)p[i] >= (ulong)Classes || (ulong)t[i] >= (ulong)Classes)
                throw new ArgumentException($"segmentation metrics: class {((ulong)p[i] >= (ulong)Classes ? p[i] : t[i])} is outside 0..{Classes - 1}.");
        for (int i = 0; i < p.Length; i++) _confusion[t[i] * Classes + p[i]]++;
        Pixels += p.Length;
    }

    /// <summary>[classes, classes] int64: row = true class, column = predicted class.</summary>
    public Tensor Confusion => Tensor.From((long[])_confusion.Clone(), Classes, Classes);

    /// <summary>The share of pixels whose predicted class is the true one (NaN before any pixel).</summary>
    public double PixelAccuracy => Pixels == 0 ? double.NaN : Enumerable.Range(0, Classes).Sum(c => _confusion[c * Classes + c]) / (double)Pixels;

    /// <summary>The mean IoU over the classes that appear in the predictions or the targets (NaN before any pixel).</summary>
    public double MeanIou
    {
        get
        {
            double sum = 0;
            int present = 0;
            for (int c = 0; c < Classes; c++)
            {
                long right = _confusion[c * Classes + c], predicted = 0, actual = 0;
                for (int k = 0; k < Classes; k++)
                {
                    predicted += _confusion[k * Classes + c];
                    actual += _confusion[c * Classes + k];
                }
                long union = predicted + actual - right;
                if (union == 0) continue;
                sum += right / (double)union;
                present++;
            }
            return present == 0 ? double.NaN : sum / present;
        }
    }
}
