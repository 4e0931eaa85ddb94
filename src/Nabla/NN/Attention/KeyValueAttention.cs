namespace Nabla.NN;

/// <summary>
/// Key-value attention (Daniluk et al. 2017, as the notes describe it): each memory vector is split into a key
/// part (its first <see cref="KeySize"/> features), used only to score against the queries, and a value part (the
/// rest), which is pooled. Scores are scaled dot products, so queries have width key_size. With separate keys and
/// values, <see cref="AttentionPooling.Forward(Tensor, Tensor, Tensor, Tensor?)"/> works as in every pooling module.
/// </summary>
public sealed class KeyValueAttention : AttentionPooling
{
    public int KeySize { get; }

    public KeyValueAttention(int keySize, double dropout = 0) : base(dropout)
    {
        if (keySize <= 0)
            throw new ArgumentException($"KeyValueAttention: key_size must be positive, got {keySize}.");
        KeySize = keySize;
    }

    protected override bool NeedsEqualWidths => true;

    protected override Tensor Scores(Tensor queries, Tensor keys) =>
        queries.MatMul(keys.Transpose(-2, -1)) / Math.Sqrt(queries.Size(-1));

    /// <summary>Queries [..., Q, key_size] attend over <paramref name="memory"/> [..., K, key_size + value_size].</summary>
    public Tensor Forward(Tensor queries, Tensor memory, Tensor? validLens = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (memory.Rank < 2 || memory.Size(-1) <= KeySize)
            throw new ArgumentException($"KeyValueAttention: memory must be [..., K, key_size + value_size] with key_size {KeySize} and value_size ≥ 1, got shape {memory.ShapeText}.");
        var keys = memory.Narrow(-1, 0, KeySize);
        var values = memory.Narrow(-1, KeySize, memory.Size(-1) - KeySize);
        return Forward(queries, keys, values, validLens);
    }

    public override string ExtraRepr() => $"key_size={KeySize}";
}
