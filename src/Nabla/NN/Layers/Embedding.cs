namespace Nabla.NN;

/// <summary>
/// A lookup table of <see cref="NumEmbeddings"/> vectors of size <see cref="EmbeddingDim"/> (PyTorch's nn.Embedding):
/// an int64 input of any shape gives [...input, embedding_dim]. The parameter <c>weight</c> starts as N(0, 1); the
/// row <see cref="PaddingIdx"/>, if any, starts at zero and never receives a gradient, so it stays a neutral pad.
/// </summary>
public sealed class Embedding : Module
{
    public int NumEmbeddings { get; }
    public int EmbeddingDim { get; }

    /// <summary>The padding row as a non-negative index (a negative constructor argument counts from the end), or null.</summary>
    public int? PaddingIdx { get; }

    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, DType dtype = DType.Float32, Generator? generator = null)
        : this(numEmbeddings, embeddingDim, paddingIdx, dtype, (Tensor?)null)
    {
        ResetParameters(generator);
    }

    Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx, DType dtype, Tensor? weight)
    {
        if (numEmbeddings < 0 || embeddingDim < 0)
            throw new ArgumentException($"Embedding: num_embeddings and embedding_dim must be non-negative, got {numEmbeddings} and {embeddingDim}.");
        if (!dtype.IsFloating())
            throw new ArgumentException($"Embedding: the weight must be float32 or float64, got {dtype.TorchName()}.");
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        int padding = Functional.NormalizePaddingIdx(paddingIdx, numEmbeddings, "Embedding");
        PaddingIdx = padding < 0 ? null : padding;
        RegisterParameter("weight", weight ?? Tensor.Zeros([numEmbeddings, embeddingDim], dtype));
    }

    /// <summary>
    /// An embedding whose table is <paramref name="embeddings"/> [num_embeddings, embedding_dim] (shared, not copied,
    /// as PyTorch's from_pretrained); <paramref name="freeze"/> keeps it out of training. The padding row is kept as given.
    /// </summary>
    public static Embedding FromPretrained(Tensor embeddings, bool freeze = true, int? paddingIdx = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Rank != 2)
            throw new ArgumentException($"Embedding.FromPretrained: embeddings must be 2-D [num_embeddings, embedding_dim], got shape {embeddings.ShapeText}.");
        if (!embeddings.DType.IsFloating())
            throw new ArgumentException($"Embedding.FromPretrained: embeddings must be float32 or float64, got {embeddings.DType.TorchName()} of shape {embeddings.ShapeText}.");
        var weight = Parameter.Create(embeddings, requiresGrad: !freeze);
        var module = new Embedding(embeddings.Size(0), embeddings.Size(1), paddingIdx, embeddings.DType, weight);
        module.Weight.RequiresGrad = !freeze;
        return module;
    }

    public Tensor Weight => Param("weight")!;

    /// <summary>Re-draws the table from N(0, 1) and zeroes the padding row.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        Init.Normal(Weight, 0, 1, generator);
        if (PaddingIdx is { } p)
        {
            using var _ = new Autograd.NoGrad();
            Weight.Narrow(0, p, 1).FillInPlace(0);
        }
    }

    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx, "Embedding");

    public override string ExtraRepr() => $"{NumEmbeddings}, {EmbeddingDim}" + (PaddingIdx is { } p ? $", padding_idx={p}" : "");
}
