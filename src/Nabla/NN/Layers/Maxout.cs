namespace Nabla.NN;

/// <summary>
/// A maxout layer (Goodfellow et al. 2013): each of the <c>outFeatures</c> units computes <c>pieces</c> affine
/// functions of the input and outputs their maximum, a learned piecewise-linear convex activation.
/// <para>Parameters are one Linear's worth: weight [outFeatures·pieces, inFeatures] and bias [outFeatures·pieces],
/// rows grouped per unit (unit j owns rows j·pieces … j·pieces + pieces − 1), initialised as PyTorch's Linear
/// (Kaiming-uniform with a = √5, bias U(−1/√in, 1/√in)). PyTorch has no Maxout module.</para>
/// </summary>
public sealed class Maxout : Module
{
    public Maxout(int inFeatures, int outFeatures, int pieces, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (inFeatures < 1 || outFeatures < 1 || pieces < 1)
            throw new ArgumentException($"Maxout: in_features, out_features and pieces must be positive, got {inFeatures}, {outFeatures}, {pieces}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Pieces = pieces;
        var weight = Tensor.Zeros([outFeatures * pieces, inFeatures], dtype);
        Init.KaimingUniform(weight, a: Math.Sqrt(5), generator: generator);
        RegisterParameter("weight", weight);
        Tensor? b = null;
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inFeatures);
            b = Init.Uniform(Tensor.Zeros([outFeatures * pieces], dtype), -bound, bound, generator);
        }
        RegisterParameter("bias", b);
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public int Pieces { get; }
    public Tensor Weight => Param("weight")!;
    public Tensor? Bias => Param("bias");

    public override Tensor Forward(Tensor input)
    {
        if (input.Rank < 1 || input.Size(-1) != InFeatures)
            throw new ArgumentException($"Maxout: expected input with {InFeatures} features in the last dim, got shape [{string.Join(", ", input.Shape)}].");
        var z = input.MatMul(Weight.T());
        if (Bias is { } b) z = z + b;
        return Functional.Maxout(z, Pieces, -1);
    }

    public override string ExtraRepr() =>
        $"in_features={InFeatures}, out_features={OutFeatures}, pieces={Pieces}, bias={PyNumberText.Bool(Bias is not null)}";
}
