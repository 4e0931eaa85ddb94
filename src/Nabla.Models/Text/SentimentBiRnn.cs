using Nabla.Models.Vision;
using Nabla.Text;

namespace Nabla.Models.Text;

/// <summary>
/// The notes' BiRNN for sentiment analysis (15.2): token ids [N, L] → Embedding → a bidirectional multi-layer LSTM
/// over time → the concatenation of its outputs at the first and at the last time step, [N, 4·hidden] → Linear to
/// the classes. State dict: <c>embedding.weight</c>, <c>encoder.weight_ih_l0</c>, … (PyTorch's LSTM names),
/// <c>decoder.weight</c>, <c>decoder.bias</c> — the notes' model one to one (tools/golden/sentiment.py).
/// </summary>
/// <remarks>
/// <para>Padding. The notes pad every review to 500 tokens and take <c>outputs[-1]</c>, so their "last step" is
/// mostly a padding step. Here each sentence's valid length goes to the LSTM (packed-sequence semantics: steps past
/// it neither change the state nor produce output), and the encoding takes the output at step 0 and at step
/// length − 1 of each sentence. The forward direction's last valid output and the backward direction's first
/// output then summarise exactly the sentence, and a padded copy of a sentence gives the same logits as the
/// unpadded one. <see cref="Forward(Tensor)"/> recovers the lengths from <see cref="PadId"/>: a sentence is its ids
/// up to the last id that is not padding (padding goes at the end, as <c>SentimentData.Collate</c> puts it);
/// <see cref="Forward(Tensor, Tensor)"/> takes them explicitly. A sentence of length 0 is refused.</para>
/// <para>Regularisation (no parameters, so the state dict is unchanged): dropout on the embeddings, between the
/// LSTM layers, and on the encoding before the decoder. The notes use none (they start from GloVe vectors); on
/// the 1,600 training sentences of issue 6 the network overfits within a few epochs without it.</para>
/// </remarks>
public sealed class SentimentBiRnn : Module
{
    readonly Embedding _embedding;
    readonly LSTM _encoder;
    readonly Linear _decoder;
    readonly Dropout _embeddingDropout, _outputDropout;

    /// <param name="padId">the id that pads a batch at the end; null means no padding (every step is valid, the notes' reading).</param>
    public SentimentBiRnn(int vocabSize, int embedSize = 100, int numHiddens = 100, int numLayers = 2, int numClasses = 2,
        int? padId = 1, double embeddingDropout = 0, double dropout = 0, double outputDropout = 0,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (vocabSize < 1 || embedSize < 1 || numHiddens < 1 || numLayers < 1 || numClasses < 1)
            throw new ArgumentException($"SentimentBiRnn: vocabulary size, embedding size, hidden size, layers and classes must be positive, " +
                $"got {vocabSize}, {embedSize}, {numHiddens}, {numLayers}, {numClasses}.");
        if (padId is { } p && (p < 0 || p >= vocabSize))
            throw new ArgumentException($"SentimentBiRnn: the padding id {p} is not an id of a vocabulary of {vocabSize} tokens.");
        var kit = new LayerKit(dtype, generator);
        _embedding = RegisterModule("embedding", kit.Embedding(vocabSize, embedSize));
        _encoder = RegisterModule("encoder", new LSTM(embedSize, numHiddens, numLayers, dropout: dropout, bidirectional: true,
            dtype: dtype, generator: generator));
        _decoder = RegisterModule("decoder", kit.Linear(4 * numHiddens, numClasses));
        _embeddingDropout = RegisterModule("embedding_dropout", kit.Dropout(embeddingDropout));
        _outputDropout = RegisterModule("output_dropout", kit.Dropout(outputDropout));
        PadId = padId;
        NumHiddens = numHiddens;
    }

    public int? PadId { get; }
    public int NumHiddens { get; }

    /// <summary>The embedding layer (to load pretrained word vectors into it).</summary>
    public Embedding Embedding => _embedding;

    /// <summary>Logits [N, classes] for token ids [N, L] padded at the end with <see cref="PadId"/>.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, LengthsOf(input));

    /// <summary>Logits [N, classes] for token ids [N, L] whose sentence i holds its first <c>lengths[i]</c> ids (1 ≤ length ≤ L).</summary>
    public Tensor Forward(Tensor input, Tensor? lengths)
    {
        CheckIds(input);
        int n = input.Size(0), steps = input.Size(1);
        long[]? valid = null;
        if (lengths is not null)
        {
            if (lengths.DType != DType.Int64 || lengths.Rank != 1 || lengths.Size(0) != n)
                throw new ArgumentException($"SentimentBiRnn: lengths must be int64 of shape [{n}] for token ids of shape {S(input)}, got {lengths.DType.TorchName()} {S(lengths)}.");
            valid = lengths.Contiguous().ToArray<long>();
            for (int i = 0; i < n; i++)
                if (valid[i] < 1 || valid[i] > steps)
                    throw new ArgumentException($"SentimentBiRnn: sentence {i} has length {valid[i]}, outside [1, {steps}] for token ids of shape {S(input)}; " +
                        "every sentence needs at least one token.");
        }

        // [N, L] → [L, N] → [L, N, E]: the LSTM runs time-major, as in the notes.
        var embeddings = _embeddingDropout.Forward(_embedding.Forward(input.T().Contiguous()));
        var outputs = _encoder.Forward(embeddings, null, lengths).Output;        // [L, N, 2H]
        var first = outputs.Select(0, 0);                                         // [N, 2H]
        Tensor last;
        if (valid is null || valid.All(v => v == steps)) last = outputs.Select(0, steps - 1);
        else
        {
            // Row i of the result is outputs[valid[i] − 1, i, :]: gather along time with one index per (i, feature).
            var index = new long[n];
            for (int i = 0; i < n; i++) index[i] = valid[i] - 1;
            var gatherIndex = Tensor.From(index, 1, n, 1).Expand(1, n, outputs.Size(2)).Contiguous();
            last = outputs.Gather(0, gatherIndex).Squeeze(0);
        }
        var encoding = Tensor.Cat([first, last], dim: 1);                         // [N, 4H]
        return _decoder.Forward(_outputDropout.Forward(encoding));
    }

    /// <summary>
    /// The valid length of each row of token ids [N, L] padded at the end with <see cref="PadId"/>: one past the last
    /// id that is not padding. Null when the model has no padding id (every step valid). Refuses an all-padding row.
    /// </summary>
    public Tensor? LengthsOf(Tensor input)
    {
        CheckIds(input);
        return PadId is { } pad ? Padding.LengthsOf(input, pad, nameof(SentimentBiRnn)) : null;
    }

    static string S(Tensor t) => $"[{string.Join(", ", t.Shape)}]";

    static void CheckIds(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.DType != DType.Int64 || input.Size(0) == 0 || input.Size(1) == 0)
            throw new ArgumentException($"SentimentBiRnn: expected int64 token ids of shape [batch, length] with batch, length ≥ 1, got {input.DType.TorchName()} {S(input)}.");
    }
}
