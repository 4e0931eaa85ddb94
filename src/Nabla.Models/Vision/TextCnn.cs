using Nabla.Text;

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
/// <para>Padding. The notes pad every review to 500 tokens, so every sentence's pooling also sees windows over
/// <c>&lt;pad&gt;</c>, the same for all. Batches padded only to their longest sentence break that symmetry: the
/// longest sentence of a batch sees no padding window, the others do, and a sentence's features then depend on
/// which batch it is in. Given a padding id (or explicit lengths), the pooling takes the maximum over the windows
/// that lie inside the sentence only (window 0 when the sentence is shorter than the kernel), so a padded copy of a
/// sentence gives the same logits as the sentence alone. Without one it is the notes' model, padding and all.</para>
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
        double dropout = 0.5, DType dtype = DType.Float32, Generator? generator = null, int? padId = null)
    {
        kernelSizes ??= [3, 4, 5];
        numChannels ??= [100, 100, 100];
        if (kernelSizes.Length == 0 || kernelSizes.Length != numChannels.Length)
            throw new ArgumentException($"TextCnn: kernel sizes [{string.Join(", ", kernelSizes)}] and channel counts [{string.Join(", ", numChannels)}] must be non-empty and of the same length.");
        if (vocabSize < 1 || embedSize < 1 || numClasses < 1)
            throw new ArgumentException($"TextCnn: vocabulary size, embedding size and classes must be positive, got {vocabSize}, {embedSize}, {numClasses}.");
        if (padId is { } p && (p < 0 || p >= vocabSize))
            throw new ArgumentException($"TextCnn: the padding id {p} is not an id of a vocabulary of {vocabSize} tokens.");
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
        PadId = padId;
    }

    /// <summary>The id that pads batches at the end, whose windows the pooling skips; null: the notes' unmasked pooling.</summary>
    public int? PadId { get; }

    /// <summary>Logits [N, classes] for token ids <paramref name="input"/> of shape [N, L] (int64), padded at the end with <see cref="PadId"/> when it is set.</summary>
    public override Tensor Forward(Tensor input) =>
        Forward(input, PadId is { } pad && input is { Rank: 2, DType: DType.Int64 } ? Padding.LengthsOf(input, pad, nameof(TextCnn)) : null);

    /// <summary>Logits for token ids [N, L] whose row i holds a sentence of <c>lengths[i]</c> tokens (1 ≤ length ≤ L); null lengths: every window counts.</summary>
    public Tensor Forward(Tensor input, Tensor? lengths)
    {
        if (input.Rank != 2 || input.Size(1) < MaxKernelSize)
            throw new ArgumentException($"TextCnn: expected token ids of shape [batch, length] with length ≥ {MaxKernelSize} (the widest kernel), got shape [{string.Join(", ", input.Shape)}].");
        var valid = lengths is null ? null : CheckLengths(input, lengths);
        var embeddings = Tensor.Cat([_embedding.Forward(input), _constantEmbedding.Forward(input)], dim: 2).Permute(0, 2, 1);
        var encodings = new Tensor[_convs.Count];
        for (int i = 0; i < encodings.Length; i++)
        {
            var features = _convs[i].Forward(embeddings).Relu();                                    // [N, C, windows]
            // ReLU features are ≥ 0, so zeroing the windows past a sentence's end leaves the maximum over its own windows.
            if (valid is not null) features = features * WindowMask(valid, input.Size(1), _convs[i].KernelSize.W, features.DType);
            encodings[i] = _pool.Forward(features).Squeeze(-1);
        }
        return _decoder.Forward(_dropout.Forward(Tensor.Cat(encodings, dim: 1)));
    }

    /// <summary>[N, 1, L − k + 1]: 1 for the windows of width <paramref name="kernel"/> inside each sentence, window 0 always.</summary>
    static Tensor WindowMask(long[] lengths, int steps, int kernel, DType dtype)
    {
        int windows = steps - kernel + 1;
        var mask = new double[lengths.Length * windows];
        for (int i = 0; i < lengths.Length; i++)
        {
            long inside = Math.Max(1, lengths[i] - kernel + 1);
            for (int t = 0; t < inside; t++) mask[i * windows + t] = 1;
        }
        return Tensor.From(mask, lengths.Length, 1, windows).To(dtype);
    }

    static long[] CheckLengths(Tensor input, Tensor lengths)
    {
        int n = input.Size(0), steps = input.Size(1);
        if (lengths.DType != DType.Int64 || lengths.Rank != 1 || lengths.Size(0) != n)
            throw new ArgumentException($"TextCnn: lengths must be int64 of shape [{n}] for token ids of shape [{string.Join(", ", input.Shape)}], " +
                $"got {lengths.DType.TorchName()} [{string.Join(", ", lengths.Shape)}].");
        var values = lengths.Contiguous().ToArray<long>();
        for (int i = 0; i < n; i++)
            if (values[i] < 1 || values[i] > steps)
                throw new ArgumentException($"TextCnn: length {values[i]} of row {i} is outside 1..{steps} for token ids of shape [{n}, {steps}].");
        return values;
    }
}
