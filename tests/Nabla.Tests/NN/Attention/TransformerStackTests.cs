using Nabla.NN;

namespace Nabla.Tests.NN.Attention;

/// <summary>PyTorch's names, the deep-copied start of the stacks, and behaviour the golden cases do not pin down.</summary>
public class TransformerStackTests
{
    [Fact]
    public void DecoderLayerUsesPyTorchNames() =>
        Assert.Equal(["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias", "multihead_attn.out_proj.weight", "multihead_attn.out_proj.bias",
            "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
            "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias", "norm3.weight", "norm3.bias"],
            new TransformerDecoderLayer(8, 2, 16).StateDict().Keys);

    [Fact]
    public void StacksCloneTheLayerLikePyTorch()
    {
        var proto = new TransformerEncoderLayer(8, 2, 16, generator: new Generator(3));
        var encoder = new TransformerEncoder(proto, 3, new LayerNorm(8));
        var keys = encoder.StateDict().Keys.ToList();
        Assert.Equal("layers.0.self_attn.in_proj_weight", keys[0]);
        Assert.Equal(["norm.weight", "norm.bias"], keys[^2..]);
        Assert.Equal(3 * 12 + 2, keys.Count);
        // Deep copies: equal values, separate storage (training one layer leaves the others and the prototype alone).
        var w0 = encoder.GetParameter("layers.0.linear1.weight");
        var w2 = encoder.GetParameter("layers.2.linear1.weight");
        Assert.Equal(proto.GetParameter("linear1.weight").ToArray<float>(), w0.ToArray<float>());
        Assert.Equal(w0.ToArray<float>(), w2.ToArray<float>());
        Assert.NotSame(proto, encoder.Layers[0]);
        using (new Nabla.Autograd.NoGrad()) w0.CopyFrom(Tensor.Zeros(w0.Shape));
        Assert.NotEqual(w0.ToArray<float>(), w2.ToArray<float>());
        Assert.NotEqual(w0.ToArray<float>(), proto.GetParameter("linear1.weight").ToArray<float>());

        var decoder = new TransformerDecoder(new TransformerDecoderLayer(8, 2, 16), 2);
        Assert.Equal(2 * 18, decoder.StateDict().Count);
        Assert.Equal(decoder.GetParameter("layers.0.multihead_attn.in_proj_weight").ToArray<float>(),
            decoder.GetParameter("layers.1.multihead_attn.in_proj_weight").ToArray<float>());
    }

    [Fact]
    public void StacksKeepTheTrainingModeAndConfiguration()
    {
        var proto = new TransformerDecoderLayer(8, 2, 16, activation: "gelu", normFirst: true);
        proto.Eval();
        var decoder = new TransformerDecoder(proto, 2);
        Assert.All(decoder.Layers, l => { Assert.False(l.IsTraining); Assert.True(l.NormFirst); Assert.Equal("gelu", l.Activation); });
    }

    [Fact]
    public void TransformerUsesPyTorchNamesAndRedrawsEachLayer()
    {
        var t = new Transformer(8, 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16);
        var keys = t.StateDict().Keys.ToList();
        Assert.Equal(2 * 12 + 2 + 18 + 2, keys.Count);
        Assert.Equal("encoder.layers.0.self_attn.in_proj_weight", keys[0]);
        Assert.Contains("encoder.norm.weight", keys);
        Assert.Contains("decoder.layers.0.multihead_attn.out_proj.weight", keys);
        Assert.Equal("decoder.norm.bias", keys[^1]);
        // xavier_uniform_ on every matrix after cloning: the two encoder layers no longer share their start.
        Assert.NotEqual(t.GetParameter("encoder.layers.0.linear1.weight").ToArray<float>(), t.GetParameter("encoder.layers.1.linear1.weight").ToArray<float>());
        double bound = Math.Sqrt(6.0 / (8 + 16));
        Assert.All(t.GetParameter("encoder.layers.1.linear1.weight").ToArray<float>(), v => Assert.InRange(Math.Abs(v), 0, bound));
    }

    [Fact]
    public void FloatSubsequentMaskMatchesTheBoolCausalMask()
    {
        var layer = new TransformerDecoderLayer(8, 2, 16, dropout: 0);
        var tgt = Tensor.Randn([4, 2, 8]);
        var memory = Tensor.Randn([5, 2, 8]);
        var viaFloat = layer.Forward(tgt, memory, tgtMask: Transformer.GenerateSquareSubsequentMask(4));
        var viaBool = layer.Forward(tgt, memory, tgtMask: ~Functional.CausalMask(4, 4));
        var none = layer.Forward(tgt, memory);
        Assert.Equal(viaBool.ToArray<float>(), viaFloat.ToArray<float>());
        Assert.NotEqual(none.ToArray<float>(), viaBool.ToArray<float>());
        // Causality: the first target position cannot see later ones, so changing the last one leaves it alone.
        var changed = tgt.Clone();
        using (new Nabla.Autograd.NoGrad()) changed.Narrow(0, 3, 1).CopyFrom(Tensor.Randn([1, 2, 8]));
        var after = layer.Forward(changed, memory, tgtMask: ~Functional.CausalMask(4, 4));
        Assert.Equal(viaBool.Narrow(0, 0, 1).ToArray<float>(), after.Narrow(0, 0, 1).ToArray<float>());
        Assert.NotEqual(viaBool.Narrow(0, 3, 1).ToArray<float>(), after.Narrow(0, 3, 1).ToArray<float>());
    }

    [Fact]
    public void DropoutIsOffInEval()
    {
        var t = new Transformer(8, 2, 1, 1, 16, dropout: 0.5);
        var src = Tensor.Randn([5, 2, 8]);
        var tgt = Tensor.Randn([4, 2, 8]);
        t.Eval();
        Assert.Equal(t.Forward(src, tgt).ToArray<float>(), t.Forward(src, tgt).ToArray<float>());
        t.Train();
        Assert.NotEqual(t.Forward(src, tgt).ToArray<float>(), t.Forward(src, tgt).ToArray<float>());
    }
}
