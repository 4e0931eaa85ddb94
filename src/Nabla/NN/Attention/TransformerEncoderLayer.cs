namespace Nabla.NN;

/// <summary>
/// One Transformer encoder layer, identical to PyTorch's nn.TransformerEncoderLayer: self-attention and a
/// position-wise feed-forward net (linear1 → activation → dropout → linear2), each wrapped in dropout, a residual
/// connection and LayerNorm. Post-norm (the original paper, PyTorch's default):
/// <c>x = norm1(x + sa(x)); x = norm2(x + ff(x))</c>; with <c>normFirst</c> (pre-norm):
/// <c>x = x + sa(norm1(x)); x = x + ff(norm2(x))</c>. Children and state-dict names as PyTorch: <c>self_attn.*</c>,
/// <c>linear1</c>, <c>dropout</c>, <c>linear2</c>, <c>norm1</c>, <c>norm2</c>, <c>dropout1</c>, <c>dropout2</c>.
/// </summary>
public sealed class TransformerEncoderLayer : Module
{
    readonly MultiheadAttention _selfAttn;
    readonly Linear _linear1, _linear2;
    readonly Dropout _dropout, _dropout1, _dropout2;
    readonly LayerNorm _norm1, _norm2;

    readonly TransformerLayerOptions _options;

    public bool NormFirst => _options.NormFirst;

    /// <summary>"relu" (PyTorch's default) or "gelu".</summary>
    public string Activation => _options.Activation;

    public TransformerEncoderLayer(int dModel, int nHead, int dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, DType dtype = DType.Float32, Generator? generator = null)
        : this(new TransformerLayerOptions("TransformerEncoderLayer", dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, dtype, generator))
    {
    }

    TransformerEncoderLayer(TransformerLayerOptions o)
    {
        _options = o.Validated();
        _selfAttn = RegisterModule("self_attn", new MultiheadAttention(o.DModel, o.NHead, o.Dropout, bias: true, o.BatchFirst, o.DType, o.Generator));
        _linear1 = RegisterModule("linear1", new Linear(o.DModel, o.DimFeedforward, bias: true, o.DType, o.Generator));
        _dropout = RegisterModule("dropout", new Dropout(o.Dropout, o.Generator));
        _linear2 = RegisterModule("linear2", new Linear(o.DimFeedforward, o.DModel, bias: true, o.DType, o.Generator));
        _norm1 = RegisterModule("norm1", new LayerNorm(o.DModel, o.LayerNormEps, dtype: o.DType));
        _norm2 = RegisterModule("norm2", new LayerNorm(o.DModel, o.LayerNormEps, dtype: o.DType));
        _dropout1 = RegisterModule("dropout1", new Dropout(o.Dropout, o.Generator));
        _dropout2 = RegisterModule("dropout2", new Dropout(o.Dropout, o.Generator));
    }

    /// <summary>A new layer with the same configuration, a copy of this one's parameters and its training mode (PyTorch's deepcopy).</summary>
    public TransformerEncoderLayer DeepCopy()
    {
        var copy = new TransformerEncoderLayer(_options);
        copy.LoadStateDict(StateDict());
        copy.Train(IsTraining);
        return copy;
    }

    public MultiheadAttention SelfAttn => _selfAttn;

    public override Tensor Forward(Tensor src) => Forward(src, null, null);

    /// <summary>
    /// <paramref name="src"/> [S, N, E] ([N, S, E] with batch_first, or unbatched [S, E]); <paramref name="srcMask"/>
    /// and <paramref name="srcKeyPaddingMask"/> are MultiheadAttention's attn_mask and key_padding_mask (True = ignore).
    /// </summary>
    public Tensor Forward(Tensor src, Tensor? srcMask, Tensor? srcKeyPaddingMask)
    {
        ArgumentNullException.ThrowIfNull(src);
        var x = src;
        if (NormFirst)
        {
            x = x + SelfAttentionBlock(_norm1.Forward(x), srcMask, srcKeyPaddingMask);
            return x + FeedForwardBlock(_norm2.Forward(x));
        }
        x = _norm1.Forward(x + SelfAttentionBlock(x, srcMask, srcKeyPaddingMask));
        return _norm2.Forward(x + FeedForwardBlock(x));
    }

    Tensor SelfAttentionBlock(Tensor x, Tensor? mask, Tensor? padding) =>
        _dropout1.Forward(_selfAttn.Forward(x, x, x, padding, needWeights: false, attnMask: mask).Output);

    Tensor FeedForwardBlock(Tensor x)
    {
        var hidden = _linear1.Forward(x);
        hidden = Activation == "relu" ? hidden.Relu() : Functional.Gelu(hidden);
        return _dropout2.Forward(_linear2.Forward(_dropout.Forward(hidden)));
    }
}
