namespace Nabla.NN;

/// <summary>
/// y = x·Wᵀ + b applied to the last dim of inputs of any rank ≥ 1 (PyTorch's nn.Linear). Parameters, in order:
/// <c>weight</c> [out_features, in_features] and <c>bias</c> [out_features] (absent when <c>bias: false</c>).
/// Default initialisation as PyTorch: W ~ kaiming_uniform(a = √5), i.e. U(−1/√in, 1/√in), and b ~ U(−1/√in, 1/√in).
/// </summary>
public sealed class Linear : Module
{
    public int InFeatures { get; }
    public int OutFeatures { get; }

    public Linear(int inFeatures, int outFeatures, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (inFeatures < 0 || outFeatures < 0)
            throw new ArgumentException($"Linear: in_features and out_features must be non-negative, got {inFeatures} and {outFeatures}.");
        if (!dtype.IsFloating())
            throw new ArgumentException($"Linear: parameters must be float32 or float64, got {dtype.TorchName()}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var w = RegisterParameter("weight", Tensor.Zeros([outFeatures, inFeatures], dtype));
        var b = RegisterParameter("bias", bias ? Tensor.Zeros([outFeatures], dtype) : null);
        ResetParameters(w, b, generator);
    }

    /// <summary>The weight as the module reads it (through the registry, so tying and weight norm apply).</summary>
    public Tensor Weight => Param("weight")!;

    /// <summary>The bias, or null for a layer built with <c>bias: false</c>.</summary>
    public Tensor? Bias => Param("bias");

    /// <summary>Re-draws the parameters with PyTorch's default initialisation.</summary>
    public void ResetParameters(Generator? generator = null) => ResetParameters(Weight, Bias, generator);

    static void ResetParameters(Tensor weight, Tensor? bias, Generator? generator)
    {
        // Zero-element tensors are left alone (PyTorch's initialisers are no-ops on them); the bias bound is 0 then.
        int fanIn = weight.Size(1);
        if (weight.NumElements > 0) Init.KaimingUniform(weight, a: Math.Sqrt(5), generator: generator);
        if (bias is not null)
        {
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform(bias, -bound, bound, generator);
        }
    }

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Size(-1) != InFeatures)
            throw new ArgumentException($"Linear: expected input with last dimension {InFeatures} (in_features), got shape {input.ShapeText}.");
        return Functional.Linear(input, Weight, Bias, "Linear");
    }

    public override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is null ? "False" : "True")}";
}
