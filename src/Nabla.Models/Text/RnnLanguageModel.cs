namespace Nabla.Models.Text;

/// <summary>What a language model returns for a batch: next-token logits [N, T, V] and the state after the last step.</summary>
public sealed record LanguageModelOutput(Tensor Logits, RecurrentState State);

/// <summary>
/// A language model that carries a recurrent state between calls: the interface the language-model trainer and
/// the sampler drive, so they work for any such model (and tests can observe the states they pass).
/// </summary>
public interface ILanguageModel
{
    /// <summary>The module holding the parameters (train/eval mode, state dict, optimizer).</summary>
    Module Module { get; }

    /// <summary>Size of the output vocabulary V (logits are [N, T, V]).</summary>
    int VocabSize { get; }

    /// <summary>Logits for token ids [N, T] (int64, batch-first) starting from <paramref name="state"/> (null: zeros).</summary>
    LanguageModelOutput Forward(Tensor ids, RecurrentState? state);

    /// <summary>The zero state for a batch of <paramref name="batchSize"/> sequences.</summary>
    RecurrentState InitialState(int batchSize);
}

/// <summary>The recurrences <see cref="RnnLanguageModel"/> can use, by the names `nabla train --cell` takes.</summary>
public static class RecurrentCells
{
    public static IReadOnlyList<string> Names { get; } = ["rnn", "gru", "lstm"];

    public static bool IsKnown(string? name) => name is not null && Names.Contains(name.ToLowerInvariant());
}

/// <summary>
/// The notes' recurrent language model (8.5–8.6, 9.1–9.3): each token id becomes a vector — a learned embedding
/// (the default) or the notes' one-hot encoding (<c>embedSize = 0</c>) — a multi-layer RNN, GRU or LSTM runs over
/// the sequence, and a Linear layer maps the hidden state of every step to logits over the vocabulary. With
/// dropout p &gt; 0 the model drops the embeddings, the activations between recurrent layers and the last layer's
/// outputs (Zaremba et al. 2014, PyTorch's word_language_model), so it regularises a one-layer model too.
/// </summary>
/// <remarks>
/// Parameter names are those of a PyTorch module with attributes <c>embedding</c> (nn.Embedding, absent one-hot),
/// <c>rnn</c> (nn.RNN/GRU/LSTM, batch_first=True) and <c>linear</c> (nn.Linear(hidden, vocab)) — the notes'
/// RNNModel plus the embedding — e.g. <c>rnn.weight_ih_l0</c>, <c>linear.weight</c>. Dropout has no parameters.
/// </remarks>
public sealed class RnnLanguageModel : Module, ILanguageModel
{
    readonly Embedding? _embedding;
    readonly RecurrentLayer _rnn;
    readonly Dropout _dropout;
    readonly Linear _linear;

    /// <param name="vocabSize">tokens in the vocabulary (inputs and outputs).</param>
    /// <param name="cell">"rnn" (tanh), "gru" or "lstm".</param>
    /// <param name="hiddenSize">units per recurrent layer.</param>
    /// <param name="numLayers">stacked recurrent layers.</param>
    /// <param name="embedSize">embedding width; 0 feeds one-hot vectors of width <paramref name="vocabSize"/> instead.</param>
    /// <param name="dropout">dropout probability on embeddings, between layers and on outputs (0: none).</param>
    public RnnLanguageModel(int vocabSize, string cell = "lstm", int hiddenSize = 256, int numLayers = 1, int embedSize = 256,
        double dropout = 0, DType dtype = DType.Float32, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (vocabSize < 1 || hiddenSize < 1 || numLayers < 1 || embedSize < 0)
            throw new ArgumentException($"RnnLanguageModel: vocabulary size, hidden size and layers must be positive and the embedding size ≥ 0 (0 = one-hot), " +
                $"got vocab_size={vocabSize}, hidden_size={hiddenSize}, num_layers={numLayers}, embed_size={embedSize}.");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentException($"RnnLanguageModel: dropout must lie in [0, 1), got {dropout}.");
        if (!RecurrentCells.IsKnown(cell))
            throw new ArgumentException($"RnnLanguageModel: unknown cell '{cell}'; the cells are {string.Join(", ", RecurrentCells.Names)}.");

        VocabSize = vocabSize;
        Cell = cell.ToLowerInvariant();
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        EmbedSize = embedSize;
        DropoutP = dropout;
        DType = dtype;
        int inputSize = embedSize == 0 ? vocabSize : embedSize;
        if (embedSize > 0) _embedding = RegisterModule("embedding", new Embedding(vocabSize, embedSize, dtype: dtype, generator: generator));
        double between = numLayers > 1 ? dropout : 0;   // PyTorch warns about inter-layer dropout on one layer
        _rnn = RegisterModule("rnn", Cell switch
        {
            "rnn" => (RecurrentLayer)new RNN(inputSize, hiddenSize, numLayers, batchFirst: true, dropout: between, dtype: dtype, generator: generator),
            "gru" => new GRU(inputSize, hiddenSize, numLayers, batchFirst: true, dropout: between, dtype: dtype, generator: generator),
            _ => new LSTM(inputSize, hiddenSize, numLayers, batchFirst: true, dropout: between, dtype: dtype, generator: generator),
        });
        _dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        _linear = RegisterModule("linear", new Linear(hiddenSize, vocabSize, dtype: dtype, generator: generator));
    }

