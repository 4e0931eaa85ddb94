namespace Nabla.Models.Text;

/// <summary>
/// A decoder-only (GPT-style) causal language model: token embedding + learned position embedding, a stack of
/// pre-norm Transformer layers (PyTorch's TransformerEncoderLayer with norm_first) under a causal mask, a final
/// LayerNorm and a linear head to next-token logits. Position i sees tokens 0..i only, so changing token t changes
/// no logit before t.
/// </summary>
/// <remarks>
/// <para>State-dict names are those of a PyTorch module with attributes <c>token_embedding</c> (nn.Embedding),
/// <c>position_embedding</c> (a [max_len, d_model] table, <c>position_embedding.weight</c>), <c>layers</c>
/// (nn.ModuleList of nn.TransformerEncoderLayer(norm_first=True, batch_first=True)), <c>norm</c> (nn.LayerNorm) and
/// <c>lm_head</c> (nn.Linear(d_model, vocab)); with tied weights there is no <c>lm_head</c>: the logits are
/// <c>h · token_embedding.weightᵀ</c> without bias (GPT-2's head). tools/golden/gpt.py is that module.</para>
/// <para>The recurrent state of <see cref="ILanguageModel"/> is used as the model's context window: its
/// <see cref="RecurrentState.H"/> holds the ids of the tokens already read, int64 [N, K] (K ≤ max_len − 1), and
/// <see cref="Forward(Tensor, RecurrentState?)"/> prepends the last min(K, max_len − T) of them to the new ids,
/// runs the window and returns the logits of the new positions only. So the sampler (prefix, then one token at a
/// time) sees a sliding window of up to max_len tokens, and a null or empty state means "no context". Nothing flows
/// back through the context: it is ids, recomputed each call (no key/value cache; generation costs O(max_len²) a token).</para>
/// <para>Each layer is built on its own (not deep copies of one prototype as nn.TransformerEncoder does), so the
/// layers start from different weights. Layers keep PyTorch's init; the two embeddings start N(0, 0.02²) as GPT-2's,
/// not nn.Embedding's N(0, 1), so that a tied head starts with small logits.</para>
/// </remarks>
public sealed class GptLanguageModel : Module, ILanguageModel
{
    readonly Embedding _tokenEmbedding;
    readonly LearnedPositionalEncoding _positionEmbedding;
    readonly Dropout _dropout;
    readonly ModuleList<TransformerEncoderLayer> _layers;
    readonly LayerNorm _norm;
    readonly Linear? _head;

    /// <param name="vocabSize">tokens in the vocabulary (inputs and outputs).</param>
    /// <param name="maxLen">the longest window the position table covers; longer inputs are refused.</param>
    /// <param name="dModel">width of embeddings and layers.</param>
    /// <param name="numHeads">attention heads per layer (must divide <paramref name="dModel"/>).</param>
    /// <param name="numLayers">Transformer layers.</param>
    /// <param name="dimFeedforward">hidden width of each layer's feed-forward net.</param>
    /// <param name="dropout">dropout after the embeddings and inside every layer (0: none).</param>
    /// <param name="tieWeights">true: the head reuses the token embedding (no separate lm_head).</param>
    public GptLanguageModel(int vocabSize, int maxLen, int dModel = 128, int numHeads = 4, int numLayers = 2, int dimFeedforward = 512,
        double dropout = 0, bool tieWeights = false, string activation = "gelu", DType dtype = DType.Float32, Generator? generator = null)
    {
        if (vocabSize < 1 || maxLen < 1 || dModel < 1 || numHeads < 1 || numLayers < 1 || dimFeedforward < 1)
            throw new ArgumentException($"GptLanguageModel: every size must be positive, got vocab_size={vocabSize}, max_len={maxLen}, d_model={dModel}, " +
                $"num_heads={numHeads}, num_layers={numLayers}, dim_feedforward={dimFeedforward}.");
        if (dModel % numHeads != 0)
            throw new ArgumentException($"GptLanguageModel: d_model {dModel} is not divisible by num_heads {numHeads}.");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentException($"GptLanguageModel: dropout must lie in [0, 1), got {dropout}.");

        VocabSize = vocabSize;
        MaxLen = maxLen;
        DModel = dModel;
        NumHeads = numHeads;
        NumLayers = numLayers;
        DimFeedforward = dimFeedforward;
        DropoutP = dropout;
        TieWeights = tieWeights;
        Activation = activation;
        DType = dtype;

        _tokenEmbedding = RegisterModule("token_embedding", new Embedding(vocabSize, dModel, dtype: dtype, generator: generator));
        Init.Normal(_tokenEmbedding.Weight, 0, 0.02, generator);
        _positionEmbedding = RegisterModule("position_embedding", new LearnedPositionalEncoding(maxLen, dModel, dtype: dtype, generator: generator));
        Init.Normal(_positionEmbedding.Weight, 0, 0.02, generator);
        _dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        _layers = RegisterModule("layers", new ModuleList<TransformerEncoderLayer>(Enumerable.Range(0, numLayers).Select(_ =>
            new TransformerEncoderLayer(dModel, numHeads, dimFeedforward, dropout, activation, batchFirst: true, normFirst: true, dtype: dtype, generator: generator))));
        _norm = RegisterModule("norm", new LayerNorm(dModel, dtype: dtype));
        if (!tieWeights) _head = RegisterModule("lm_head", new Linear(dModel, vocabSize, dtype: dtype, generator: generator));
    }

