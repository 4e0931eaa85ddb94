using Nabla.Models.Text;
namespace Nabla.Models.Translation;

/// <summary>
/// The notes' Seq2SeqEncoder (10.7.1): token ids [N, T] → Embedding → a multi-layer GRU over time. Returns the
/// outputs [T, N, H] (time-major, as the notes) and the final state [layers, N, H]. State dict:
/// <c>embedding.weight</c>, <c>rnn.weight_ih_l0</c>, <c>rnn.weight_hh_l0</c>, <c>rnn.bias_ih_l0</c>, ….
/// </summary>
/// <remarks>
/// With valid lengths the GRU follows packed-sequence semantics: steps past a sentence's length leave its state
/// alone, so the final state summarises the sentence and not its padding. The notes pass no lengths (their encoder
/// reads the padding too); without lengths this is their encoder exactly.
/// </remarks>
public sealed class Seq2SeqEncoder : Module
{
    readonly Embedding _embedding;
    readonly GRU _rnn;

    public Seq2SeqEncoder(int vocabSize, int embedSize, int numHiddens, int numLayers, double dropout = 0,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (vocabSize < 1 || embedSize < 1 || numHiddens < 1 || numLayers < 1)
            throw new ArgumentException($"Seq2SeqEncoder: vocabulary size, embedding size, hidden size and layers must be positive, got {vocabSize}, {embedSize}, {numHiddens}, {numLayers}.");
        _embedding = RegisterModule("embedding", new Embedding(vocabSize, embedSize, dtype: dtype, generator: generator));
        _rnn = RegisterModule("rnn", new GRU(embedSize, numHiddens, numLayers, dropout: dropout, dtype: dtype, generator: generator));
        VocabSize = vocabSize;
    }

    public int VocabSize { get; }
    public int NumHiddens => _rnn.HiddenSize;
    public int NumLayers => _rnn.NumLayers;

    /// <summary>The outputs [T, N, H] of token ids [N, T], every step valid.</summary>
    public override Tensor Forward(Tensor input) => Encode(input).Output;

    /// <summary>Outputs [T, N, H] and final state [layers, N, H] of token ids [N, T] with optional int64 valid lengths [N].</summary>
    public RecurrentOutput Encode(Tensor input, Tensor? validLengths = null)
    {
        Seq2SeqChecks.Ids(input, VocabSize, nameof(Seq2SeqEncoder));
        var embedded = _embedding.Forward(input.T().Contiguous());               // [T, N, E]
        return _rnn.Forward(embedded, null, validLengths);
    }
}
