namespace Nabla.Models.Vision;

/// <summary>
/// The notes' textCNN for sentence classification (15.3): token ids [N, L] → two embeddings concatenated on the
/// feature axis (a trainable one and a "constant" one the notes fill with pretrained GloVe vectors and freeze —
/// call <c>GetSubmodule("constant_embedding").RequiresGrad(false)</c> after loading), transposed to [N, 2·E, L];
/// one Conv1d per kernel width, ReLU, max-over-time pooling to one value per channel, concatenation, Dropout and a
/// Linear decoder to the classes. Sequences must be at least as long as the widest kernel.
/// </summary>
/// <remarks>
/// The notes' text describes max-over-time pooling while their code uses AdaptiveAvgPool1d(1); this model does
/// what the text (and Kim 2014) says, with AdaptiveMaxPool1d(1) in the "pool" slot. Pooling has no parameters, so
/// the state dict is the notes' one: embedding, constant_embedding, decoder, convs.i.
/// </remarks>
public sealed class TextCnn : Module
{
    readonly Embedding _embedding, _constantEmbedding;
    readonly Dropout _dropout;
    readonly Linear _decoder;
    readonly AdaptiveMaxPool1d _pool;
    readonly ModuleList<Conv1d> _convs;

    public int MaxKernelSize { get; }

    public TextCnn(int vocabSize, int embedSize = 100, int[]? kernelSizes = null, int[]? numChannels = null, int numClasses = 2,
        double dropout = 0.5, DType dtype = DType.Float32, Generator? generator = null)
    {
        kernelSizes ??= [3, 4, 5];
        numChannels ??= [100, 100, 100];
        if (kernelSizes.Length == 0 || kernelSizes.Length != numChannels.Length)
            throw new ArgumentException($"TextCnn: kernel sizes [{string.Join(", ", kernelSizes)}] and channel counts [{string.Join(", ", numChannels)}] must be non-empty and of the same length.");
        if (vocabSize < 1 || embedSize < 1 || numClasses < 1)
            throw new ArgumentException($"TextCnn: vocabulary size, embedding size and classes must be positive, got {vocabSize}, {embedSize}, {numClasses}.");
        var kit = new LayerKit(dtype, generator);
        _embedding = RegisterModule("embedding", kit.Embedding(vocabSize, embedSize));
        _constantEmbedding = RegisterModule("constant_embedding", kit.Embedding(vocabSize, embedSize));
        _dropout = RegisterModule("dropout", kit.Dropout(dropout));
        _decoder = RegisterModule("decoder", kit.Linear(numChannels.Sum(), numClasses));
        _pool = RegisterModule("pool", new AdaptiveMaxPool1d(1));
        RegisterModule("relu", new ReLU());
        _convs = RegisterModule("convs", new ModuleList<Conv1d>());
        for (int i = 0; i < kernelSizes.Length; i++) _convs.Add(kit.Conv1d(2 * embedSize, numChannels[i], kernelSizes[i]));
        MaxKernelSize = kernelSizes.Max();
    }

    /// <summary>Logits [N, classes] for token ids <paramref name="input"/> of shape [N, L] (int64).</summary>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 2 || input.Size(1) < MaxKernelSize)
            throw new ArgumentException($"TextCnn: expected token ids of shape [batch, length] with length ≥ {MaxKernelSize} (the widest kernel), got shape [{string.Join(", ", input.Shape)}].");
        var embeddings = Tensor.Cat([_embedding.Forward(input), _constantEmbedding.Forward(input)], dim: 2).Permute(0, 2, 1);
        var encodings = new Tensor[_convs.Count];
        for (int i = 0; i < encodings.Length; i++)
            encodings[i] = _pool.Forward(_convs[i].Forward(embeddings).Relu()).Squeeze(-1);
        return _decoder.Forward(_dropout.Forward(Tensor.Cat(encodings, dim: 1)));
    }
}
