namespace Nabla.NN;

/// <summary>
/// Local attention with a predicted centre and a Gaussian window (Luong et al. 2015, "local-p"). For each query q:
/// <code>
///   p      = (S − 1) · sigmoid(v_pᵀ tanh(W_p q))            centre in [0, S − 1], S = the row's valid length (else K)
///   a_j    = softmax over the keys j with |j − p| ≤ D of qᵀk_j / √d   (other keys, and masked keys, get 0)
///   w_j    = a_j · exp(−(j − p)² / (2σ²)),  σ = D / 2
///   output = Σ_j dropout(w)_j v_j
/// </code>
/// As in Luong, the Gaussian factor is not renormalised, so the weights of a row sum to at most 1. The window
/// edge |j − p| ≤ D is a hard cut (no gradient through it); gradients reach p through the Gaussian factor.
/// Parameters: <c>W_p.weight</c> [num_hiddens, query_size] and <c>v_p.weight</c> [1, num_hiddens], no biases.
/// The centres of the last call are kept in <see cref="Centers"/> [..., Q].
/// </summary>
public sealed class LocalAttention : AttentionPooling
{
    readonly Linear _wP, _vP;

    /// <summary>The window half-width D (in positions); the Gaussian's σ is D / 2.</summary>
    public int HalfWidth { get; }

    /// <summary>The predicted centres p of the last forward call, or null before the first.</summary>
    public Tensor? Centers { get; private set; }

    public LocalAttention(int querySize, int numHiddens, int halfWidth, double dropout = 0, DType dtype = DType.Float32, Generator? generator = null)
        : base(dropout)
    {
        if (halfWidth < 1)
            throw new ArgumentException($"LocalAttention: the window half-width D must be at least 1, got {halfWidth}.");
        HalfWidth = halfWidth;
        _wP = RegisterModule("W_p", new Linear(querySize, numHiddens, bias: false, dtype, generator));
        _vP = RegisterModule("v_p", new Linear(numHiddens, 1, bias: false, dtype, generator));
    }

    protected override bool NeedsEqualWidths => true;

    protected override Tensor Scores(Tensor queries, Tensor keys) =>
        queries.MatMul(keys.Transpose(-2, -1)) / Math.Sqrt(queries.Size(-1));

    public override Tensor Forward(Tensor queries, Tensor keys, Tensor values, Tensor? validLens = null)
    {
        Functional.CheckQueriesKeysValues(queries, keys, values, NeedsEqualWidths, TypeName);
        if (queries.Size(-1) != _wP.InFeatures)
            throw new ArgumentException($"LocalAttention: expected queries [..., Q, {_wP.InFeatures}], got {queries.ShapeText}.");
        var scores = Scores(queries, keys);
        int k = keys.Size(-2);

        // The span S − 1 the centre may range over, per query: [..., Q] (valid lengths) or a scalar (K − 1).
        Tensor span = Tensor.Scalar(Math.Max(k - 1, 0), queries.DType);
        Tensor? keep = null;
        if (validLens is not null)
        {
            keep = Functional.KeepMask(scores, validLens, TypeName);
            if (validLens.DType == DType.Int64)
                span = (validLens.To(queries.DType) - 1).Clamp(min: 0.0).Reshape(LengthShape(validLens, scores));
        }
        var p = span * _vP.Forward(_wP.Forward(queries).Tanh()).Squeeze(-1).Sigmoid();
        Centers = p;

        var distance = Tensor.Arange((long)k).To(queries.DType) - p.Unsqueeze(-1);
        var inWindow = distance.Detach().Abs() <= HalfWidth;
        keep = keep is null ? inWindow : keep & inWindow;
        double sigma = HalfWidth / 2.0;
        var gaussian = (distance * distance * (-1 / (2 * sigma * sigma))).Exp();
        var weights = Functional.MaskedSoftmax(scores, keep, TypeName) * gaussian;
        AttentionWeights = weights;
        return Functional.Dropout(weights, DropoutP, IsTraining, null, TypeName).MatMul(values);
    }

    /// <summary>Valid lengths [B] become [B, 1, …] so they broadcast over the queries; [B, Q] stay as they are.</summary>
    static int[] LengthShape(Tensor lengths, Tensor scores)
    {
        var lead = scores.Shape[..^1];
        if (lengths.Shape.SequenceEqual(lead)) return lead;
        var shape = Enumerable.Repeat(1, lead.Length).ToArray();
        shape[0] = lengths.Size(0);
        return shape;
    }

    public override string ExtraRepr() => $"half_width={HalfWidth}";
}
