using Nabla.Autograd;

namespace Nabla.NN;

/// <summary>
/// Loss functions (torch.nn.functional's *_loss family). This file holds the elementwise regression losses,
/// the KL divergence, the hinge embedding loss and the checks and reduction they share; the class-index losses
/// are in Functional.Losses.Classification.cs and the binary ones in Functional.Losses.Binary.cs.
/// Every loss is built from autograd ops (or a fused op with a composed twin in the tests), so gradients flow
/// to the input and, where PyTorch allows it, to the target. Class weights, pos_weight and masks are constants.
/// Shapes are stricter than PyTorch's: elementwise losses require target.Shape == input.Shape instead of
/// broadcasting with a warning, because a [N, 1] against [N] broadcast is almost always a bug.
/// </summary>
public static partial class Functional
{
    /// <summary>
    /// Mean squared error (x − y)². With <paramref name="half"/> the notes' squared loss ½(x − y)² is used
    /// instead, whose gradient is exactly x − y.
    /// </summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool half = false)
    {
        const string op = "mse_loss";
        CheckPair(input, target, op);
        var d = input - target;
        var loss = d * d;
        if (half) loss = loss * 0.5;
        return Reduce(loss, reduction, op);
    }

    /// <summary>Mean absolute error |x − y| (gradient sign(x − y), 0 at a tie, as PyTorch).</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        const string op = "l1_loss";
        CheckPair(input, target, op);
        return Reduce((input - target).Abs(), reduction, op);
    }

    /// <summary>
    /// Smooth L1: ½d²/β where |d| &lt; β, else |d| − ½β. β = 0 is exactly the L1 loss (PyTorch's special case,
    /// which also avoids the 0/0 of the quadratic branch).
    /// </summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0)
    {
        const string op = "smooth_l1_loss";
        if (!(beta >= 0)) throw new ArgumentException($"{op}: beta must be non-negative, got {beta}.");
        CheckPair(input, target, op);
        var d = input - target;
        var ad = d.Abs();
        if (beta == 0) return Reduce(ad, reduction, op);
        var loss = Tensor.Where(ad < beta, d * d * (0.5 / beta), ad - 0.5 * beta);
        return Reduce(loss, reduction, op);
    }

    /// <summary>Huber loss: ½d² where |d| &lt; δ, else δ(|d| − ½δ) (= δ · SmoothL1 with β = δ).</summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1.0)
    {
        const string op = "huber_loss";
        if (!(delta > 0)) throw new ArgumentException($"{op}: delta must be positive, got {delta}.");
        CheckPair(input, target, op);
        var d = input - target;
        var ad = d.Abs();
        var loss = Tensor.Where(ad < delta, d * d * 0.5, (ad - 0.5 * delta) * delta);
        return Reduce(loss, reduction, op);
    }

    /// <summary>
    /// Kullback–Leibler divergence with the input given as log-probabilities: target · (log target − input), or
    /// exp(target) · (target − input) when <paramref name="logTarget"/>. A zero target contributes 0 (xlogy).
    /// <see cref="Reduction.BatchMean"/> divides the sum by the batch size, which is the true KL divergence per
    /// sample; <see cref="Reduction.Mean"/> averages over every element, as PyTorch does.
    /// </summary>
    public static Tensor KlDiv(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool logTarget = false)
    {
        const string op = "kl_div";
        CheckPair(input, target, op);
        Tensor loss;
        if (logTarget) loss = target.Exp() * (target - input);
        else
        {
            // xlogy(t, t): a zero target gives 0 and a zero gradient; a negative or NaN target still gives NaN.
            var safe = Tensor.Where(target.Eq(0.0), 1.0, target);
            loss = target * safe.Log() - target * input;
        }
        if (reduction == Reduction.BatchMean)
            return input.Rank == 0 ? loss.Sum() : loss.Sum() / (double)input.Size(0);
        return Reduce(loss, reduction, op);
    }

    /// <summary>
    /// Hinge embedding loss: x where y = 1, max(0, margin − x) where y = −1. Written like PyTorch, so a target that
    /// is neither gets both terms. The target (float or int64) only selects; it receives no gradient.
    /// </summary>
    public static Tensor HingeEmbeddingLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double margin = 1.0)
    {
        const string op = "hinge_embedding_loss";
        CheckFloating(input, op);
        if (!ShapesEqual(input, target))
            throw new ArgumentException($"{op}: target of shape {target.ShapeText} does not match input of shape {input.ShapeText}.");
        if (target.DType == DType.Bool)
            throw new ArgumentException($"{op}: the target must hold 1 and -1 as a float or int64 tensor, got bool of shape {target.ShapeText}.");
        var y = target.Detach();
        var notPositive = y.DType.IsFloating() ? y.Ne(1.0) : y.Ne(1L);
        var notNegative = y.DType.IsFloating() ? y.Ne(-1.0) : y.Ne(-1L);
        var marginTerm = Tensor.Where(notPositive, (margin - input).Clamp(min: 0.0), 0.0);
        var selfTerm = Tensor.Where(notNegative, input, 0.0);
        return Reduce(marginTerm + selfTerm, reduction, op);
    }

    // ---- shared checks and reduction ----

    /// <summary>Applies a reduction; BatchMean belongs to kl_div only.</summary>
    static Tensor Reduce(Tensor loss, Reduction reduction, string op) => reduction switch
    {
        Reduction.None => loss,
        Reduction.Mean => loss.Mean(),
        Reduction.Sum => loss.Sum(),
        _ => throw new ArgumentException($"{op}: reduction '{reduction.TorchName()}' is not supported; use none, mean or sum ('batchmean' is for kl_div)."),
    };

    static void CheckReduction(Reduction reduction, string op)
    {
        if (reduction is not (Reduction.None or Reduction.Mean or Reduction.Sum))
            throw new ArgumentException($"{op}: reduction '{reduction.TorchName()}' is not supported; use none, mean or sum ('batchmean' is for kl_div).");
    }

    static void CheckFloating(Tensor input, string op)
    {
        if (!input.DType.IsFloating())
            throw new ArgumentException($"{op}: expected a floating-point input, got {input.DType.TorchName()} of shape {input.ShapeText}.");
    }

    /// <summary>An elementwise loss: floating input, target of the same shape and dtype.</summary>
    static void CheckPair(Tensor input, Tensor target, string op)
    {
        CheckFloating(input, op);
        if (!ShapesEqual(input, target))
            throw new ArgumentException($"{op}: target of shape {target.ShapeText} does not match input of shape {input.ShapeText}; reshape one of them (broadcasting is not done for losses).");
        if (target.DType != input.DType)
            throw new ArgumentException($"{op}: target is {target.DType.TorchName()} but input is {input.DType.TorchName()} (shapes {target.ShapeText} and {input.ShapeText}); convert one of them.");
    }

    static bool ShapesEqual(Tensor a, Tensor b) => a._shape.AsSpan().SequenceEqual(b._shape);

    /// <summary>A class-weight (or pos_weight) tensor: constant, of the input's dtype and the given shape.</summary>
    static Tensor? CheckWeight(Tensor? weight, Tensor input, int[] expected, string what, string op)
    {
        if (weight is null) return null;
        if (weight.DType != input.DType)
            throw new ArgumentException($"{op}: {what} is {weight.DType.TorchName()} of shape {weight.ShapeText} but input is {input.DType.TorchName()} of shape {input.ShapeText}; convert it.");
        if (!weight._shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{op}: {what} of shape {weight.ShapeText} does not fit input of shape {input.ShapeText}; expected shape {Backends.Cpu.Layout.Format(expected)}.");
        // Weights are constants as in PyTorch, which refuses a weight that requires grad; detaching is the gentler form.
        return weight.Detach();
    }
}
