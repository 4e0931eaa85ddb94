using Nabla.NN;

namespace Nabla.Tests.NN.Attention;

/// <summary>Wrong shapes, dtypes and sizes get exceptions naming the layer and the shapes involved.</summary>
public class AttentionBadInputTests
{
    static string Fails(Action a) => Assert.Throws<ArgumentException>(a).Message;

    static Tensor X(params int[] shape) => Tensor.Randn(shape);

    [Fact]
    public void HeadsMustDivideTheWidth() =>
        Assert.Equal("MultiheadAttention: embed_dim 10 must be divisible by num_heads 3 (each head gets embed_dim / num_heads features).",
            Fails(() => new MultiheadAttention(10, 3)));

    [Fact]
    public void EncoderLayerBadConfiguration()
    {
        Assert.Equal("TransformerEncoderLayer: activation must be 'relu' or 'gelu', got 'tanh'.",
            Fails(() => new TransformerEncoderLayer(8, 2, activation: "tanh")));
        Assert.StartsWith("MultiheadAttention: embed_dim 6 must be divisible by num_heads 4", Fails(() => new TransformerEncoderLayer(6, 4)));
        var layer = new TransformerEncoderLayer(8, 2, 16, batchFirst: true);
        Assert.Equal("MultiheadAttention: key_padding_mask must have shape [N, S] = [2, 5], got [5, 2].",
            Fails(() => layer.Forward(X(2, 5, 8), null, Tensor.Zeros([5, 2], DType.Bool))));
    }

    [Fact]
    public void DecoderLayerBadInput()
    {
        Assert.Equal("TransformerDecoderLayer: activation must be 'relu' or 'gelu', got 'tanh'.",
            Fails(() => new TransformerDecoderLayer(8, 2, activation: "tanh")));
        var layer = new TransformerDecoderLayer(8, 2, 16);
        Assert.Equal("TransformerDecoderLayer: tgt and memory must both have d_model 8 features in the last dimension, got tgt [4, 2, 8], memory [5, 2, 6].",
            Fails(() => layer.Forward(X(4, 2, 8), X(5, 2, 6))));
        Assert.Equal("TransformerDecoderLayer: tgt and memory must have the same batch size (dim 1), got tgt [4, 2, 8], memory [5, 3, 8].",
            Fails(() => layer.Forward(X(4, 2, 8), X(5, 3, 8))));
        Assert.Equal("TransformerDecoderLayer: tgt and memory must both be 3-D ([T, N, E] and [S, N, E]) or both 2-D unbatched ([T, E] and [S, E]), got tgt [4, 2, 8], memory [5, 8].",
            Fails(() => layer.Forward(X(4, 2, 8), X(5, 8))));
        // Masks are checked by the attention they go to, with the sizes it expected.
        Assert.Equal("MultiheadAttention: the 2-D attn_mask must have shape [L, S] = [4, 4], got [4, 5].",
            Fails(() => layer.Forward(X(4, 2, 8), X(5, 2, 8), tgtMask: Tensor.Zeros([4, 5], DType.Bool))));
        Assert.Equal("MultiheadAttention: the 2-D attn_mask must have shape [L, S] = [4, 5], got [4, 4].",
            Fails(() => layer.Forward(X(4, 2, 8), X(5, 2, 8), memoryMask: Tensor.Zeros([4, 4], DType.Bool))));
        Assert.Equal("MultiheadAttention: key_padding_mask must have shape [N, S] = [2, 5], got [2, 4].",
            Fails(() => layer.Forward(X(4, 2, 8), X(5, 2, 8), memoryKeyPaddingMask: Tensor.Zeros([2, 4], DType.Bool))));
        Assert.Throws<InvalidOperationException>(() => layer.Forward(X(4, 2, 8)));
    }