    public int VocabSize { get; }
    public string Cell { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    /// <summary>Embedding width; 0 when the model feeds one-hot vectors.</summary>
    public int EmbedSize { get; }
    public double DropoutP { get; }
    public DType DType { get; }

    /// <summary>The recurrent layer (batch-first).</summary>
    public RecurrentLayer Rnn => _rnn;

    Module ILanguageModel.Module => this;

    /// <summary>Logits [N, T, V] for token ids [N, T], from the zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Logits;

    /// <summary>
    /// Logits [N, T, V] for token ids [N, T] (int64, batch-first) and the state after the last step. <paramref name="state"/>
    /// (null: zeros) must be [layers, N, hidden] (and a cell state of that shape for LSTM, none otherwise).
    /// </summary>
    public LanguageModelOutput Forward(Tensor ids, RecurrentState? state)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2 || ids.DType != DType.Int64)
            throw new ArgumentException($"RnnLanguageModel: expected token ids of shape [batch, steps] and dtype int64, got {ids.DType.TorchName()} of shape {ids.Shape.ShapeString()}.");
        int n = ids.Size(0), t = ids.Size(1);
        if (state is not null) CheckState(state, n);

        Tensor x = _embedding is not null ? _embedding.Forward(ids) : Tensor.OneHot(ids, VocabSize).To(DType);
        var recurrent = _rnn.Forward(_dropout.Forward(x), state);
        var hidden = _dropout.Forward(recurrent.Output);                              // [N, T, H]
        var logits = _linear.Forward(hidden.Reshape(n * t, HiddenSize)).Reshape(n, t, VocabSize);
        return new LanguageModelOutput(logits, recurrent.State);
    }

    public RecurrentState InitialState(int batchSize) => _rnn.InitialState(batchSize);

    /// <summary>Checks a state against this model before the layer sees it, so the message names the model's expectation.</summary>
    void CheckState(RecurrentState state, int batch)
    {
        ArgumentNullException.ThrowIfNull(state.H);
        int[] expected = [NumLayers, batch, HiddenSize];
        string want = $"[{string.Join(", ", expected)}]";
        if (!state.H.Shape.SequenceEqual(expected))
            throw new ArgumentException($"RnnLanguageModel: the hidden state has shape {state.H.Shape.ShapeString()}, expected {want} (layers, batch, hidden) for a batch of {batch}; " +
                "start a new batch size with InitialState(batchSize) or a null state.");
        bool lstm = Cell == "lstm";
        if (lstm && state.C is null)
            throw new ArgumentException($"RnnLanguageModel: an LSTM needs a cell state C of shape {want} next to H, but the state has none.");
        if (!lstm && state.C is not null)
            throw new ArgumentException($"RnnLanguageModel: a {Cell.ToUpperInvariant()} has no cell state, but the state carries C of shape {state.C.Shape.ShapeString()}.");
        if (state.C is not null && !state.C.Shape.SequenceEqual(expected))
            throw new ArgumentException($"RnnLanguageModel: the cell state has shape {state.C.Shape.ShapeString()}, expected {want} (layers, batch, hidden) for a batch of {batch}.");
    }

    public override string ExtraRepr() =>
        $"vocab_size={VocabSize}, cell={Cell}, hidden_size={HiddenSize}, num_layers={NumLayers}, embed_size={(EmbedSize == 0 ? "one-hot" : EmbedSize)}, dropout={DropoutP}";
}
