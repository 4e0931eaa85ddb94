using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN.Attention;

/// <summary>
/// MultiheadAttention and the notes' attention pieces against PyTorch (fixture: tools/golden/attention.py, whose
/// docstring gives the input layout). Outputs, attention weights and the gradients of every input and parameter.
/// </summary>
public class AttentionGoldenTests
{
    const string Fixture = "attention";

    /// <summary>How a MultiheadAttention case lays out its data inputs (mirrors mha_case in the script).</summary>
    sealed record MhaCase(Func<MultiheadAttention> Make, string Mode = "cross", bool Kpm = false, bool Attn = false,
        bool AttnBias = false, bool NeedWeights = true, bool Average = true);

    static readonly Dictionary<string, MhaCase> Mha = new()
    {
        ["mha_self"] = new(() => new MultiheadAttention(8, 2), Mode: "self"),
        ["mha_self_batch_first_causal_bool_per_head"] = new(() => new MultiheadAttention(8, 4, batchFirst: true), Mode: "self", Attn: true, Average: false),
        ["mha_cross_kpm"] = new(() => new MultiheadAttention(8, 2), Kpm: true),
        ["mha_cross_batch_first_float_mask_kpm"] = new(() => new MultiheadAttention(8, 4, batchFirst: true), Kpm: true, Attn: true, AttnBias: true),
        ["mha_kv_causal_float"] = new(() => new MultiheadAttention(8, 2), Mode: "kv", Attn: true, AttnBias: true),
        ["mha_no_bias_one_head_no_weights"] = new(() => new MultiheadAttention(8, 1, bias: false), NeedWeights: false),
        ["mha_no_bias_batch_first_per_head"] = new(() => new MultiheadAttention(8, 2, bias: false, batchFirst: true), Average: false),
        ["mha_3d_bool_mask_kpm"] = new(() => new MultiheadAttention(8, 2), Kpm: true, Attn: true, Average: false),
        ["mha_unbatched_cross"] = new(() => new MultiheadAttention(8, 4), Kpm: true),
        ["mha_wide_8_heads"] = new(() => new MultiheadAttention(16, 8, batchFirst: true), Mode: "self"),
        ["mha_float64_causal"] = new(() => new MultiheadAttention(8, 2, dtype: DType.Float64), Mode: "self", Attn: true, AttnBias: true),
    };

