namespace Nabla.NN;

/// <summary>
/// One Transformer decoder layer, identical to PyTorch's nn.TransformerDecoderLayer: masked self-attention over the
/// target, cross-attention from the target to the encoder's memory, and the position-wise feed-forward net
/// (linear1 → activation → dropout → linear2), each wrapped in dropout, a residual connection and LayerNorm.
/// Post-norm (PyTorch's default): <c>x = norm1(x + sa(x)); x = norm2(x + mha(x, mem)); x = norm3(x + ff(x))</c>;
/// with <c>normFirst</c>: <c>x = x + sa(norm1(x)); x = x + mha(norm2(x), mem); x = x + ff(norm3(x))</c> (memory
/// itself is never normalised here: the encoder's final norm does that). Children and state-dict names as PyTorch:
/// <c>self_attn</c>, <c>multihead_attn</c>, <c>linear1</c>, <c>dropout</c>, <c>linear2</c>, <c>norm1..3</c>,
/// <c>dropout1..3</c>.
/// </summary>
public sealed class TransformerDecoderLayer : Module
{
    const string Op = "TransformerDecoderLayer";

    readonly MultiheadAttention _selfAttn, _crossAttn;
    readonly Linear _linear1, _linear2;
    readonly Dropout _dropout, _dropout1, _dropout2, _dropout3;
    readonly LayerNorm _norm1, _norm2, _norm3;
    readonly TransformerLayerOptions _options;

    public bool NormFirst => _options.NormFirst;

    /// <summary>"relu" (PyTorch's default) or "gelu".</summary>
    public string Activation => _options.Activation;

    public int DModel => _options.DModel;

    public TransformerDecoderLayer(int dModel, int nHead, int dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, DType dtype = DType.Float32, Generator? generator = null)
        : this(new TransformerLayerOptions(Op, dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, dtype, generator))
    {
    }

    TransformerDecoderLayer(TransformerLayerOptions o)
    {
        _options = o.Validated();
        _selfAttn = RegisterModule("self_attn", new MultiheadAttention(o.DModel, o.NHead, o.Dropout, bias: true, o.BatchFirst, o.DType, o.Generator));
        _crossAttn = RegisterModule("multihead_attn", new MultiheadAttention(o.DModel, o.NHead, o.Dropout, bias: true, o.BatchFirst, o.DType, o.Generator));
        _linear1 = RegisterModule("linear1", new Linear(o.DModel, o.DimFeedforward, bias: true, o.DType, o.Generator));
        _dropout = RegisterModule("dropout", new Dropout(o.Dropout, o.Generator));
        _linear2 = RegisterModule("linear2", new Linear(o.DimFeedforward, o.DModel, bias: true, o.DType, o.Generator));
        _norm1 = RegisterModule("norm1", new LayerNorm(o.DModel, o.LayerNormEps, dtype: o.DType));
        _norm2 = RegisterModule("norm2", new LayerNorm(o.DModel, o.LayerNormEps, dtype: o.DType));
        _norm3 = RegisterModule("norm3", new LayerNorm(o.DModel, o.LayerNormEps, dtype: o.DType));
        _dropout1 = RegisterModule("dropout1", new Dropout(o.Dropout, o.Generator));
        _dropout2 = RegisterModule("dropout2", new Dropout(o.Dropout, o.Generator));
        _dropout3 = RegisterModule("dropout3", new Dropout(o.Dropout, o.Generator));
    }

    public MultiheadAttention SelfAttn => _selfAttn;
    public MultiheadAttention MultiheadAttn => _crossAttn;

    /// <summary>A new layer with the same configuration, a copy of this one's parameters and its training mode (PyTorch's deepcopy).</summary>
    public TransformerDecoderLayer DeepCopy()
    {
        var copy = new TransformerDecoderLayer(_options);
        copy.LoadStateDict(StateDict());
        copy.Train(IsTraining);
        return copy;
    }

