using Nabla.Models.Text;
namespace Nabla.Models.Translation;

/// <summary>
/// The decoder's state between calls: the GRU state <see cref="Hidden"/> [layers, N, H] and the fixed
/// <see cref="Context"/> [N, H], the encoder's final top-layer state.
/// </summary>
public sealed record Seq2SeqState(Tensor Hidden, Tensor Context) : DecoderState
{
    public override DecoderState SelectRows(Tensor index) => new Seq2SeqState(Hidden.IndexSelect(1, index), Context.IndexSelect(0, index));
}

/// <summary>
/// The notes' Seq2SeqDecoder (10.7.2): token ids [N, T] → Embedding, concatenated at every step with the context
/// (the encoder's final top-layer state) → a multi-layer GRU started from the encoder's final state → Linear to the
/// vocabulary. Returns logits [N, T, V] and the new state. State dict: <c>embedding.weight</c>, <c>rnn.*</c>
/// (input size embed + hidden), <c>dense.weight</c>, <c>dense.bias</c>.
/// </summary>
/// <remarks>
/// The context stays the ENCODER's final top-layer state at every step, also when decoding one step at a time. The
/// first edition of the notes re-read <c>state[-1]</c> of the decoder's own state at each call, so its step-by-step
/// prediction fed a different context than training did; the current edition keeps the encoder's, as here.
/// </remarks>
public sealed class Seq2SeqDecoder : Seq2SeqDecoderBase
{
    readonly Embedding _embedding;
    readonly GRU _rnn;
    readonly Linear _dense;

    public Seq2SeqDecoder(int vocabSize, int embedSize, int numHiddens, int numLayers, double dropout = 0,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (vocabSize < 1 || embedSize < 1 || numHiddens < 1 || numLayers < 1)
            throw new ArgumentException($"Seq2SeqDecoder: vocabulary size, embedding size, hidden size and layers must be positive, got {vocabSize}, {embedSize}, {numHiddens}, {numLayers}.");
        _embedding = RegisterModule("embedding", new Embedding(vocabSize, embedSize, dtype: dtype, generator: generator));
        _rnn = RegisterModule("rnn", new GRU(embedSize + numHiddens, numHiddens, numLayers, dropout: dropout, dtype: dtype, generator: generator));
        _dense = RegisterModule("dense", new Linear(numHiddens, vocabSize, dtype: dtype, generator: generator));
        VocabSize = vocabSize;
    }

    public override int VocabSize { get; }
    public override int NumHiddens => _rnn.HiddenSize;
    public override int NumLayers => _rnn.NumLayers;

    /// <summary>The notes' init_state: the encoder's final state, and its top layer as the context.</summary>
    public Seq2SeqState InitState(RecurrentOutput encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var h = encoded.State.H;
        if (h.Rank != 3 || h.Size(0) != NumLayers || h.Size(2) != NumHiddens)
            throw new ArgumentException($"Seq2SeqDecoder: the encoder state must have shape [{NumLayers}, batch, {NumHiddens}] (layers, batch, hidden), got {h.Shape.ShapeString()}.");
        return new Seq2SeqState(h, h.Select(0, NumLayers - 1));
    }

    /// <summary>The context decoder ignores the source lengths: the encoder's final state already stops at them.</summary>
    public override DecoderState Start(RecurrentOutput encoded, Tensor? sourceLengths) => InitState(encoded);

    public override (Tensor Logits, DecoderState State) Decode(Tensor input, DecoderState state) => Forward(input, Expect<Seq2SeqState>(state));

    /// <summary>Logits [N, T, V] for token ids [N, T] from <paramref name="state"/>, and the state after the last step.</summary>
    public (Tensor Logits, Seq2SeqState State) Forward(Tensor input, Seq2SeqState state)
    {
        Seq2SeqChecks.Ids(input, VocabSize, nameof(Seq2SeqDecoder));
        ArgumentNullException.ThrowIfNull(state);
        int n = input.Size(0), steps = input.Size(1);
        if (state.Context.Rank != 2 || state.Context.Size(0) != n || state.Context.Size(1) != NumHiddens)
            throw new ArgumentException($"Seq2SeqDecoder: the context must have shape [{n}, {NumHiddens}] for token ids of shape {input.Shape.ShapeString()}, got {state.Context.Shape.ShapeString()}.");
        var embedded = _embedding.Forward(input.T().Contiguous());                          // [T, N, E]
        var context = state.Context.Unsqueeze(0).Expand(steps, n, NumHiddens);               // [T, N, H]
        var output = _rnn.Forward(Tensor.Cat([embedded, context], 2), new RecurrentState(state.Hidden));
        var logits = _dense.Forward(output.Output).Permute(1, 0, 2);                         // [N, T, V]
        return (logits, new Seq2SeqState(output.State.H, state.Context));
    }
}
