namespace Nabla.NN;

/// <summary>
/// The constructor arguments shared by the encoder and decoder layers, kept so that a layer can build an identical
/// twin (<c>DeepCopy</c>), which the stacks need to clone a layer the way PyTorch's _get_clones deep-copies it.
/// </summary>
internal sealed record TransformerLayerOptions(string Owner, int DModel, int NHead, int DimFeedforward, double Dropout,
    string Activation, double LayerNormEps, bool BatchFirst, bool NormFirst, DType DType, Generator? Generator)
{
    public TransformerLayerOptions Validated()
    {
        if (Activation is not ("relu" or "gelu"))
            throw new ArgumentException($"{Owner}: activation must be 'relu' or 'gelu', got '{Activation}'.");
        return this;
    }
}
