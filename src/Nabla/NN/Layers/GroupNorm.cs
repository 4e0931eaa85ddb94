namespace Nabla.NN;

/// <summary>
/// Group normalisation (Wu and He 2018): the channels of an [N, C, *] input are split into <c>numGroups</c> groups of
/// consecutive channels, each (sample, group) standardised on its own, then a per-channel affine map (weight ones,
/// bias zeros). Independent of the batch size and of train/eval mode.
/// </summary>
public sealed class GroupNorm : Module
{
    public GroupNorm(int numGroups, int numChannels, double eps = 1e-5, bool affine = true, DType dtype = DType.Float32)
    {
        if (numGroups < 1 || numChannels < 1 || numChannels % numGroups != 0)
            throw new ArgumentException($"GroupNorm: num_channels ({numChannels}) must be divisible by num_groups ({numGroups}), both positive.");
        if (!dtype.IsFloating())
            throw new ArgumentException($"GroupNorm: dtype must be floating, got {dtype.TorchName()}.");
        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        IsAffine = affine;
        RegisterParameter("weight", affine ? Tensor.Ones([numChannels], dtype) : null);
        RegisterParameter("bias", affine ? Tensor.Zeros([numChannels], dtype) : null);
    }

    public int NumGroups { get; }
    public int NumChannels { get; }
    public double Eps { get; }
    public bool IsAffine { get; }
    public Tensor? Weight => Param("weight");
    public Tensor? Bias => Param("bias");

    public override Tensor Forward(Tensor input)
    {
        if (input.Rank < 2 || input.Size(1) != NumChannels)
            throw new ArgumentException($"GroupNorm: expected input of shape [N, {NumChannels}, *], got shape {input.ShapeText}.");
        return Functional.GroupNorm(input, NumGroups, Weight, Bias, Eps, "GroupNorm");
    }

    public override string ExtraRepr() => $"{NumGroups}, {NumChannels}, eps={PyNumberText.Float(Eps)}, affine={PyNumberText.Bool(IsAffine)}";
}
