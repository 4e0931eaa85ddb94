namespace Nabla.NN;

/// <summary>
/// Attention pooling as in the notes: a scoring function a(q, k) gives scores [B, Q, K], a masked softmax over the
/// keys turns them into weights, and the output is the weighted sum of the values, dropout(weights)·V [B, Q, v].
/// Subclasses supply the scores. The weights of the last call (before dropout, still on the autograd graph so a
/// loss may use them) are kept in <see cref="AttentionWeights"/> for inspection, as d2l's <c>attention_weights</c>.
/// </summary>
public abstract class AttentionPooling : Module
{
    readonly Dropout _dropout;

    protected AttentionPooling(double dropout)
    {
        _dropout = RegisterModule("dropout", new Dropout(dropout));
    }

    /// <summary>The dropout probability applied to the weights while training.</summary>
    public double DropoutP => _dropout.P;

    /// <summary>The attention weights [B, Q, K] of the last forward call, or null before the first.</summary>
    public Tensor? AttentionWeights { get; protected set; }

    /// <summary>The scores a(q, k) [..., Q, K] for queries [..., Q, dq] and keys [..., K, dk].</summary>
    protected abstract Tensor Scores(Tensor queries, Tensor keys);

    /// <summary>Whether the scoring function needs queries and keys of one width (dot products do).</summary>
    protected virtual bool NeedsEqualWidths => false;

    /// <summary>
    /// Pools <paramref name="values"/> [..., K, v] for <paramref name="queries"/> [..., Q, dq] over
    /// <paramref name="keys"/> [..., K, dk]. <paramref name="validLens"/> is int64 valid lengths ([B] or [B, Q])
    /// or a bool keep-mask (True = keep), read as by <see cref="Functional.MaskedSoftmax(Tensor, Tensor?)"/>.
    /// </summary>
    public virtual Tensor Forward(Tensor queries, Tensor keys, Tensor values, Tensor? validLens = null)
    {
        Functional.CheckQueriesKeysValues(queries, keys, values, NeedsEqualWidths, TypeName);
        var weights = Functional.MaskedSoftmax(Scores(queries, keys), validLens, TypeName);
        AttentionWeights = weights;
        return _dropout.Forward(weights).MatMul(values);
    }

    /// <summary>Self-attention: the input [..., T, d] is queries, keys and values at once.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, input, input);
}
