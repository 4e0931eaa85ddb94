using Nabla.Models.Text;
namespace Nabla.Models.Translation;

/// <summary>
/// The attention decoder's state: the encoder outputs <see cref="EncoderOutputs"/> [N, T_src, H] (batch-major, the
/// keys and values), the GRU state <see cref="Hidden"/> [layers, N, H], and the source valid lengths
/// <see cref="SourceLengths"/> (int64 [N], or null when every source step is valid).
/// </summary>
public sealed record Seq2SeqAttentionState(Tensor EncoderOutputs, Tensor Hidden, Tensor? SourceLengths) : DecoderState
{
    public override DecoderState SelectRows(Tensor index) =>
        new Seq2SeqAttentionState(EncoderOutputs.IndexSelect(0, index), Hidden.IndexSelect(1, index), SourceLengths?.IndexSelect(0, index));
}

/// <summary>
/// The notes' Seq2SeqAttentionDecoder (Bahdanau attention, 10.4.2). At every step the query is the previous top-layer
/// GRU state; additive attention over the encoder outputs (keys = values, masked by the source lengths) gives a
/// context [N, H]; the GRU reads [context, embedded token] (context first, as the notes' <c>torch.cat((context, x))</c>)
/// and Linear maps its output to the vocabulary. State dict: <c>attention.W_k.weight</c>, <c>attention.W_q.weight</c>,
/// <c>attention.w_v.weight</c>, <c>embedding.weight</c>, <c>rnn.*</c> (input size hidden + embed), <c>dense.*</c>.
/// </summary>
public sealed class Seq2SeqAttentionDecoder : Seq2SeqDecoderBase
{
    readonly AdditiveAttention _attention;
    readonly Embedding _embedding;
    readonly GRU _rnn;
    readonly Linear _dense;

    public Seq2SeqAttentionDecoder(int vocabSize, int embedSize, int numHiddens, int numLayers, double dropout = 0,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (vocabSize < 1 || embedSize < 1 || numHiddens < 1 || numLayers < 1)
            throw new ArgumentException($"Seq2SeqAttentionDecoder: vocabulary size, embedding size, hidden size and layers must be positive, got {vocabSize}, {embedSize}, {numHiddens}, {numLayers}.");
        // Registration order is the notes' attribute order, so the state dict lists keys as PyTorch does.
        _attention = RegisterModule("attention", new AdditiveAttention(numHiddens, numHiddens, numHiddens, dropout, dtype, generator));
        _embedding = RegisterModule("embedding", new Embedding(vocabSize, embedSize, dtype: dtype, generator: generator));
        _rnn = RegisterModule("rnn", new GRU(embedSize + numHiddens, numHiddens, numLayers, dropout: dropout, dtype: dtype, generator: generator));
        _dense = RegisterModule("dense", new Linear(numHiddens, vocabSize, dtype: dtype, generator: generator));
        VocabSize = vocabSize;
    }

    public override int VocabSize { get; }
    public override int NumHiddens => _rnn.HiddenSize;
    public override int NumLayers => _rnn.NumLayers;

    /// <summary>
    /// The attention weights [N, T_dec, T_src] of the last <see cref="Forward(Tensor, Seq2SeqAttentionState)"/> call,
    /// one row per decoder step (before dropout, on the autograd graph), or null before the first call. Decoding one
    /// step at a time, each call holds that step's [N, 1, T_src].
    /// </summary>
    public Tensor? AttentionWeights { get; private set; }

