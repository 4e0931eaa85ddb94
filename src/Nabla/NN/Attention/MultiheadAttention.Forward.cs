namespace Nabla.NN;

public sealed partial class MultiheadAttention
{
    const string Op = "MultiheadAttention";

    /// <summary>
    /// Attention of <paramref name="query"/> over <paramref name="key"/>/<paramref name="value"/>, as PyTorch's forward.
    /// Shapes: [L, N, E] / [S, N, E] ([N, L, E] / [N, S, E] with batch_first), or unbatched [L, E] / [S, E].
    /// <paramref name="keyPaddingMask"/> [N, S] (or [S] unbatched): bool True = ignore that key, or float added to the
    /// scores. <paramref name="attnMask"/> [L, S] or [N·num_heads, L, S]: bool True = not allowed, or float added.
    /// Returns the output (the query's layout) and, when <paramref name="needWeights"/>, the attention weights after
    /// dropout: [N, L, S] averaged over heads, or [N, num_heads, L, S] when <paramref name="averageAttnWeights"/> is
    /// false. A query whose every key is masked throws (PyTorch would return NaN); see docs/attention.md.
    /// </summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null,
        bool needWeights = true, Tensor? attnMask = null, bool averageAttnWeights = true)
    {
        bool batched = CheckInputs(query, key, value);
        // Work batch-first internally: [N, L, E]. Transposes are views; unbatched inputs get a batch of one.
        var q = ToBatchFirst(query, batched);
        var k = ReferenceEquals(key, query) ? q : ToBatchFirst(key, batched);
        var v = ReferenceEquals(value, key) ? k : ToBatchFirst(value, batched);
        int n = q.Size(0), l = q.Size(1), s = k.Size(1);
        if (!batched && keyPaddingMask is not null) keyPaddingMask = keyPaddingMask.Unsqueeze(0);
        var (attn, padding) = PrepareMasks(attnMask, keyPaddingMask, n, l, s, q.DType);

        var (qp, kp, vp) = Project(q, k, v);
        // [N, T, E] → [N, H, T, d]: one batched matmul over every (batch, head) pair, no per-head loop.
        var qh = SplitHeads(qp, n, l) / Math.Sqrt(HeadDim);
        var kh = SplitHeads(kp, n, s);
        var vh = SplitHeads(vp, n, s);
        var scores = qh.MatMul(kh.Transpose(-2, -1));
        scores = ApplyMask(scores, attn);
        scores = ApplyMask(scores, padding);
        var weights = Functional.Dropout(scores.Softmax(-1), DropoutP, IsTraining, _generator, Op);
        var heads = weights.MatMul(vh);
        if (RecordWeights) LastWeights = (weights.Sum(1) / NumHeads).Detach();

        var merged = heads.Permute(0, 2, 1, 3).Reshape(n, l, EmbedDim);
        var output = _outProj.Forward(merged);
        output = batched ? (BatchFirst ? output : output.Transpose(0, 1)) : output.Squeeze(0);
        if (!needWeights) return (output, null);
        var shown = averageAttnWeights ? weights.Sum(1) / NumHeads : weights;
        return (output, batched ? shown : shown.Squeeze(0));
    }

    /// <summary>Self-attention with optional masks: query = key = value = <paramref name="input"/>.</summary>
    public (Tensor Output, Tensor? Weights) SelfAttention(Tensor input, Tensor? keyPaddingMask = null, bool needWeights = true,
        Tensor? attnMask = null, bool averageAttnWeights = true) =>
        Forward(input, input, input, keyPaddingMask, needWeights, attnMask, averageAttnWeights);

    /// <summary>Checks ranks, widths, batch sizes and dtypes; returns whether the inputs are batched (rank 3).</summary>
    bool CheckInputs(Tensor query, Tensor key, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        string shapes = $"query {query.ShapeText}, key {key.ShapeText}, value {value.ShapeText}";
        string layout = BatchFirst ? "[N, L, E] (batch_first)" : "[L, N, E]";
        if (query.Rank is not (2 or 3) || key.Rank != query.Rank || value.Rank != query.Rank)
            throw new ArgumentException($"{Op}: query, key and value must all be 3-D {layout} or all 2-D unbatched [L, E], got {shapes}.");
        if (query.Size(-1) != EmbedDim || key.Size(-1) != EmbedDim || value.Size(-1) != EmbedDim)
            throw new ArgumentException($"{Op}: expected embed_dim {EmbedDim} as the last dimension of query, key and value, got {shapes}.");
        if (!key.Shape.SequenceEqual(value.Shape))
            throw new ArgumentException($"{Op}: key and value must have the same shape, got {shapes}.");
        if (query.Rank == 3)
        {
            int batchDim = BatchFirst ? 0 : 1;
            if (query.Size(batchDim) != key.Size(batchDim))
                throw new ArgumentException($"{Op}: query and key must have the same batch size (dim {batchDim}), got {shapes}.");
        }
        var dtype = InProjWeight.DType;
        if (query.DType != dtype || key.DType != dtype || value.DType != dtype)
            throw new ArgumentException($"{Op}: query, key and value must be {dtype.TorchName()} like the parameters, got {query.DType.TorchName()}, {key.DType.TorchName()} and {value.DType.TorchName()} ({shapes}).");
        return query.Rank == 3;
    }

    Tensor ToBatchFirst(Tensor x, bool batched) => !batched ? x.Unsqueeze(0) : BatchFirst ? x : x.Transpose(0, 1);

    /// <summary>
    /// The in-projection. Self-attention multiplies once by the whole [3E, E] weight and splits the result;
    /// otherwise query and key/value use row blocks of in_proj_weight (views, so gradients land in the one parameter).
    /// </summary>
    (Tensor Q, Tensor K, Tensor V) Project(Tensor q, Tensor k, Tensor v)
    {
        var w = InProjWeight;
        var b = InProjBias;
        int e = EmbedDim;
        if (ReferenceEquals(q, k) && ReferenceEquals(k, v))
        {
            var qkv = Functional.Linear(q, w, b, Op);
            return (qkv.Narrow(-1, 0, e), qkv.Narrow(-1, e, e), qkv.Narrow(-1, 2 * e, e));
        }
        var qp = Functional.Linear(q, w.Narrow(0, 0, e), b?.Narrow(0, 0, e), Op);
        if (ReferenceEquals(k, v))
        {
            var kv = Functional.Linear(k, w.Narrow(0, e, 2 * e), b?.Narrow(0, e, 2 * e), Op);
            return (qp, kv.Narrow(-1, 0, e), kv.Narrow(-1, e, e));
        }
        var kp = Functional.Linear(k, w.Narrow(0, e, e), b?.Narrow(0, e, e), Op);
        var vp = Functional.Linear(v, w.Narrow(0, 2 * e, e), b?.Narrow(0, 2 * e, e), Op);
        return (qp, kp, vp);
    }

    Tensor SplitHeads(Tensor x, int n, int t) => x.Reshape(n, t, NumHeads, HeadDim).Permute(0, 2, 1, 3);
}
