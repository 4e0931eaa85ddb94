namespace Nabla.NN;

/// <summary>
/// Dot-product attention, a(q, k) = qᵀk, without scaling. Queries and keys must have one width. No parameters.
/// For the notes' DotProductAttention (which divides by √d) use <see cref="ScaledDotProductAttention"/>.
/// </summary>
public class DotProductAttention : AttentionPooling
{
    public DotProductAttention(double dropout = 0) : base(dropout) { }

    protected override bool NeedsEqualWidths => true;

    protected override Tensor Scores(Tensor queries, Tensor keys) => queries.MatMul(keys.Transpose(-2, -1));
}
