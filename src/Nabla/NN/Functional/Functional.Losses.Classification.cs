using Nabla.Ops;

namespace Nabla.NN;

/// <summary>
/// Losses over class-index targets: cross-entropy, negative log-likelihood and the multi-class hinge. Layout as
/// PyTorch: input [N, C] or [N, C, d1, ...] (class dim 1) or unbatched [C]; target [N] / [N, d1, ...] / []
/// of int64 labels. A label outside [0, C) that is not ignore_index is an IndexOutOfRangeException naming the loss.
/// </summary>
public static partial class Functional
{
    /// <summary>
    /// Cross-entropy of logits against class indices or class probabilities (PyTorch 1.13 semantics).
    /// <para>Class indices: −w_y·log softmax(x)_y per position, computed by a fused, max-shifted op. Ignored
    /// positions give 0; the mean divides by the summed weights of the non-ignored targets. With label smoothing
    /// ε the loss is (1 − ε)·nll + ε/C·Σ_c −w_c·log p_c, both parts normalised the same way.</para>
    /// <para>Probabilities (a floating target of the input's shape): −Σ_c w_c·t_c·log p_c with
    /// t ← t(1 − ε) + ε/C; the mean divides by the number of positions. ignore_index is refused there.</para>
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100,
        Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0)
    {
        const string op = "cross_entropy";
        CheckClassInput(input, reduction, op);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentException($"{op}: label_smoothing must lie in [0, 1], got {labelSmoothing}.");
        int classDim = input.Rank == 1 ? 0 : 1, classes = input._shape[classDim];
        weight = CheckWeight(weight, input, [classes], "weight", op);

        if (target.DType.IsFloating() && ShapesEqual(input, target))
            return CrossEntropyProbabilities(input, target, weight, ignoreIndex, reduction, labelSmoothing, classDim, op);

        var labels = CheckLabels(input, target, ignoreIndex, allowIgnore: true, op);
        var loss = CrossEntropyOp.Forward(input, labels, target._shape, weight, ignoreIndex, labelSmoothing);
        return ReduceWeighted(loss, labels, weight, ignoreIndex, reduction);
    }

    static Tensor CrossEntropyProbabilities(Tensor input, Tensor target, Tensor? weight, long ignoreIndex,
        Reduction reduction, double smoothing, int classDim, string op)
    {
        if (ignoreIndex >= 0)
            throw new ArgumentException($"{op}: ignore_index ({ignoreIndex}) is not supported for class-probability targets (target of shape {target.ShapeText}).");
        if (target.DType != input.DType)
            throw new ArgumentException($"{op}: probability target is {target.DType.TorchName()} but input is {input.DType.TorchName()} (shape {input.ShapeText}); convert one of them.");
        int classes = input._shape[classDim];
        var logp = LossLogSoftmax(input, classDim);
        var t = smoothing > 0 ? target * (1 - smoothing) + smoothing / classes : target;
        var product = logp * t;
        if (weight is not null) product = product * weight.Reshape(ClassBroadcastShape(input.Rank, classDim, classes));
        var perPosition = -product.Sum(classDim);
        return reduction switch
        {
            Reduction.None => perPosition,
            Reduction.Sum => perPosition.Sum(),
            // PyTorch divides by numel / C, the number of positions (NaN for an empty batch).
            _ => perPosition.Sum() / (double)(classes == 0 ? 0 : input.NumElements / classes),
        };
    }

    /// <summary>
    /// Negative log-likelihood of log-probabilities: −w_y·input[y] per position; options as <see cref="CrossEntropy"/>.
    /// </summary>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean)
    {
        const string op = "nll_loss";
        CheckClassInput(input, reduction, op);
        int classDim = input.Rank == 1 ? 0 : 1, classes = input._shape[classDim];
        weight = CheckWeight(weight, input, [classes], "weight", op);
        var labels = CheckLabels(input, target, ignoreIndex, allowIgnore: true, op);
        var (index, valid, targetWeight) = LabelTensors(labels, target._shape, weight, ignoreIndex, input.DType);
        var picked = input.Gather(classDim, index.Unsqueeze(classDim)).Squeeze(classDim);
        // Where, not a multiply by zero: an ignored position holding NaN or inf must not leak into the loss.
        var loss = Tensor.Where(valid, -picked * targetWeight, 0.0);
        return ReduceWeighted(loss, labels, weight, ignoreIndex, reduction);
    }

    /// <summary>
    /// The multi-class SVM hinge (PyTorch's multi_margin_loss): per sample Σ_{j≠y} max(0, margin − x_y + x_j)^p · w_y / C,
    /// with p = 1 or 2. The mean is a plain mean over samples, as PyTorch.
    /// </summary>
    public static Tensor MultiMarginLoss(Tensor input, Tensor target, int p = 1, double margin = 1.0, Tensor? weight = null,
        Reduction reduction = Reduction.Mean)
    {
        const string op = "multi_margin_loss";
        CheckClassInput(input, reduction, op);
        if (p is not (1 or 2)) throw new ArgumentException($"{op}: only p = 1 and p = 2 are supported, got {p}.");
        if (input.Rank > 2)
            throw new ArgumentException($"{op}: expected input of shape [N, C] or [C], got {input.ShapeText}.");
        int classDim = input.Rank == 1 ? 0 : 1, classes = input._shape[classDim];
        weight = CheckWeight(weight, input, [classes], "weight", op);
        var labels = CheckLabels(input, target, ignoreIndex: 0, allowIgnore: false, op);
        var (index, _, targetWeight) = LabelTensors(labels, target._shape, weight, long.MinValue, input.DType);
        var own = input.Gather(classDim, index.Unsqueeze(classDim));
        var hinge = (input - own + margin).Relu();
        if (p == 2) hinge = hinge * hinge;
        if (weight is not null) hinge = hinge * targetWeight.Unsqueeze(classDim);
        // The j = y term is excluded (it would always be `margin`); masking also stops its gradient.
        hinge = hinge.MaskedFill(Tensor.OneHot(index, classes).Eq(1L), 0.0);
        var perSample = hinge.Sum(classDim) / (double)classes;
        return Reduce(perSample, reduction, op);
    }

    // ---- helpers shared by the class-index losses ----

    static void CheckClassInput(Tensor input, Reduction reduction, string op)
    {
        CheckFloating(input, op);
        CheckReduction(reduction, op);
        if (input.Rank == 0)
            throw new ArgumentException($"{op}: expected input of shape [N, C], [N, C, d1, ...] or [C], got a 0-d tensor.");
        if (input._shape[input.Rank == 1 ? 0 : 1] == 0)
            throw new ArgumentException($"{op}: input of shape {input.ShapeText} has no classes.");
    }

    /// <summary>Checks the target's dtype, shape and labels; returns the labels row-major.</summary>
    static long[] CheckLabels(Tensor input, Tensor target, long ignoreIndex, bool allowIgnore, string op)
    {
        int classDim = input.Rank == 1 ? 0 : 1, classes = input._shape[classDim];
        var expected = input._shape.Where((_, d) => d != classDim).ToArray();
        if (target.DType != DType.Int64)
        {
            string hint = target.DType.IsFloating() && op == "cross_entropy"
                ? $"; class probabilities need the input's shape {input.ShapeText}" : "; convert labels with Long()";
            throw new ArgumentException($"{op}: expected int64 class indices of shape {Backends.Cpu.Layout.Format(expected)}, got {target.DType.TorchName()} of shape {target.ShapeText} (input of shape {input.ShapeText}){hint}.");
        }
        if (!target._shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{op}: target of shape {target.ShapeText} does not match input of shape {input.ShapeText}; expected target shape {Backends.Cpu.Layout.Format(expected)}.");
        var labels = target.Detach().Contiguous().ToArray<long>();
        foreach (long y in labels)
            if ((ulong)y >= (ulong)classes && !(allowIgnore && y == ignoreIndex))
                throw new IndexOutOfRangeException($"{op}: target label {y} is out of range for {classes} classes (input of shape {input.ShapeText}, target of shape {target.ShapeText}); labels must lie in [0, {classes})" +
                    (allowIgnore ? $" or equal ignore_index ({ignoreIndex})." : "."));
        return labels;
    }

    /// <summary>Gather indices (ignored → 0), the validity mask and each position's class weight (0 if ignored).</summary>
    static (Tensor Index, Tensor Valid, Tensor Weight) LabelTensors(long[] labels, int[] shape, Tensor? weight, long ignoreIndex, DType dtype)
    {
        var w = weight?.Double().Contiguous().ToArray<double>();
        var index = new long[labels.Length];
        var valid = new bool[labels.Length];
        var targetWeight = new double[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            valid[i] = labels[i] != ignoreIndex;
            index[i] = valid[i] ? labels[i] : 0;
            targetWeight[i] = !valid[i] ? 0 : w is null ? 1 : w[index[i]];
        }
        // FromArray keeps a 0-d shape 0-d (Tensor.From would read [] as 1-D).
        return (Tensor.FromArray(index, (int[])shape.Clone()), Tensor.FromArray(valid, (int[])shape.Clone()),
            Tensor.FromArray(targetWeight, (int[])shape.Clone()).To(dtype));
    }

    /// <summary>none/sum as usual; mean divides by Σ w_y over non-ignored targets (PyTorch's total_weight).</summary>
    static Tensor ReduceWeighted(Tensor loss, long[] labels, Tensor? weight, long ignoreIndex, Reduction reduction)
    {
        if (reduction != Reduction.Mean) return reduction == Reduction.Sum ? loss.Sum() : loss;
        var w = weight?.Double().Contiguous().ToArray<double>();
        double total = 0;
        foreach (long y in labels)
            if (y != ignoreIndex) total += w is null ? 1 : w[y];
        return loss.Sum() / total;
    }

    /// <summary>log softmax as x − logsumexp(x): stable for any logits, differentiable through primitives.</summary>
    static Tensor LossLogSoftmax(Tensor x, int dim) => x - x.LogSumExp(dim, keepDim: true);

    static int[] ClassBroadcastShape(int rank, int classDim, int classes)
    {
        var shape = Enumerable.Repeat(1, rank).ToArray();
        shape[classDim] = classes;
        return shape;
    }
}
