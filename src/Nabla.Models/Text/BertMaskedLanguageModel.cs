namespace Nabla.Models.Text;

/// <summary>
/// A small BERT-style encoder with a masked-language-model head (the notes' BERTModel without the next-sentence
/// head, d2l 15.8): token + learned position (+ optional segment) embeddings, a stack of post-norm Transformer
/// encoder layers (PyTorch's TransformerEncoderLayer, as the original BERT and d2l's EncoderBlock), and the MLM head
/// <c>dense → gelu → LayerNorm → decoder</c> giving logits over the vocabulary at every position. Attention is
/// bidirectional; padding is excluded through a key-padding mask.
/// </summary>
/// <remarks>
/// State-dict names as a PyTorch module with <c>token_embedding</c>, <c>position_embedding.weight</c> [max_len, d],
/// <c>segment_embedding</c> (only with segments), <c>layers.i.*</c> (nn.TransformerEncoderLayer, batch_first,
/// gelu), and <c>mlm.dense</c>, <c>mlm.norm</c>, <c>mlm.decoder</c>. Embeddings start N(0, 0.02²) (BERT's
/// initializer range) rather than nn.Embedding's N(0, 1); layers keep PyTorch's init. There is no LayerNorm on the
/// embeddings (d2l's model has none either). Train with <see cref="MlmMasking"/> and <see cref="Loss"/>.
/// </remarks>
public sealed class BertMaskedLanguageModel : Module
{
    readonly Embedding _tokenEmbedding;
    readonly LearnedPositionalEncoding _positionEmbedding;
    readonly Embedding? _segmentEmbedding;
    readonly Dropout _dropout;
    readonly ModuleList<TransformerEncoderLayer> _layers;
    readonly MlmHead _mlm;

    /// <param name="numSegments">segment (sentence A/B) types; 0: no segment embedding.</param>
    public BertMaskedLanguageModel(int vocabSize, int maxLen, int dModel = 64, int numHeads = 4, int numLayers = 2, int dimFeedforward = 128,
        double dropout = 0, int numSegments = 0, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (vocabSize < 1 || maxLen < 1 || dModel < 1 || numHeads < 1 || numLayers < 1 || dimFeedforward < 1 || numSegments < 0)
            throw new ArgumentException($"BertMaskedLanguageModel: sizes must be positive (segments ≥ 0), got vocab_size={vocabSize}, max_len={maxLen}, d_model={dModel}, " +
                $"num_heads={numHeads}, num_layers={numLayers}, dim_feedforward={dimFeedforward}, num_segments={numSegments}.");
        if (dModel % numHeads != 0)
            throw new ArgumentException($"BertMaskedLanguageModel: d_model {dModel} is not divisible by num_heads {numHeads}.");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentException($"BertMaskedLanguageModel: dropout must lie in [0, 1), got {dropout}.");
        VocabSize = vocabSize;
        MaxLen = maxLen;
        DModel = dModel;
        NumSegments = numSegments;

        _tokenEmbedding = RegisterModule("token_embedding", new Embedding(vocabSize, dModel, dtype: dtype, generator: generator));
        Init.Normal(_tokenEmbedding.Weight, 0, 0.02, generator);
        _positionEmbedding = RegisterModule("position_embedding", new LearnedPositionalEncoding(maxLen, dModel, dtype: dtype, generator: generator));
        Init.Normal(_positionEmbedding.Weight, 0, 0.02, generator);
        if (numSegments > 0)
        {
            _segmentEmbedding = RegisterModule("segment_embedding", new Embedding(numSegments, dModel, dtype: dtype, generator: generator));
            Init.Normal(_segmentEmbedding.Weight, 0, 0.02, generator);
        }
        _dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        _layers = RegisterModule("layers", new ModuleList<TransformerEncoderLayer>(Enumerable.Range(0, numLayers).Select(_ =>
            new TransformerEncoderLayer(dModel, numHeads, dimFeedforward, dropout, "gelu", batchFirst: true, normFirst: false, dtype: dtype, generator: generator))));
        _mlm = RegisterModule("mlm", new MlmHead(dModel, vocabSize, dtype, generator));
    }

    public int VocabSize { get; }
    public int MaxLen { get; }
    public int DModel { get; }
    public int NumSegments { get; }