    public static IEnumerable<object[]> MhaNames() => Mha.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(MhaNames))]
    public void MultiheadAttentionMatchesPyTorch(string name)
    {
        var spec = Mha[name];
        var mha = spec.Make();
        var names = mha.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(spec.Make().InProjBias is null ? ["in_proj_weight", "out_proj.weight"] : new[] { "in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias" }, names);
        DenseLayerGoldenRunner.Check(GoldenFixture.Get(Fixture, name), mha, names, x =>
        {
            int i = 0;
            var query = x[i++];
            var key = spec.Mode == "self" ? query : x[i++];
            var value = spec.Mode is "self" or "kv" ? key : x[i++];
            var kpm = spec.Kpm ? x[i++] : null;
            var mask = spec.Attn ? x[i++] : null;
            if (spec.AttnBias)
                mask = Tensor.Zeros(mask!.Shape, query.DType).MaskedFill(mask, double.NegativeInfinity) + x[i++];
            var (output, weights) = mha.Forward(query, key, value, kpm, spec.NeedWeights, mask, spec.Average);
            Assert.Equal(spec.NeedWeights, weights is not null);
            return weights is null ? output.Reshape(-1) : Tensor.Cat([output.Reshape(-1), weights.Reshape(-1)]);
        });
    }

    static readonly Dictionary<string, Func<Tensor[], Tensor>> Functions = new()
    {
        ["masked_softmax_lens_1d"] = x => Functional.MaskedSoftmax(x[0], x[1]),
        ["masked_softmax_lens_2d"] = x => Functional.MaskedSoftmax(x[0], x[1]),
        ["masked_softmax_fully_masked_row"] = x => Functional.MaskedSoftmax(x[0], x[1]),
        ["masked_softmax_no_mask"] = x => Functional.MaskedSoftmax(x[0], null),
        ["masked_softmax_causal_bool"] = x => Functional.MaskedSoftmax(x[0], x[1]),
        ["positional_encoding"] = x => new PositionalEncoding(6, 0, maxLen: 20).Forward(x[0]),
        ["positional_encoding_table"] = x => new PositionalEncoding(32, 0, maxLen: 60).Forward(x[0]),
    };

    public static IEnumerable<object[]> FunctionNames() => Functions.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void FunctionMatchesTheNotes(string name) => GoldenRunner.Check(GoldenFixture.Get(Fixture, name), Functions[name]);

    static readonly Dictionary<string, Func<AttentionPooling>> Poolings = new()
    {
        ["additive_attention"] = () => new AdditiveAttention(keySize: 2, querySize: 20, numHiddens: 8),
        ["additive_attention_lens_2d"] = () => new AdditiveAttention(keySize: 3, querySize: 5, numHiddens: 6),
        ["dot_product_attention"] = () => new ScaledDotProductAttention(),
        ["dot_product_attention_lens_2d"] = () => new ScaledDotProductAttention(),
    };

    public static IEnumerable<object[]> PoolingNames() => Poolings.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(PoolingNames))]
    public void PoolingMatchesTheNotes(string name)
    {
        var module = Poolings[name]();
        var names = module.NamedParameters().Select(p => p.Name).ToArray();
        DenseLayerGoldenRunner.Check(GoldenFixture.Get(Fixture, name), module, names, x =>
        {
            var output = module.Forward(x[0], x[1], x[2], x[3]);
            return Tensor.Cat([output.Reshape(-1), module.AttentionWeights!.Reshape(-1)]);
        });
    }

    static readonly Dictionary<string, (Func<TransformerEncoderLayer> Make, bool Mask, bool Kpm)> Encoders = new()
    {
        ["encoder_post_norm_causal_kpm"] = (() => new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0), true, true),
        ["encoder_pre_norm_batch_first_kpm"] = (() => new TransformerEncoderLayer(8, 4, dimFeedforward: 12, dropout: 0, batchFirst: true, normFirst: true), false, true),
        ["encoder_post_norm_gelu"] = (() => new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0, activation: "gelu"), false, false),
        ["encoder_pre_norm_float64_causal"] = (() => new TransformerEncoderLayer(6, 3, dimFeedforward: 10, dropout: 0, normFirst: true, dtype: DType.Float64), true, false),
    };

    public static IEnumerable<object[]> EncoderNames() => Encoders.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(EncoderNames))]
    public void TransformerEncoderLayerMatchesPyTorch(string name)
    {
        var (make, hasMask, hasKpm) = Encoders[name];
        var layer = make();
        var names = layer.NamedParameters().Select(p => p.Name).ToArray();
        DenseLayerGoldenRunner.Check(GoldenFixture.Get(Fixture, name), layer, names, x =>
        {
            int i = 1;
            var mask = hasMask ? x[i++] : null;
            var kpm = hasKpm ? x[i++] : null;
            return layer.Forward(x[0], mask, kpm).Reshape(-1);
        });
    }

    [Fact]
    public void TransformerEncoderLayerUsesPyTorchNames() =>
        Assert.Equal(["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"],
            new TransformerEncoderLayer(8, 2, 16).StateDict().Keys);

    [Fact]
    public void AdditiveAttentionUsesTheNotesNames() =>
        Assert.Equal(["W_k.weight", "W_q.weight", "w_v.weight"], new AdditiveAttention(2, 20, 8).StateDict().Keys);

    [Fact]
    public void EveryCaseHasATwin() =>
        GoldenRunner.CheckCoverage(Fixture, Mha.Keys.Concat(Functions.Keys).Concat(Poolings.Keys).Concat(Encoders.Keys));
}
