using System.Numerics;

namespace Nabla.Training;

/// <summary>
/// Counts correct top-1 and top-k predictions for class-index targets, with cross-entropy's layout: logits
/// <c>[N, C, d1, ...]</c> (class scores along dim 1) and int64 targets <c>[N, d1, ...]</c>. Negative targets
/// (cross-entropy's ignore_index, −100 by default) are not counted.
/// </summary>
/// <remarks>
/// A target's rank is the number of classes scored above it plus the classes of lower index scored equal to it,
/// so top-1 agrees with <see cref="Tensor.ArgMax(int, bool)"/> (first maximum wins) and a prediction is in the
/// top k when its rank is below k. A NaN score for the target class counts as wrong.
/// </remarks>
internal struct ClassificationCounter
{
    public long Count;
    public long Correct;
    public long CorrectTopK;

    public readonly double? Accuracy => Count == 0 ? null : (double)Correct / Count;
    public readonly double? TopKAccuracy => Count == 0 ? null : (double)CorrectTopK / Count;

    /// <summary>Whether accuracy means anything for this pair: floating logits with a class dim and int64 targets.</summary>
    public static bool Applies(Tensor logits, Tensor target) =>
        target.DType == DType.Int64 && logits.Rank >= 2 && logits.DType.IsFloating();

    /// <summary>Checks the shapes; throws an ArgumentException naming both when the targets do not fit the logits.</summary>
    public static void CheckShapes(Tensor logits, Tensor target, string who)
    {
        var expected = new int[logits.Rank - 1];
        expected[0] = logits.Size(0);
        for (int i = 2; i < logits.Rank; i++) expected[i - 1] = logits.Size(i);
        if (!expected.AsSpan().SequenceEqual(target.Shape))
            throw new ArgumentException($"{who}: logits of shape {logits.ShapeText} (classes along dim 1) need class-index targets of shape {Backends.Cpu.Layout.Format(expected)}, got {target.ShapeText}.");
    }

    public void Add(Tensor logits, Tensor target, int topK, string who)
    {
        CheckShapes(logits, target, who);
        var scores = logits.Detach().Contiguous();
        var labels = target.Detach().Contiguous().Span<long>();
        int classes = logits.Size(1);
        int rest = logits.NumElements == 0 ? 1 : logits.NumElements / logits.Size(0) / classes;
        if (logits.DType == DType.Float32) Tally<float>(scores.Span<float>(), labels, classes, rest, topK, who);
        else Tally<double>(scores.Span<double>(), labels, classes, rest, topK, who);
    }

    void Tally<T>(ReadOnlySpan<T> scores, ReadOnlySpan<long> labels, int classes, int rest, int topK, string who)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < labels.Length; i++)
        {
            long t = labels[i];
            if (t < 0) continue;
            if (t >= classes)
                throw new ArgumentException($"{who}: target {t} at position {i} is not a class index for logits with {classes} classes.");
            int n = i / rest, r = i % rest;
            int baseIndex = n * classes * rest + r;
            int rank = Rank(scores, baseIndex, rest, classes, (int)t);
            Count++;
            if (rank < 1) Correct++;
            if (rank < topK) CorrectTopK++;
        }
    }

    static int Rank<T>(ReadOnlySpan<T> scores, int baseIndex, int stride, int classes, int target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = scores[baseIndex + target * stride];
        if (T.IsNaN(s)) return classes;
        int rank = 0;
        for (int c = 0; c < classes; c++)
        {
            T v = scores[baseIndex + c * stride];
            if (v > s || (c < target && v == s) || T.IsNaN(v)) rank++;
        }
        return rank;
    }

    /// <summary>The arg-max class of each row of <c>[N, C]</c> logits (first maximum wins, NaN wins as in torch.argmax).</summary>
    public static long[] Predict(Tensor logits)
    {
        var scores = logits.Detach().Contiguous();
        return logits.DType == DType.Float32 ? Predict<float>(scores.Span<float>(), logits.Size(0), logits.Size(1))
            : Predict<double>(scores.Span<double>(), logits.Size(0), logits.Size(1));
    }

    static long[] Predict<T>(ReadOnlySpan<T> scores, int rows, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new long[rows];
        for (int n = 0; n < rows; n++)
        {
            var row = scores.Slice(n * classes, classes);
            int best = 0;
            for (int c = 1; c < classes && !T.IsNaN(row[best]); c++)
                if (row[c] > row[best] || T.IsNaN(row[c])) best = c;
            result[n] = best;
        }
        return result;
    }
}
