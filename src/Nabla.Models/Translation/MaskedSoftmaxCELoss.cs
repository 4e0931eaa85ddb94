using Nabla.Models.Text;
namespace Nabla.Models.Translation;

/// <summary>
/// The notes' MaskedSoftmaxCELoss (10.7.3): softmax cross-entropy of logits [N, T, V] against labels [N, T] at every
/// step, multiplied by a mask that is 1 for the first validLengths[i] steps of row i and 0 after them, then averaged
/// over the T steps of each row (padding steps count in the divisor, as in the notes). Returns the loss per sentence
/// [N]; training sums it, and divides by the number of valid tokens to report a per-token loss.
/// </summary>
public static class MaskedSoftmaxCELoss
{
    public static Tensor Forward(Tensor logits, Tensor labels, Tensor validLengths)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(validLengths);
        const string op = "MaskedSoftmaxCELoss";
        if (logits.Rank != 3 || !logits.DType.IsFloating())
            throw new ArgumentException($"{op}: logits must be floating [batch, steps, vocab], got {logits.DType.TorchName()} {logits.Shape.ShapeString()}.");
        int n = logits.Size(0), steps = logits.Size(1), vocab = logits.Size(2);
        if (labels.Rank != 2 || labels.DType != DType.Int64 || labels.Size(0) != n || labels.Size(1) != steps)
            throw new ArgumentException($"{op}: labels must be int64 [{n}, {steps}] for logits {logits.Shape.ShapeString()}, got {labels.DType.TorchName()} {labels.Shape.ShapeString()}.");
        if (validLengths.Rank != 1 || validLengths.DType != DType.Int64 || validLengths.Size(0) != n)
            throw new ArgumentException($"{op}: valid lengths must be int64 [{n}] for logits {logits.Shape.ShapeString()}, got {validLengths.DType.TorchName()} {validLengths.Shape.ShapeString()}.");
        var perToken = Functional.CrossEntropy(logits.Reshape(n * steps, vocab), labels.Reshape(n * steps), reduction: Reduction.None)
            .Reshape(n, steps);
        var mask = Tensor.Arange(steps).Unsqueeze(0).Lt(validLengths.Unsqueeze(1)).To(logits.DType);   // the notes' sequence_mask
        return (perToken * mask).Mean(1);
    }
}