    [Fact]
    public void StackAndTransformerBadInput()
    {
        Assert.Equal("TransformerEncoder: num_layers must be at least 1, got 0.",
            Fails(() => new TransformerEncoder(new TransformerEncoderLayer(8, 2, 16), 0)));
        Assert.Equal("TransformerDecoder: num_layers must be at least 1, got -1.",
            Fails(() => new TransformerDecoder(new TransformerDecoderLayer(8, 2, 16), -1)));
        var t = new Transformer(8, 2, 1, 1, 16, batchFirst: true);
        Assert.Equal("Transformer: the batch number of src and tgt must be equal (dim 0), got src [2, 5, 8], tgt [3, 4, 8].",
            Fails(() => t.Forward(X(2, 5, 8), X(3, 4, 8))));
        Assert.Equal("Transformer: the feature number of src and tgt must be equal to d_model 8, got src [2, 5, 8], tgt [2, 4, 6].",
            Fails(() => t.Forward(X(2, 5, 8), X(2, 4, 6))));
        Assert.Equal("Transformer: src and tgt must both be 3-D or both 2-D unbatched, got src [2, 5, 8], tgt [4, 8].",
            Fails(() => t.Forward(X(2, 5, 8), X(4, 8))));
    }

    [Fact]
    public void MhaAttnMaskOfTheWrongShape()
    {
        var m = new MultiheadAttention(8, 2);
        var x = X(4, 2, 8);
        Assert.Equal("MultiheadAttention: the 2-D attn_mask must have shape [L, S] = [4, 4], got [4, 5].",
            Fails(() => m.Forward(x, x, x, attnMask: Tensor.Zeros([4, 5], DType.Bool))));
        Assert.Equal("MultiheadAttention: the 3-D attn_mask must have shape [N·num_heads, L, S] = [4, 4, 4], got [2, 4, 4].",
            Fails(() => m.Forward(x, x, x, attnMask: Tensor.Zeros([2, 4, 4], DType.Bool))));
        Assert.Contains("attn_mask must be 2-D [L, S] = [4, 4] or 3-D", Fails(() => m.Forward(x, x, x, attnMask: Tensor.Zeros([4], DType.Bool))));
    }

    [Fact]
    public void MhaKeyPaddingMaskOfTheWrongShape()
    {
        var m = new MultiheadAttention(8, 2, batchFirst: true);
        var q = X(2, 3, 8);
        var kv = X(2, 5, 8);
        Assert.Equal("MultiheadAttention: key_padding_mask must have shape [N, S] = [2, 5], got [2, 3].",
            Fails(() => m.Forward(q, kv, kv, Tensor.Zeros([2, 3], DType.Bool))));
    }

    [Fact]
    public void MhaMaskOfTheWrongDType()
    {
        var m = new MultiheadAttention(8, 2);
        var x = X(4, 2, 8);
        Assert.Equal("MultiheadAttention: attn_mask must be bool (True = ignore) or float32 (added to the scores), got int64 of shape [4, 4].",
            Fails(() => m.Forward(x, x, x, attnMask: Tensor.Zeros([4, 4], DType.Int64))));
        Assert.Contains("key_padding_mask must be bool (True = ignore) or float32", Fails(() => m.Forward(x, x, x, Tensor.Zeros([2, 4], DType.Float64))));
    }

    [Fact]
    public void MhaQueryKeyValueMismatches()
    {
        var m = new MultiheadAttention(8, 2);
        Assert.Equal("MultiheadAttention: key and value must have the same shape, got query [4, 2, 8], key [5, 2, 8], value [6, 2, 8].",
            Fails(() => m.Forward(X(4, 2, 8), X(5, 2, 8), X(6, 2, 8))));
        Assert.Equal("MultiheadAttention: expected embed_dim 8 as the last dimension of query, key and value, got query [4, 2, 6], key [5, 2, 8], value [5, 2, 8].",
            Fails(() => m.Forward(X(4, 2, 6), X(5, 2, 8), X(5, 2, 8))));
        Assert.Equal("MultiheadAttention: query and key must have the same batch size (dim 1), got query [4, 2, 8], key [5, 3, 8], value [5, 3, 8].",
            Fails(() => m.Forward(X(4, 2, 8), X(5, 3, 8), X(5, 3, 8))));
        Assert.Contains("must all be 3-D [L, N, E] or all 2-D unbatched [L, E], got query [4, 2, 8], key [5, 8]",
            Fails(() => m.Forward(X(4, 2, 8), X(5, 8), X(5, 8))));
        Assert.Contains("must be float32 like the parameters", Fails(() => m.Forward(X(4, 2, 8).Double(), X(5, 2, 8), X(5, 2, 8))));
    }

