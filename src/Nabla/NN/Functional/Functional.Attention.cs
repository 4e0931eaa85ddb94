namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>
    /// The score given to masked positions before the softmax, as in the notes (d2l's <c>masked_softmax</c>):
    /// exp(−10⁶ − max) underflows to exactly 0 next to any real score, and a row whose every position is masked
    /// becomes uniform instead of NaN (all its scores are equal).
    /// </summary>
    public const double MaskedScore = -1e6;

    /// <summary>
    /// Softmax over the last axis of <paramref name="scores"/> with some positions left out (the notes'
    /// masked_softmax). <paramref name="mask"/> decides by its dtype:
    /// <list type="bullet">
    /// <item>int64 valid lengths: shape [B] (one length per leading row, shared by every query) or the shape of
    /// <paramref name="scores"/> without its last axis (e.g. [B, Q], one length per query); position j is kept
    /// when j &lt; length.</item>
    /// <item>bool keep-mask broadcastable to <paramref name="scores"/>: True = keep (PyTorch 2's
    /// scaled_dot_product_attention convention, and the notes' sequence mask). <see cref="CausalMask"/> builds one.</item>
    /// <item>null: a plain softmax.</item>
    /// </list>
    /// Masked positions receive the score <see cref="MaskedScore"/>, so they get exactly zero weight and zero
    /// gradient; a fully masked row is uniform (the notes' behaviour), never NaN.
    /// </summary>
    public static Tensor MaskedSoftmax(Tensor scores, Tensor? mask) => MaskedSoftmax(scores, mask, "masked_softmax");

    internal static Tensor MaskedSoftmax(Tensor scores, Tensor? mask, string op)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (!scores.DType.IsFloating())
            throw new ArgumentException($"{op}: expected floating-point scores, got {scores.DType.TorchName()} of shape {scores.ShapeText}.");
        if (scores.Rank == 0)
            throw new ArgumentException($"{op}: scores need at least 1 dimension (the axis the softmax runs over), got a 0-d tensor.");
        if (mask is null) return scores.Softmax(-1);
        var keep = KeepMask(scores, mask, op);
        return scores.MaskedFill(~keep, MaskedScore).Softmax(-1);
    }

    /// <summary>The bool keep-mask (True = keep) that valid lengths or a bool mask stand for, broadcastable to <paramref name="scores"/>.</summary>
    internal static Tensor KeepMask(Tensor scores, Tensor mask, string op)
    {
        if (mask.DType == DType.Bool)
        {
            if (!BroadcastsTo(mask.Shape, scores.Shape))
                throw new ArgumentException($"{op}: the bool mask of shape {mask.ShapeText} does not broadcast to the scores of shape {scores.ShapeText}.");
            return mask;
        }
        if (mask.DType != DType.Int64)
            throw new ArgumentException($"{op}: valid lengths must be int64 (or pass a bool mask, True = keep), got {mask.DType.TorchName()} of shape {mask.ShapeText}.");
        int k = scores.Size(-1);
        var lead = scores.Shape[..^1];
        Tensor lengths;
        if (mask.Rank == 1 && lead.Length >= 1 && mask.Size(0) == lead[0])
        {
            // One length per leading row: [B] → [B, 1, …, 1] so it is shared by every query of that row.
            var shape = Enumerable.Repeat(1, scores.Rank).ToArray();
            shape[0] = mask.Size(0);
            lengths = mask.Reshape(shape);
        }
        else if (mask.Shape.SequenceEqual(lead))
            lengths = mask.Unsqueeze(-1);
        else
            throw new ArgumentException($"{op}: valid lengths of shape {mask.ShapeText} do not fit scores of shape {scores.ShapeText}; expected [{(lead.Length > 0 ? lead[0] : 1)}] or [{string.Join(", ", lead)}].");
        return Tensor.Arange((long)k) < lengths;
    }

    static bool BroadcastsTo(int[] from, int[] to)
    {
        if (from.Length > to.Length) return false;
        for (int i = 1; i <= from.Length; i++)
            if (from[^i] != 1 && from[^i] != to[^i]) return false;
        return true;
    }

    /// <summary>
    /// The causal keep-mask [queries, keys] for <see cref="MaskedSoftmax"/>: True where key j ≤ query i
    /// (aligned at the top left, as torch.tril(ones(L, S))); a query never sees a later position.
    /// </summary>
    public static Tensor CausalMask(int queries, int keys)
    {
        if (queries < 0 || keys < 0)
            throw new ArgumentException($"causal_mask: sizes must be non-negative, got {queries} queries and {keys} keys.");
        return Tensor.Arange((long)keys).Unsqueeze(0) <= Tensor.Arange((long)queries).Unsqueeze(1);
    }

    /// <summary>
    /// PyTorch's nn.Transformer.generate_square_subsequent_mask: a float [size, size] additive mask, 0 on and below
    /// the diagonal and −∞ above it, for <see cref="MultiheadAttention"/>'s attn_mask.
    /// </summary>
    public static Tensor SquareSubsequentMask(int size, DType dtype = DType.Float32)
    {
        if (!dtype.IsFloating())
            throw new ArgumentException($"square_subsequent_mask: the mask must be float32 or float64, got {dtype.TorchName()}.");
        var blocked = ~CausalMask(size, size);
        return Tensor.Zeros([size, size], dtype).MaskedFill(blocked, double.NegativeInfinity);
    }
}