    public int VocabSize { get; }
    public int MaxLen { get; }
    public int DModel { get; }
    public int NumHeads { get; }
    public int NumLayers { get; }
    public int DimFeedforward { get; }
    public double DropoutP { get; }
    public bool TieWeights { get; }
    public string Activation { get; }
    public DType DType { get; }

    public IReadOnlyList<TransformerEncoderLayer> Layers => _layers;

    Module ILanguageModel.Module => this;

    /// <summary>Logits [N, T, V] for token ids [N, T] without context (T ≤ max_len).</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Logits;

    /// <summary>
    /// Logits [N, T, V] for token ids [N, T] (int64, batch-first, T ≤ max_len) read after the context held by
    /// <paramref name="state"/> (null or empty: none); the returned state is the context extended by the new ids
    /// (its last max_len − 1 tokens).
    /// </summary>
    public LanguageModelOutput Forward(Tensor ids, RecurrentState? state)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2 || ids.DType != DType.Int64)
            throw new ArgumentException($"GptLanguageModel: expected token ids of shape [batch, steps] and dtype int64, got {ids.DType.TorchName()} of shape {ids.Shape.ShapeString()}.");
        int n = ids.Size(0), t = ids.Size(1);
        if (t > MaxLen)
            throw new ArgumentException($"GptLanguageModel: the input has {t} positions (ids shape {ids.Shape.ShapeString()}) but the position table holds max_len = {MaxLen}; " +
                $"feed at most {MaxLen} tokens per call (the rest as context through the state).");
        if (t == 0)
            throw new ArgumentException($"GptLanguageModel: the input has no positions (ids shape {ids.Shape.ShapeString()}).");
        var context = state is null ? null : ContextOf(state, n);
        int keep = context is null ? 0 : Math.Min(context.Size(1), MaxLen - t);

        var window = keep == 0 ? ids : JoinIds(context!.Narrow(1, context.Size(1) - keep, keep), ids);
        var logits = Logits(window);
        if (keep > 0) logits = logits.Narrow(1, keep, t);
        int carried = Math.Min(MaxLen - 1, keep + t);
        var next = window.Narrow(1, keep + t - carried, carried).Contiguous();
        return new LanguageModelOutput(logits, new RecurrentState(next));
    }

    /// <summary>An empty context ([N, 0] ids) for a batch of <paramref name="batchSize"/> sequences.</summary>
    public RecurrentState InitialState(int batchSize)
    {
        if (batchSize < 1)
            throw new ArgumentException($"GptLanguageModel: the batch size must be at least 1, got {batchSize}.");
        return new RecurrentState(Tensor.Zeros([batchSize, 0], DType.Int64));
    }

    /// <summary>The whole causal pass over a window of at most max_len ids: logits [N, W, V].</summary>
    Tensor Logits(Tensor window)
    {
        int n = window.Size(0), w = window.Size(1);
        var x = _dropout.Forward(_positionEmbedding.Forward(_tokenEmbedding.Forward(window)));   // [N, W, d]
        var causal = ~Functional.CausalMask(w, w);                                               // True = may not attend
        foreach (var layer in _layers) x = layer.Forward(x, causal, null);
        var h = _norm.Forward(x).Reshape(n * w, DModel);
        var logits = _head is not null ? _head.Forward(h) : h.MatMul(_tokenEmbedding.Weight.T());
        return logits.Reshape(n, w, VocabSize);
    }

    Tensor ContextOf(RecurrentState state, int batch)
    {
        var h = state.H;
        ArgumentNullException.ThrowIfNull(h);
        if (h.DType != DType.Int64 || h.Rank != 2 || h.Size(0) != batch || state.C is not null)
            throw new ArgumentException($"GptLanguageModel: the state is the context of token ids read so far, int64 [batch, tokens] with batch {batch} and no cell state; " +
                $"got {h.DType.TorchName()} of shape {h.Shape.ShapeString()}{(state.C is null ? "" : " with a cell state")}. Start from InitialState(batchSize) or null.");
        return h;
    }

    static Tensor JoinIds(Tensor left, Tensor right)
    {
        int n = left.Size(0), a = left.Size(1), b = right.Size(1);
        var l = left.Contiguous().ToArray<long>();
        var r = right.Contiguous().ToArray<long>();
        var joined = new long[n * (a + b)];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(l, i * a, joined, i * (a + b), a);
            Array.Copy(r, i * b, joined, i * (a + b) + a, b);
        }
        return Tensor.From(joined, n, a + b);
    }

    public override string ExtraRepr() =>
        $"vocab_size={VocabSize}, max_len={MaxLen}, d_model={DModel}, num_heads={NumHeads}, num_layers={NumLayers}, dim_feedforward={DimFeedforward}, " +
        $"dropout={DropoutP}, tie_weights={TieWeights}, activation={Activation}";
}
