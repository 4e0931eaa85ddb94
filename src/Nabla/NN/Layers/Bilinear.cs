namespace Nabla.NN;

/// <summary>
/// y_k = x1ᵀ·A_k·x2 + b_k (PyTorch's nn.Bilinear) for inputs [..., in1] and [..., in2] with equal leading dims.
/// Parameters: <c>weight</c> [out_features, in1_features, in2_features] and <c>bias</c> [out_features], both drawn
/// from U(−1/√in1, 1/√in1) as PyTorch does.
/// </summary>
public sealed class Bilinear : Module
{
    public int In1Features { get; }
    public int In2Features { get; }
    public int OutFeatures { get; }

    public Bilinear(int in1Features, int in2Features, int outFeatures, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (in1Features < 0 || in2Features < 0 || outFeatures < 0)
            throw new ArgumentException($"Bilinear: feature counts must be non-negative, got in1_features={in1Features}, in2_features={in2Features}, out_features={outFeatures}.");
        if (!dtype.IsFloating())
            throw new ArgumentException($"Bilinear: parameters must be float32 or float64, got {dtype.TorchName()}.");
        In1Features = in1Features;
        In2Features = in2Features;
        OutFeatures = outFeatures;
        RegisterParameter("weight", Tensor.Zeros([outFeatures, in1Features, in2Features], dtype));
        RegisterParameter("bias", bias ? Tensor.Zeros([outFeatures], dtype) : null);
        ResetParameters(generator);
    }

    public Tensor Weight => Param("weight")!;

    public Tensor? Bias => Param("bias");

    /// <summary>Re-draws weight and bias from U(−1/√in1, 1/√in1).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double bound = In1Features > 0 ? 1 / Math.Sqrt(In1Features) : 0;
        Init.Uniform(Weight, -bound, bound, generator);
        if (Bias is { } b) Init.Uniform(b, -bound, bound, generator);
    }

    /// <summary>A bilinear form needs two inputs; the single-input form is x1 = x2 = <paramref name="input"/>.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, input);

    public Tensor Forward(Tensor input1, Tensor input2)
    {
        ArgumentNullException.ThrowIfNull(input1);
        ArgumentNullException.ThrowIfNull(input2);
        if (input1.Rank == 0 || input1.Size(-1) != In1Features || input2.Rank == 0 || input2.Size(-1) != In2Features)
            throw new ArgumentException($"Bilinear: expected inputs with last dimensions {In1Features} and {In2Features} (in1_features, in2_features), got shapes {input1.ShapeText} and {input2.ShapeText}.");
        return Functional.Bilinear(input1, input2, Weight, Bias, "Bilinear");
    }

    public override string ExtraRepr() =>
        $"in1_features={In1Features}, in2_features={In2Features}, out_features={OutFeatures}, bias={(Bias is null ? "False" : "True")}";
}
