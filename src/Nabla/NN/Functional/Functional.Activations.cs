using Nabla.Ops;

namespace Nabla.NN;

/// <summary>
/// Stateless neural-network math, PyTorch's torch.nn.functional: one partial file per family. Modules call these.
/// </summary>
public static partial class Functional
{
    /// <summary>SELU's constants (Klambauer et al. 2017), the values PyTorch uses.</summary>
    public const double SeluAlpha = 1.6732632423543772848170429916717;
    public const double SeluScale = 1.0507009873554804934193349852946;

    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();
    public static Tensor Tanh(Tensor input) => input.Tanh();
    public static Tensor Relu(Tensor input) => input.Relu();

    /// <summary>x for x &gt; 0, else negativeSlope · x.</summary>
    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01) => LeakyReluOp.Forward(input, negativeSlope);

    /// <summary>
    /// Parametric ReLU: x for x &gt; 0, else w · x, with <paramref name="weight"/> holding one slope (shared) or one per
    /// channel, channels being dim 1 of the input (a 0-D or 1-D input has one channel), as in PyTorch.
    /// </summary>
    public static Tensor Prelu(Tensor input, Tensor weight)
    {
        ActivationArgs.RequireFloating(input, "prelu");
        if (weight.Rank > 1)
            throw new ArgumentException($"prelu: weight must be 0-D or 1-D, got shape {weight.ShapeText} (input of shape {input.ShapeText}).");
        int slopes = weight.NumElements;
        Tensor slope;
        if (slopes == 1) slope = weight.Reshape();
        else
        {
            // Channels are dim 1; a 0-D or 1-D input has none (one channel), as in PyTorch.
            int channels = input.Rank >= 2 ? input.Size(1) : 1;
            if (slopes != channels)
                throw new ArgumentException($"prelu: weight of shape {weight.ShapeText} has {slopes} slopes but the input of shape {input.ShapeText} has {channels} channel(s) (dim 1); use 1 slope or one per channel.");
            // [C] → [C, 1, …, 1] so that it broadcasts along dim 1.
            var shape = Enumerable.Repeat(1, input.Rank - 1).ToArray();
            shape[0] = channels;
            slope = weight.Reshape(shape);
        }
        // At x = 0 the w·x branch is taken, so the input gradient there is w and the weight gradient 0, as PyTorch.
        return Tensor.Where(input > 0.0, input, input * slope);
    }

    /// <summary>x for x &gt; 0, else alpha · (eˣ − 1).</summary>
    public static Tensor Elu(Tensor input, double alpha = 1.0) => EluOp.Forward(input, alpha, 1.0, 1.0);

    /// <summary>Scaled ELU with the fixed self-normalising constants <see cref="SeluScale"/> · ELU(x, <see cref="SeluAlpha"/>).</summary>
    public static Tensor Selu(Tensor input) => EluOp.Forward(input, SeluAlpha, SeluScale, 1.0);

    /// <summary>
    /// GELU: x · Φ(x) with the exact normal CDF (through erf) for <paramref name="approximate"/> "none", or the tanh
    /// approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))) for "tanh".
    /// </summary>
    public static Tensor Gelu(Tensor input, string approximate = "none") => approximate switch
    {
        "none" => GeluOp.Forward(input, tanh: false),
        "tanh" => GeluOp.Forward(input, tanh: true),
        _ => throw new ArgumentException($"gelu: approximate must be 'none' or 'tanh', got '{approximate}' (input of shape {input.ShapeText})."),
    };

    /// <summary>x · sigmoid(x), also called swish.</summary>
    public static Tensor Silu(Tensor input) => SiluOp.Forward(input);

    /// <summary>log(1 + e^(βx)) / β; returns x where βx &gt; threshold (PyTorch's numerically safe switch).</summary>
    public static Tensor Softplus(Tensor input, double beta = 1, double threshold = 20) => SoftplusOp.Forward(input, beta, threshold);

    /// <summary>Softmax along <paramref name="dim"/>, fused and numerically stable.</summary>
    public static Tensor Softmax(Tensor input, int dim) => input.Softmax(dim);

    /// <summary>Log-softmax along <paramref name="dim"/>, fused and numerically stable.</summary>
    public static Tensor LogSoftmax(Tensor input, int dim) => input.LogSoftmax(dim);

    /// <summary>
    /// The maxout nonlinearity: the maximum over <paramref name="dim"/>, which holds the k linear pieces of each unit
    /// (the gradient goes to the winning piece; on ties to the first, as Max(dim) does).
    /// </summary>
    public static Tensor Maxout(Tensor input, int dim = -1) => input.Max(dim).Values;

    /// <summary>
    /// The maxout nonlinearity on a flat feature dim: features [.., units · pieces] are grouped as [.., units, pieces]
    /// (unit j owns features j·pieces … j·pieces + pieces − 1) and each group is reduced by its maximum.
    /// </summary>
    public static Tensor Maxout(Tensor input, int pieces, int dim)
    {
        int d = Backends.Cpu.Layout.NormalizeDim(dim, input.Rank, "maxout");
        int features = input.Rank == 0 ? 1 : input.Size(d);
        if (pieces < 1 || features % pieces != 0)
            throw new ArgumentException($"maxout: dim {d} of the input of shape {input.ShapeText} has {features} features, which is not a multiple of pieces={pieces}.");
        var shape = input.Shape.ToList();
        shape[d] = features / pieces;
        shape.Insert(d + 1, pieces);
        return input.Reshape([.. shape]).Max(d + 1).Values;
    }

    /// <summary>
    /// Heaviside step, the perceptron's threshold unit in its 0/1 form: 1 for x ≥ 0, else 0 (torch.heaviside(x, 1)).
    /// Not differentiable: a backward pass through it throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public static Tensor Heaviside(Tensor input) => StepOp.Forward(input, signed: false);

    /// <summary>
    /// The perceptron's output in its ±1 form: +1 for x &gt; 0, else −1, for labels y ∈ {−1, +1} and the update
    /// "if y·(w·x + b) ≤ 0 then w += y·x, b += y". Not differentiable (backward throws).
    /// </summary>
    public static Tensor PerceptronSign(Tensor input) => StepOp.Forward(input, signed: true);
}