    /// <summary>The notes' init_state: the encoder outputs made batch-major, its final state, and the source lengths.</summary>
    public Seq2SeqAttentionState InitState(RecurrentOutput encoded, Tensor? sourceLengths = null)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var outputs = encoded.Output;
        var h = encoded.State.H;
        if (outputs.Rank != 3 || outputs.Size(2) != NumHiddens)
            throw new ArgumentException($"Seq2SeqAttentionDecoder: the encoder outputs must have shape [steps, batch, {NumHiddens}] (time-major), got {outputs.Shape.ShapeString()}.");
        int n = outputs.Size(1);
        if (h.Rank != 3 || h.Size(0) != NumLayers || h.Size(1) != n || h.Size(2) != NumHiddens)
            throw new ArgumentException($"Seq2SeqAttentionDecoder: the encoder state must have shape [{NumLayers}, {n}, {NumHiddens}] (layers, batch, hidden) for encoder outputs {outputs.Shape.ShapeString()}, got {h.Shape.ShapeString()}.");
        var state = new Seq2SeqAttentionState(outputs.Permute(1, 0, 2).Contiguous(), h, sourceLengths);
        CheckState(state, n);
        return state;
    }

    public override DecoderState Start(RecurrentOutput encoded, Tensor? sourceLengths) => InitState(encoded, sourceLengths);

    public override (Tensor Logits, DecoderState State) Decode(Tensor input, DecoderState state) => Forward(input, Expect<Seq2SeqAttentionState>(state));

    /// <summary>Logits [N, T, V] for token ids [N, T] from <paramref name="state"/>, and the state after the last step.</summary>
    public (Tensor Logits, Seq2SeqAttentionState State) Forward(Tensor input, Seq2SeqAttentionState state)
    {
        Seq2SeqChecks.Ids(input, VocabSize, nameof(Seq2SeqAttentionDecoder));
        ArgumentNullException.ThrowIfNull(state);
        int n = input.Size(0), steps = input.Size(1);
        CheckState(state, n);
        var embedded = _embedding.Forward(input.T().Contiguous());                          // [T, N, E]
        var memory = state.EncoderOutputs;
        var hidden = state.Hidden;
        var outputs = new Tensor[steps];
        var weights = new Tensor[steps];
        for (int t = 0; t < steps; t++)
        {
            var query = hidden.Select(0, NumLayers - 1).Unsqueeze(1);                     // [N, 1, H]
            var context = _attention.Forward(query, memory, memory, state.SourceLengths);  // [N, 1, H]
            weights[t] = _attention.AttentionWeights!;                                    // [N, 1, T_src]
            var x = Tensor.Cat([context.Permute(1, 0, 2), embedded.Narrow(0, t, 1)], 2);   // [1, N, H + E]
            var step = _rnn.Forward(x, new RecurrentState(hidden));
            outputs[t] = step.Output;                                                     // [1, N, H]
            hidden = step.State.H;
        }
        AttentionWeights = Tensor.Cat(weights, 1);
        var logits = _dense.Forward(Tensor.Cat(outputs, 0)).Permute(1, 0, 2);             // [N, T, V]
        return (logits, state with { Hidden = hidden });
    }

    void CheckState(Seq2SeqAttentionState state, int n)
    {
        var m = state.EncoderOutputs;
        var h = state.Hidden;
        if (m.Rank != 3 || m.Size(0) != n || m.Size(1) < 1 || m.Size(2) != NumHiddens)
            throw new ArgumentException($"Seq2SeqAttentionDecoder: the encoder outputs in the state must have shape [{n}, source steps, {NumHiddens}] (batch-major) for a batch of {n}, got {m.Shape.ShapeString()}.");
        if (h.Rank != 3 || h.Size(0) != NumLayers || h.Size(1) != n || h.Size(2) != NumHiddens)
            throw new ArgumentException($"Seq2SeqAttentionDecoder: the hidden state must have shape [{NumLayers}, {n}, {NumHiddens}] (layers, batch, hidden) for encoder outputs {m.Shape.ShapeString()}, got {h.Shape.ShapeString()}.");
        var lengths = state.SourceLengths;
        if (lengths is not null && (lengths.Rank != 1 || lengths.DType != DType.Int64 || lengths.Size(0) != n))
            throw new ArgumentException($"Seq2SeqAttentionDecoder: the source lengths must be int64 [{n}] for encoder outputs {m.Shape.ShapeString()}, got {lengths.DType.TorchName()} {lengths.Shape.ShapeString()}.");
    }
}
