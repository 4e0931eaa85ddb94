namespace Nabla.NN;

/// <summary>
/// Hard attention: each query takes the value of its single best key under scaled dot-product scores (argmax; the
/// first on ties), instead of a weighted average. The weights are one-hot [B, Q, K] and carry no gradient: the
/// choice itself is not differentiable, so gradients reach the selected values only, never the queries or keys
/// (training the choice needs REINFORCE-style estimators, which this module does not provide). Masked keys
/// (valid lengths or a bool keep-mask) are never chosen unless a row has no visible key, where key 0 is taken.
/// </summary>
public sealed class HardAttention : AttentionPooling
{
    public HardAttention() : base(0) { }

    protected override bool NeedsEqualWidths => true;

    protected override Tensor Scores(Tensor queries, Tensor keys) =>
        queries.MatMul(keys.Transpose(-2, -1)) / Math.Sqrt(queries.Size(-1));

    public override Tensor Forward(Tensor queries, Tensor keys, Tensor values, Tensor? validLens = null)
    {
        Functional.CheckQueriesKeysValues(queries, keys, values, NeedsEqualWidths, TypeName);
        Tensor choice;
        using (new Autograd.NoGrad())
        {
            var scores = Scores(queries, keys);
            if (validLens is not null) scores = scores.MaskedFill(~Functional.KeepMask(scores, validLens, TypeName), Functional.MaskedScore);
            var best = scores.ArgMax(-1, keepDim: true);
            choice = Tensor.ZerosLike(scores).Scatter(-1, best, 1.0);
        }
        AttentionWeights = choice;
        // A one-hot product selects the chosen value row; its gradient flows to that row of the values only.
        return choice.MatMul(values);
    }
}
