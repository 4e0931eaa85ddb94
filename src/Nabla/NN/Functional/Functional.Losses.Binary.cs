using Nabla.Ops;

namespace Nabla.NN;

/// <summary>Binary cross-entropy on probabilities and on logits (with pos_weight and the notes' mask form).</summary>
public static partial class Functional
{
    /// <summary>
    /// Binary cross-entropy of probabilities x ∈ [0, 1] against targets y: −w·(y·log x + (1 − y)·log(1 − x)),
    /// each log clamped at −100 as PyTorch, so a saturated x gives a large finite loss. An input outside [0, 1]
    /// is an error (NaN is let through and propagates). <paramref name="weight"/> broadcasts to the input's shape.
    /// </summary>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
    {
        const string op = "binary_cross_entropy";
        CheckPair(input, target, op);
        CheckReduction(reduction, op);
        weight = CheckBroadcastWeight(weight, input, "weight", op);
        using (new Autograd.NoGrad())
        {
            // Comparisons are false for NaN, so NaN inputs pass this check and show up as NaN losses.
            if (AnyTrue((input < 0.0) | (input > 1.0)))
                throw new ArgumentException($"{op}: all elements of the input (shape {input.ShapeText}) must lie between 0 and 1; pass logits to binary_cross_entropy_with_logits instead.");
        }
        return Reduce(BinaryCrossEntropyOp.Forward(input, target, weight), reduction, op);
    }

    /// <summary>
    /// Binary cross-entropy on logits, in the stable form max(x, 0) − x·y + log(1 + e^−|x|) (PyTorch's
    /// binary_cross_entropy_with_logits). <paramref name="posWeight"/> multiplies the positive term
    /// (shape broadcastable to the input, typically [C]); <paramref name="weight"/> multiplies the whole loss.
    /// <para><b>Mask form</b> (the notes' masked loss): with a bool <paramref name="mask"/> broadcastable to the input,
    /// positions where it is false contribute nothing — 0 in the unreduced output, and neither value nor gradient
    /// otherwise, even if they hold NaN — and <see cref="Reduction.Mean"/> averages over the valid positions only
    /// (Σ loss·mask / Σ mask; NaN when nothing is valid, as the mean of nothing).</para>
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null,
        Tensor? posWeight = null, Reduction reduction = Reduction.Mean, Tensor? mask = null)
    {
        const string op = "binary_cross_entropy_with_logits";
        CheckPair(input, target, op);
        CheckReduction(reduction, op);
        weight = CheckBroadcastWeight(weight, input, "weight", op);
        posWeight = CheckBroadcastWeight(posWeight, input, "pos_weight", op);
        if (mask is not null)
        {
            if (mask.DType != DType.Bool)
                throw new ArgumentException($"{op}: the mask must be a bool tensor, got {mask.DType.TorchName()} of shape {mask.ShapeText}; build it with a comparison (e.g. lengths > positions).");
            if (!BroadcastsTo(mask, input))
                throw new ArgumentException($"{op}: mask of shape {mask.ShapeText} cannot be broadcast to input of shape {input.ShapeText}.");
            mask = mask.Detach();
        }
        var loss = BinaryCrossEntropyWithLogitsOp.Forward(input, target, weight, posWeight, mask);
        if (mask is null || reduction != Reduction.Mean) return Reduce(loss, reduction, op);
        return loss.Sum() / (double)CountTrue(mask.Expand(input._shape));
    }

    /// <summary>A constant weight of the input's dtype whose shape broadcasts to the input's shape.</summary>
    static Tensor? CheckBroadcastWeight(Tensor? weight, Tensor input, string what, string op)
    {
        if (weight is null) return null;
        if (weight.DType != input.DType)
            throw new ArgumentException($"{op}: {what} is {weight.DType.TorchName()} of shape {weight.ShapeText} but input is {input.DType.TorchName()} of shape {input.ShapeText}; convert it.");
        if (!BroadcastsTo(weight, input))
            throw new ArgumentException($"{op}: {what} of shape {weight.ShapeText} cannot be broadcast to input of shape {input.ShapeText}.");
        return weight.Detach();
    }

    static bool BroadcastsTo(Tensor t, Tensor input)
    {
        if (t.Rank > input.Rank) return false;
        for (int i = 1; i <= t.Rank; i++)
        {
            int a = t._shape[^i], b = input._shape[^i];
            if (a != b && a != 1) return false;
        }
        return true;
    }

    static bool AnyTrue(Tensor mask) => CountTrue(mask) > 0;

    static long CountTrue(Tensor mask)
    {
        long count = 0;
        foreach (bool v in mask.Contiguous().ToArray<bool>()) if (v) count++;
        return count;
    }
}