    [Fact]
    public void MhaFullyMaskedQueryIsRefusedNotNaN()
    {
        var m = new MultiheadAttention(8, 2);
        var x = X(3, 2, 8);
        var padding = Tensor.From(new[] { false, false, false, true, true, true }, 2, 3);
        var message = Fails(() => m.Forward(x, x, x, padding));
        Assert.Contains("every key is masked for the row at index [1, 0, 0] of the combined mask of shape [2, 1, 1, 3]", message);
        Assert.Contains("PyTorch would return NaN", message);
        // A float mask of −∞ counts as blocking too.
        var minusInf = Tensor.Full([3, 3], double.NegativeInfinity);
        Assert.Contains("every key is masked", Fails(() => m.Forward(x, x, x, attnMask: minusInf)));
    }

    [Fact]
    public void SequenceLongerThanThePositionalTable()
    {
        Assert.Equal("PositionalEncoding: the sequence has 12 positions (input shape [2, 12, 4]) but the positional table holds max_len = 10; build the encoding with a larger max_len.",
            Fails(() => new PositionalEncoding(4, maxLen: 10).Forward(X(2, 12, 4))));
        Assert.Equal("LearnedPositionalEncoding: the sequence has 7 positions (input shape [7, 4]) but the positional table holds max_len = 6; build the encoding with a larger max_len.",
            Fails(() => new LearnedPositionalEncoding(6, 4).Forward(X(7, 4))));
        Assert.Equal("PositionalEncoding: expected input [..., T, 4] (positions along dim −2), got shape [2, 3, 5].",
            Fails(() => new PositionalEncoding(4).Forward(X(2, 3, 5))));
    }

    [Fact]
    public void MaskedSoftmaxBadMasks()
    {
        var scores = X(2, 3, 4);
        Assert.Equal("masked_softmax: valid lengths must be int64 (or pass a bool mask, True = keep), got float32 of shape [2].",
            Fails(() => Functional.MaskedSoftmax(scores, Tensor.From(new float[] { 1, 2 }, 2))));
        Assert.Equal("masked_softmax: valid lengths of shape [3] do not fit scores of shape [2, 3, 4]; expected [2] or [2, 3].",
            Fails(() => Functional.MaskedSoftmax(scores, Tensor.From(new long[] { 1, 2, 3 }, 3))));
        Assert.Equal("masked_softmax: the bool mask of shape [3, 3] does not broadcast to the scores of shape [2, 3, 4].",
            Fails(() => Functional.MaskedSoftmax(scores, Functional.CausalMask(3, 3))));
    }

    [Fact]
    public void PoolingShapeMismatches()
    {
        var dot = new ScaledDotProductAttention();
        Assert.Equal("ScaledDotProductAttention: keys and values must hold the same number of positions, got queries [2, 1, 4], keys [2, 5, 4], values [2, 6, 3].",
            Fails(() => dot.Forward(X(2, 1, 4), X(2, 5, 4), X(2, 6, 3))));
        Assert.Equal("ScaledDotProductAttention: dot-product scores need queries and keys of one width, got queries [2, 1, 3], keys [2, 5, 4], values [2, 5, 3].",
            Fails(() => dot.Forward(X(2, 1, 3), X(2, 5, 4), X(2, 5, 3))));
        Assert.Contains("must share their leading (batch) dimensions", Fails(() => dot.Forward(X(2, 1, 4), X(3, 5, 4), X(3, 5, 3))));
        var additive = new AdditiveAttention(keySize: 2, querySize: 20, numHiddens: 8);
        Assert.Equal("AdditiveAttention: expected queries [..., Q, 20] and keys [..., K, 2], got [2, 1, 20] and [2, 10, 3].",
            Fails(() => additive.Forward(X(2, 1, 20), X(2, 10, 3), X(2, 10, 4))));
        Assert.Contains("LocalAttention: the window half-width D must be at least 1", Fails(() => new LocalAttention(4, 4, 0)));
        Assert.Contains("KeyValueAttention: memory must be [..., K, key_size + value_size] with key_size 4", Fails(() => new KeyValueAttention(4).Forward(X(2, 1, 4), X(2, 3, 4))));
    }
}