    /// <summary>The encoder layers (post-norm).</summary>
    public IReadOnlyList<TransformerEncoderLayer> Layers => _layers;

    /// <summary>MLM logits [N, T, V] for token ids [N, T], no segments, no padding.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null, null);

    /// <summary>
    /// MLM logits [N, T, V] for token ids [N, T] (int64), <paramref name="segments"/> [N, T] (int64, needs
    /// num_segments &gt; 0) and <paramref name="padding"/> [N, T] (bool, True = a padding position no one attends to).
    /// </summary>
    public Tensor Forward(Tensor ids, Tensor? segments, Tensor? padding)
    {
        var h = Encode(ids, segments, padding);
        int n = h.Size(0), t = h.Size(1);
        return _mlm.Forward(h.Reshape(n * t, DModel)).Reshape(n, t, VocabSize);
    }

    /// <summary>The encoder's output [N, T, d] (the representations a downstream task would use).</summary>
    public Tensor Encode(Tensor ids, Tensor? segments = null, Tensor? padding = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2 || ids.DType != DType.Int64)
            throw new ArgumentException($"BertMaskedLanguageModel: expected token ids of shape [batch, steps] and dtype int64, got {ids.DType.TorchName()} of shape {ids.Shape.ShapeString()}.");
        if (ids.Size(1) > MaxLen)
            throw new ArgumentException($"BertMaskedLanguageModel: the input has {ids.Size(1)} positions (ids shape {ids.Shape.ShapeString()}) but the position table holds max_len = {MaxLen}.");
        var x = _tokenEmbedding.Forward(ids);
        if (segments is not null)
        {
            if (_segmentEmbedding is null)
                throw new ArgumentException("BertMaskedLanguageModel: segment ids were given but the model has no segment embedding (num_segments = 0).");
            if (!segments.Shape.SequenceEqual(ids.Shape) || segments.DType != DType.Int64)
                throw new ArgumentException($"BertMaskedLanguageModel: segment ids must be int64 of the ids' shape {ids.Shape.ShapeString()}, got {segments.DType.TorchName()} of shape {segments.Shape.ShapeString()}.");
            x = x + _segmentEmbedding.Forward(segments);
        }
        if (padding is not null && (!padding.Shape.SequenceEqual(ids.Shape) || padding.DType != DType.Bool))
            throw new ArgumentException($"BertMaskedLanguageModel: the padding mask must be bool of the ids' shape {ids.Shape.ShapeString()}, got {padding.DType.TorchName()} of shape {padding.Shape.ShapeString()}.");
        x = _dropout.Forward(_positionEmbedding.Forward(x));
        foreach (var layer in _layers) x = layer.Forward(x, null, padding);
        return x;
    }

    /// <summary>
    /// Mean cross-entropy of logits [N, T, V] over the chosen positions only: <paramref name="labels"/> [N, T] holds
    /// the original token there and <see cref="MlmMasking.Ignore"/> elsewhere, so other positions add nothing and get
    /// zero gradient.
    /// </summary>
    public static Tensor Loss(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Rank != 3 || labels.Rank != 2 || logits.Size(0) != labels.Size(0) || logits.Size(1) != labels.Size(1))
            throw new ArgumentException($"masked-LM loss: expected logits [N, T, V] and labels [N, T], got {logits.Shape.ShapeString()} and {labels.Shape.ShapeString()}.");
        return Functional.CrossEntropy(logits.Reshape(-1, logits.Size(2)), labels.Reshape(-1), ignoreIndex: MlmMasking.Ignore);
    }

    /// <summary>The MLM head: dense → gelu → LayerNorm → decoder (BERT's BertLMPredictionHead, untied).</summary>
    sealed class MlmHead : Module
    {
        readonly Linear _dense, _decoder;
        readonly LayerNorm _norm;

        public MlmHead(int dModel, int vocabSize, DType dtype, Generator? generator)
        {
            _dense = RegisterModule("dense", new Linear(dModel, dModel, dtype: dtype, generator: generator));
            _norm = RegisterModule("norm", new LayerNorm(dModel, dtype: dtype));
            _decoder = RegisterModule("decoder", new Linear(dModel, vocabSize, dtype: dtype, generator: generator));
        }

        public override Tensor Forward(Tensor input) => _decoder.Forward(_norm.Forward(Functional.Gelu(_dense.Forward(input))));
    }
}
