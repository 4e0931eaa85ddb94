namespace Nabla.NN;

/// <summary>
/// Scaled dot-product attention, a(q, k) = qᵀk / √d with d the query width, so that the scores keep unit variance
/// for unit-variance inputs whatever d is. This is the notes' (d2l's) DotProductAttention. No parameters.
/// </summary>
public sealed class ScaledDotProductAttention : DotProductAttention
{
    public ScaledDotProductAttention(double dropout = 0) : base(dropout) { }

    protected override Tensor Scores(Tensor queries, Tensor keys) => base.Scores(queries, keys) / Math.Sqrt(queries.Size(-1));
}
