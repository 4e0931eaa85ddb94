using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN.Attention;

/// <summary>
/// TransformerDecoderLayer, the encoder and decoder stacks and the whole Transformer against PyTorch (fixture:
/// tools/golden/transformer.py, whose docstring gives the input layout): outputs and the gradients of every input and
/// every parameter, the parameters loaded from PyTorch by their state-dict names.
/// </summary>
public class TransformerGoldenTests
{
    const string Fixture = "transformer";

    static readonly string[] DecoderMasks = ["tgt_mask", "memory_mask", "tgt_key_padding_mask", "memory_key_padding_mask"];
    static readonly string[] EncoderMasks = ["mask", "src_key_padding_mask"];
    static readonly string[] TransformerMasks = ["src_mask", "tgt_mask", "memory_mask", "src_key_padding_mask", "tgt_key_padding_mask", "memory_key_padding_mask"];

    /// <summary>A case: the module, how many tensors it takes, which masks follow them, and the call.</summary>
    sealed record Case(Func<Module> Make, int Tensors, string[] Masks, Func<Module, Tensor[], Func<string, Tensor?>, Tensor> Run);

    static Case Decoder(Func<Module> make, params string[] masks) => new(make, 2, masks, (m, t, mask) =>
        m is TransformerDecoder stack
            ? stack.Forward(t[0], t[1], mask("tgt_mask"), mask("memory_mask"), mask("tgt_key_padding_mask"), mask("memory_key_padding_mask"))
            : ((TransformerDecoderLayer)m).Forward(t[0], t[1], mask("tgt_mask"), mask("memory_mask"), mask("tgt_key_padding_mask"), mask("memory_key_padding_mask")));

    static Case Encoder(Func<Module> make, params string[] masks) => new(make, 1, masks, (m, t, mask) =>
        ((TransformerEncoder)m).Forward(t[0], mask("mask"), mask("src_key_padding_mask")));

    static Case Whole(Func<Module> make, params string[] masks) => new(make, 2, masks, (m, t, mask) =>
        ((Transformer)m).Forward(t[0], t[1], mask("src_mask"), mask("tgt_mask"), mask("memory_mask"),
            mask("src_key_padding_mask"), mask("tgt_key_padding_mask"), mask("memory_key_padding_mask")));

    static readonly Dictionary<string, Case> Cases = new()
    {
        ["decoder_layer_post_norm_all_masks"] = Decoder(() => new TransformerDecoderLayer(8, 2, dimFeedforward: 16, dropout: 0), DecoderMasks),
        ["decoder_layer_pre_norm_batch_first_causal_memory_kpm"] = Decoder(
            () => new TransformerDecoderLayer(8, 4, dimFeedforward: 12, dropout: 0, batchFirst: true, normFirst: true), "tgt_mask", "memory_key_padding_mask"),
        ["decoder_layer_post_norm_gelu_no_masks"] = Decoder(() => new TransformerDecoderLayer(8, 2, dimFeedforward: 16, dropout: 0, activation: "gelu")),
        ["decoder_layer_pre_norm_gelu_batch_first_memory_mask"] = Decoder(
            () => new TransformerDecoderLayer(8, 2, dimFeedforward: 10, dropout: 0, activation: "gelu", batchFirst: true, normFirst: true), "memory_mask", "tgt_key_padding_mask"),
        ["decoder_layer_unbatched_causal"] = Decoder(() => new TransformerDecoderLayer(8, 4, dimFeedforward: 12, dropout: 0), "tgt_mask"),
        ["decoder_layer_pre_norm_float64_all_masks"] = Decoder(
            () => new TransformerDecoderLayer(6, 3, dimFeedforward: 10, dropout: 0, normFirst: true, dtype: DType.Float64), DecoderMasks),
        ["encoder_stack_post_norm_final_norm_causal_kpm"] = Encoder(
            () => new TransformerEncoder(new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0), 2, new LayerNorm(8)), EncoderMasks),
        ["encoder_stack_pre_norm_batch_first_no_final_norm"] = Encoder(
            () => new TransformerEncoder(new TransformerEncoderLayer(8, 4, dimFeedforward: 12, dropout: 0, batchFirst: true, normFirst: true), 3), "src_key_padding_mask"),
        ["decoder_stack_post_norm_final_norm_all_masks"] = Decoder(
            () => new TransformerDecoder(new TransformerDecoderLayer(8, 2, dimFeedforward: 16, dropout: 0), 2, new LayerNorm(8)), DecoderMasks),
        ["decoder_stack_pre_norm_batch_first_gelu_no_final_norm"] = Decoder(
            () => new TransformerDecoder(new TransformerDecoderLayer(8, 4, dimFeedforward: 12, dropout: 0, activation: "gelu", batchFirst: true, normFirst: true), 2), "tgt_mask"),
        ["transformer_post_norm_all_masks"] = Whole(
            () => new Transformer(8, 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 16, dropout: 0), TransformerMasks),
        ["transformer_pre_norm_batch_first_gelu"] = Whole(
            () => new Transformer(8, 4, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 12, dropout: 0, activation: "gelu", batchFirst: true, normFirst: true),
            "tgt_mask", "memory_key_padding_mask"),
    };

    public static IEnumerable<object[]> Names() => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesPyTorch(string name)
    {
        var spec = Cases[name];
        var module = spec.Make();
        var names = module.NamedParameters().Select(p => p.Name).ToArray();
        DenseLayerGoldenRunner.Check(GoldenFixture.Get(Fixture, name), module, names, x =>
        {
            var masks = spec.Masks.Select((m, i) => (m, x[spec.Tensors + i])).ToDictionary(p => p.m, p => p.Item2);
            return spec.Run(module, x[..spec.Tensors], m => masks.GetValueOrDefault(m)).Reshape(-1);
        });
    }

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Cases.Keys);
}
