using Nabla.Backends.Cpu;
using Nabla.Ops;

namespace Nabla.NN;

/// <summary>Stateless neural-network math (PyTorch's torch.nn.functional); modules call these. One file per family.</summary>
public static partial class Functional
{
    /// <summary>
    /// y = x·Wᵀ + b on the last dim of <paramref name="input"/> [..., in_features] with <paramref name="weight"/>
    /// [out_features, in_features] and an optional <paramref name="bias"/> [out_features]; the result is [..., out_features].
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Linear(input, weight, bias, "linear");

    /// <summary><see cref="Linear(Tensor,Tensor,Tensor?)"/> with errors worded for <paramref name="op"/> (the Linear module names itself).</summary>
    internal static Tensor Linear(Tensor input, Tensor weight, Tensor? bias, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
            throw new ArgumentException($"{op}: weight must be 2-D [out_features, in_features], got shape {weight.ShapeText}.");
        int outF = weight._shape[0], inF = weight._shape[1];
        if (input.Rank == 0)
            throw new ArgumentException($"{op}: expected input with at least 1 dimension and last dimension {inF} (in_features), got shape {input.ShapeText}.");
        if (input._shape[^1] != inF)
            throw new ArgumentException($"{op}: expected input with last dimension {inF} (in_features), got shape {input.ShapeText} for weight of shape {weight.ShapeText}.");
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != outF))
            throw new ArgumentException($"{op}: bias of shape {bias.ShapeText} does not match weight of shape {weight.ShapeText}; expected [{outF}].");
        RequireFloating(op, input, weight, bias);
        return LinearOp.Forward(input, weight, bias);
    }

    /// <summary>
    /// y_k = x1ᵀ·A_k·x2 + b_k for every output feature k, with <paramref name="weight"/> A of shape [out, in1, in2] and
    /// inputs [..., in1] and [..., in2] sharing their leading dims; the result is [..., out].
    /// </summary>
    public static Tensor Bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias = null) =>
        Bilinear(input1, input2, weight, bias, "bilinear");

    internal static Tensor Bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias, string op)
    {
        ArgumentNullException.ThrowIfNull(input1);
        ArgumentNullException.ThrowIfNull(input2);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 3)
            throw new ArgumentException($"{op}: weight must be 3-D [out_features, in1_features, in2_features], got shape {weight.ShapeText}.");
        int outF = weight._shape[0], in1 = weight._shape[1], in2 = weight._shape[2];
        if (input1.Rank == 0 || input1._shape[^1] != in1 || input2.Rank == 0 || input2._shape[^1] != in2)
            throw new ArgumentException($"{op}: expected inputs with last dimensions {in1} and {in2} (in1_features, in2_features), got shapes {input1.ShapeText} and {input2.ShapeText} for weight of shape {weight.ShapeText}.");
        if (!input1._shape.AsSpan(0, input1.Rank - 1).SequenceEqual(input2._shape.AsSpan(0, input2.Rank - 1)))
            throw new ArgumentException($"{op}: the inputs must agree in every dimension but the last, got shapes {input1.ShapeText} and {input2.ShapeText}.");
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != outF))
            throw new ArgumentException($"{op}: bias of shape {bias.ShapeText} does not match weight of shape {weight.ShapeText}; expected [{outF}].");
        RequireFloating(op, input1, weight, bias);
        RequireFloating(op, input2, weight, null);

        // Σ_ij x1_i A_kij x2_j = Σ_i x1_i (A·x2)_ki: one GEMM of x2 [N, in2] with A seen as [out·in1, in2]
        // (Aᵀ is a transposed view, read by GEMM without a copy), then a row-wise dot with x1.
        int[] lead = input1._shape[..^1];
        int n = Layout.NumElements(lead);
        var ax2 = input2.Reshape(n, in2).MatMul(weight.Reshape(outF * in1, in2).T()).Reshape(n, outF, in1);
        var y = (ax2 * input1.Reshape(n, 1, in1)).Sum(-1);
        if (bias is not null) y = y + bias;
        return y.Reshape([.. lead, outF]);
    }

    /// <summary>Dense layers compute in float32 or float64, and every operand must share the input's dtype.</summary>
    static void RequireFloating(string op, Tensor input, Tensor weight, Tensor? bias)
    {
        if (!input.DType.IsFloating())
            throw new ArgumentException($"{op}: expected a floating-point input, got {input.DType.TorchName()} of shape {input.ShapeText}; convert it with Float().");
        if (weight.DType != input.DType || (bias is not null && bias.DType != input.DType))
            throw new ArgumentException($"{op}: input ({input.DType.TorchName()}, shape {input.ShapeText}), weight ({weight.DType.TorchName()}, shape {weight.ShapeText})"
                + (bias is null ? "" : $" and bias ({bias.DType.TorchName()}, shape {bias.ShapeText})") + " must share one dtype.");
    }
}
