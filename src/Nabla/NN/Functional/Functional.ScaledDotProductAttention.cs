namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>
    /// Scaled dot-product attention pooling: weights = masked_softmax(Q·Kᵀ / √d, <paramref name="mask"/>), output =
    /// dropout(weights)·V. <paramref name="queries"/> [..., Q, d], <paramref name="keys"/> [..., K, d],
    /// <paramref name="values"/> [..., K, v] share their leading (batch) dims. The mask is read as by
    /// <see cref="MaskedSoftmax(Tensor, Tensor?)"/>: int64 valid lengths or a bool keep-mask (True = keep).
    /// Returns the output [..., Q, v] and the weights before dropout [..., Q, K].
    /// </summary>
    public static (Tensor Output, Tensor Weights) ScaledDotProductAttention(Tensor queries, Tensor keys, Tensor values,
        Tensor? mask = null, double dropout = 0, bool training = true, Generator? generator = null) =>
        ScaledDotProductAttention(queries, keys, values, mask, dropout, training, generator, 1 / Math.Sqrt(queries.Size(-1)), "scaled_dot_product_attention");

    internal static (Tensor Output, Tensor Weights) ScaledDotProductAttention(Tensor queries, Tensor keys, Tensor values,
        Tensor? mask, double dropout, bool training, Generator? generator, double scale, string op)
    {
        CheckQueriesKeysValues(queries, keys, values, sameWidth: true, op);
        var scores = queries.MatMul(keys.Transpose(-2, -1));
        if (scale != 1) scores = scores * scale;
        var weights = MaskedSoftmax(scores, mask, op);
        var pooled = Dropout(weights, dropout, training, generator, op).MatMul(values);
        return (pooled, weights);
    }

    /// <summary>
    /// The shape contract of attention pooling: queries [..., Q, dq], keys [..., K, dk], values [..., K, dv] with equal
    /// leading dims, one dtype, and (for dot-product scores) dq = dk.
    /// </summary>
    internal static void CheckQueriesKeysValues(Tensor queries, Tensor keys, Tensor values, bool sameWidth, string op)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        string shapes = $"queries {queries.ShapeText}, keys {keys.ShapeText}, values {values.ShapeText}";
        if (queries.Rank < 2 || keys.Rank != queries.Rank || values.Rank != queries.Rank)
            throw new ArgumentException($"{op}: queries, keys and values must have the same rank ≥ 2 ([..., Q, d], [..., K, d], [..., K, v]), got {shapes}.");
        if (!queries.Shape[..^2].SequenceEqual(keys.Shape[..^2]) || !keys.Shape[..^2].SequenceEqual(values.Shape[..^2]))
            throw new ArgumentException($"{op}: queries, keys and values must share their leading (batch) dimensions, got {shapes}.");
        if (keys.Size(-2) != values.Size(-2))
            throw new ArgumentException($"{op}: keys and values must hold the same number of positions, got {shapes}.");
        if (sameWidth && queries.Size(-1) != keys.Size(-1))
            throw new ArgumentException($"{op}: dot-product scores need queries and keys of one width, got {shapes}.");
        if (!queries.DType.IsFloating() || keys.DType != queries.DType || values.DType != queries.DType)
            throw new ArgumentException($"{op}: queries, keys and values must be floating point of one dtype, got {queries.DType.TorchName()}, {keys.DType.TorchName()} and {values.DType.TorchName()} ({shapes}).");
    }
}
