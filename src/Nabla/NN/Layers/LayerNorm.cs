namespace Nabla.NN;

/// <summary>
/// Layer normalisation over the trailing dims <c>normalizedShape</c> (each sample on its own; same in train and
/// eval), with an elementwise affine weight (ones) and bias (zeros) of that shape, as PyTorch's LayerNorm.
/// </summary>
public sealed class LayerNorm : Module
{
    readonly int[] _normalizedShape;

    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
        : this([normalizedShape], eps, elementwiseAffine, dtype) { }

    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(s => s < 1))
            throw new ArgumentException($"LayerNorm: normalized_shape must be a non-empty list of positive sizes, got [{string.Join(", ", normalizedShape)}].");
        if (!dtype.IsFloating())
            throw new ArgumentException($"LayerNorm: dtype must be floating, got {dtype.TorchName()}.");
        _normalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        ElementwiseAffine = elementwiseAffine;
        RegisterParameter("weight", elementwiseAffine ? Tensor.Ones(_normalizedShape, dtype) : null);
        RegisterParameter("bias", elementwiseAffine ? Tensor.Zeros(_normalizedShape, dtype) : null);
    }

    public int[] NormalizedShape => (int[])_normalizedShape.Clone();
    public double Eps { get; }
    public bool ElementwiseAffine { get; }
    public Tensor? Weight => Param("weight");
    public Tensor? Bias => Param("bias");

    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, _normalizedShape, Weight, Bias, Eps, "LayerNorm");

    /// <summary>PyTorch prints the shape as a Python tuple: (4,) or (3, 4).</summary>
    public override string ExtraRepr()
    {
        var tuple = _normalizedShape.Length == 1 ? $"({_normalizedShape[0]},)" : $"({string.Join(", ", _normalizedShape)})";
        return $"{tuple}, eps={PyNumberText.Float(Eps)}, elementwise_affine={PyNumberText.Bool(ElementwiseAffine)}";
    }
}
