namespace Nabla.NN;

/// <summary>
/// Additive (Bahdanau) attention, the notes' version: a(q, k) = w_vᵀ tanh(W_q q + W_k k), which lets queries and
/// keys have different widths. Parameters (PyTorch/d2l names): <c>W_k.weight</c> [num_hiddens, key_size],
/// <c>W_q.weight</c> [num_hiddens, query_size], <c>w_v.weight</c> [1, num_hiddens], all without bias.
/// </summary>
public sealed class AdditiveAttention : AttentionPooling
{
    readonly Linear _wK, _wQ, _wV;

    public AdditiveAttention(int keySize, int querySize, int numHiddens, double dropout = 0, DType dtype = DType.Float32, Generator? generator = null)
        : base(dropout)
    {
        _wK = RegisterModule("W_k", new Linear(keySize, numHiddens, bias: false, dtype, generator));
        _wQ = RegisterModule("W_q", new Linear(querySize, numHiddens, bias: false, dtype, generator));
        _wV = RegisterModule("w_v", new Linear(numHiddens, 1, bias: false, dtype, generator));
    }

    protected override Tensor Scores(Tensor queries, Tensor keys)
    {
        if (queries.Size(-1) != _wQ.InFeatures || keys.Size(-1) != _wK.InFeatures)
            throw new ArgumentException($"AdditiveAttention: expected queries [..., Q, {_wQ.InFeatures}] and keys [..., K, {_wK.InFeatures}], got {queries.ShapeText} and {keys.ShapeText}.");
        // [..., Q, 1, h] + [..., 1, K, h] broadcasts to every (query, key) pair: [..., Q, K, h].
        var features = (_wQ.Forward(queries).Unsqueeze(-2) + _wK.Forward(keys).Unsqueeze(-3)).Tanh();
        return _wV.Forward(features).Squeeze(-1);
    }
}