    /// <summary>A decoder layer needs the memory too; with only the target, use <see cref="Forward(Tensor, Tensor, Tensor?, Tensor?, Tensor?, Tensor?)"/>.</summary>
    public override Tensor Forward(Tensor tgt) =>
        throw new InvalidOperationException($"{Op}: forward needs the target and the encoder's memory; call Forward(tgt, memory, ...).");

    /// <summary>
    /// <paramref name="tgt"/> [T, N, E] and <paramref name="memory"/> [S, N, E] ([N, T, E] / [N, S, E] with batch_first,
    /// or unbatched [T, E] / [S, E]). <paramref name="tgtMask"/> [T, T] and <paramref name="tgtKeyPaddingMask"/> [N, T]
    /// go to the self-attention; <paramref name="memoryMask"/> [T, S] and <paramref name="memoryKeyPaddingMask"/> [N, S]
    /// to the cross-attention (bool True = ignore, or float added to the scores; see MultiheadAttention).
    /// </summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null,
        Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null)
    {
        ArgumentNullException.ThrowIfNull(tgt);
        ArgumentNullException.ThrowIfNull(memory);
        CheckTargetAndMemory(tgt, memory);
        var x = tgt;
        if (NormFirst)
        {
            x = x + SelfAttentionBlock(_norm1.Forward(x), tgtMask, tgtKeyPaddingMask);
            x = x + CrossAttentionBlock(_norm2.Forward(x), memory, memoryMask, memoryKeyPaddingMask);
            return x + FeedForwardBlock(_norm3.Forward(x));
        }
        x = _norm1.Forward(x + SelfAttentionBlock(x, tgtMask, tgtKeyPaddingMask));
        x = _norm2.Forward(x + CrossAttentionBlock(x, memory, memoryMask, memoryKeyPaddingMask));
        return _norm3.Forward(x + FeedForwardBlock(x));
    }

    /// <summary>Catches the common mistakes here, where both tensors can be named; MultiheadAttention checks the masks.</summary>
    void CheckTargetAndMemory(Tensor tgt, Tensor memory)
    {
        string shapes = $"tgt {tgt.ShapeText}, memory {memory.ShapeText}";
        if (tgt.Rank is not (2 or 3) || memory.Rank != tgt.Rank)
            throw new ArgumentException($"{Op}: tgt and memory must both be 3-D ({(_options.BatchFirst ? "[N, T, E] and [N, S, E], batch_first" : "[T, N, E] and [S, N, E]")}) or both 2-D unbatched ([T, E] and [S, E]), got {shapes}.");
        if (tgt.Size(-1) != DModel || memory.Size(-1) != DModel)
            throw new ArgumentException($"{Op}: tgt and memory must both have d_model {DModel} features in the last dimension, got {shapes}.");
        int batchDim = _options.BatchFirst ? 0 : 1;
        if (tgt.Rank == 3 && tgt.Size(batchDim) != memory.Size(batchDim))
            throw new ArgumentException($"{Op}: tgt and memory must have the same batch size (dim {batchDim}), got {shapes}.");
    }

    Tensor SelfAttentionBlock(Tensor x, Tensor? mask, Tensor? padding) =>
        _dropout1.Forward(_selfAttn.Forward(x, x, x, padding, needWeights: false, attnMask: mask).Output);

    Tensor CrossAttentionBlock(Tensor x, Tensor memory, Tensor? mask, Tensor? padding) =>
        _dropout2.Forward(_crossAttn.Forward(x, memory, memory, padding, needWeights: false, attnMask: mask).Output);

    Tensor FeedForwardBlock(Tensor x)
    {
        var hidden = _linear1.Forward(x);
        hidden = Activation == "relu" ? hidden.Relu() : Functional.Gelu(hidden);
        return _dropout3.Forward(_linear2.Forward(_dropout.Forward(hidden)));
    }
}
