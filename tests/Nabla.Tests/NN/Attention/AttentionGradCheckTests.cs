using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN.Attention;

/// <summary>
/// Float64 finite-difference checks of masked softmax, every scoring module and MultiheadAttention, with the
/// parameters replaced by the check's inputs so their gradients are checked too. Outputs and weights are both
/// returned (concatenated), so the gradient through the kept weights is exercised as well.
/// </summary>
public class AttentionGradCheckTests
{
    static Tensor U(int seed, params int[] shape) => GradCheckInputs.Uniform(seed, shape);

    static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs) => GradCheckInputs.AssertPasses(f, inputs);

    static Tensor Lens(params long[] values) => Tensor.From(values, values.Length);

    static Tensor OutputAndWeights(Tensor output, Tensor weights) => Tensor.Cat([output.Reshape(-1), weights.Reshape(-1)]);

    /// <summary>Replaces parameters of <paramref name="m"/> (dotted names reach children) by the check's inputs from <paramref name="first"/> on.</summary>
    static void Load(Module m, Tensor[] x, int first, params string[] names)
    {
        for (int i = 0; i < names.Length; i++)
        {
            var path = names[i].Split('.');
            var owner = m;
            foreach (var child in path[..^1]) owner = owner.NamedChildren().Single(c => c.Name == child).Module;
            owner.RegisterParameter(path[^1], x[first + i]);
        }
    }

    [Fact] public void MaskedSoftmaxValidLengths() => Check(x => Functional.MaskedSoftmax(x[0], Lens(2, 4)), U(1, 2, 3, 4));
    [Fact] public void MaskedSoftmaxPerQueryLengths() => Check(x => Functional.MaskedSoftmax(x[0], Tensor.From(new long[] { 1, 0, 3, 4, 2, 3 }, 2, 3)), U(2, 2, 3, 4));
    [Fact] public void MaskedSoftmaxCausal() => Check(x => Functional.MaskedSoftmax(x[0], Functional.CausalMask(3, 4)), U(3, 2, 3, 4));

    [Fact]
    public void AdditiveAttention()
    {
        var m = new AdditiveAttention(keySize: 3, querySize: 2, numHiddens: 4, dtype: DType.Float64);
        Check(x =>
        {
            Load(m, x, 3, "W_k.weight", "W_q.weight", "w_v.weight");
            return OutputAndWeights(m.Forward(x[0], x[1], x[2], Lens(3, 2)), m.AttentionWeights!);
        }, U(4, 2, 2, 2), U(5, 2, 3, 3), U(6, 2, 3, 2), U(7, 4, 3), U(8, 4, 2), U(9, 1, 4));
    }

    [Fact]
    public void DotProductAttention()
    {
        var m = new DotProductAttention();
        Check(x => OutputAndWeights(m.Forward(x[0], x[1], x[2], Lens(1, 3)), m.AttentionWeights!), U(10, 2, 2, 3), U(11, 2, 3, 3), U(12, 2, 3, 2));
    }

    [Fact]
    public void ScaledDotProductAttention()
    {
        var m = new ScaledDotProductAttention();
        Check(x => OutputAndWeights(m.Forward(x[0], x[1], x[2], Functional.CausalMask(3, 3)), m.AttentionWeights!), U(13, 2, 3, 4), U(14, 2, 3, 4), U(15, 2, 3, 2));
    }

    [Fact]
    public void FunctionalScaledDotProductAttention() =>
        Check(x => { var (o, w) = Functional.ScaledDotProductAttention(x[0], x[1], x[2], Lens(2, 3)); return OutputAndWeights(o, w); },
            U(16, 2, 2, 3), U(17, 2, 3, 3), U(18, 2, 3, 4));

    [Fact]
    public void BilinearAttention()
    {
        var m = new BilinearAttention(querySize: 2, keySize: 3, dtype: DType.Float64);
        Check(x =>
        {
            Load(m, x, 3, "weight");
            return OutputAndWeights(m.Forward(x[0], x[1], x[2], Lens(2, 3)), m.AttentionWeights!);
        }, U(19, 2, 2, 2), U(20, 2, 3, 3), U(21, 2, 3, 2), U(22, 3, 2));
    }

    [Fact]
    public void KeyValueAttention()
    {
        var m = new KeyValueAttention(keySize: 2);
        Check(x => OutputAndWeights(m.Forward(x[0], x[1], Lens(3, 2)), m.AttentionWeights!), U(23, 2, 2, 2), U(24, 2, 3, 5));
    }

    [Fact]
    public void HardAttentionGradientReachesTheChosenValuesOnly()
    {
        var m = new HardAttention();
        var q = U(25, 2, 2, 3);
        var k = U(26, 2, 4, 3);
        // Queries and keys are constants here: the argmax choice has no gradient, the values have one.
        Check(x => m.Forward(q, k, x[0], Lens(4, 2)), U(27, 2, 4, 2));
    }

    [Fact]
    public void LocalAttention()
    {
        var m = new LocalAttention(querySize: 3, numHiddens: 4, halfWidth: 2, dtype: DType.Float64);
        Check(x =>
        {
            Load(m, x, 3, "W_p.weight", "v_p.weight");
            var output = m.Forward(x[0], x[1], x[2], Lens(6, 4));
            return Tensor.Cat([OutputAndWeights(output, m.AttentionWeights!), m.Centers!.Reshape(-1)]);
        }, U(28, 2, 3, 3), U(29, 2, 6, 3), U(30, 2, 6, 2), U(31, 4, 3), U(32, 1, 4));
    }

    static readonly string[] MhaNames = ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"];

    [Fact]
    public void MultiheadSelfAttentionWithCausalMask()
    {
        var m = new MultiheadAttention(4, 2, dtype: DType.Float64);
        var causal = ~Functional.CausalMask(3, 3);
        Check(x =>
        {
            Load(m, x, 1, MhaNames);
            var (o, w) = m.Forward(x[0], x[0], x[0], attnMask: causal, averageAttnWeights: false);
            return OutputAndWeights(o, w!);
        }, U(33, 3, 2, 4), U(34, 12, 4), U(35, 12), U(36, 4, 4), U(37, 4));
    }

    [Fact]
    public void MultiheadCrossAttentionWithPaddingAndFloatMask()
    {
        var m = new MultiheadAttention(4, 2, batchFirst: true, dtype: DType.Float64);
        var padding = Tensor.From(new[] { false, false, true, false, false, false }, 2, 3);
        Check(x =>
        {
            Load(m, x, 4, MhaNames);
            var (o, w) = m.Forward(x[0], x[1], x[2], padding, attnMask: x[3]);
            return OutputAndWeights(o, w!);
        }, U(38, 2, 2, 4), U(39, 2, 3, 4), U(40, 2, 3, 4), U(41, 2, 3), U(42, 12, 4), U(43, 12), U(44, 4, 4), U(45, 4));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TransformerEncoderLayer(bool normFirst)
    {
        var layer = new TransformerEncoderLayer(4, 2, dimFeedforward: 6, dropout: 0, normFirst: normFirst, dtype: DType.Float64);
        string[] names = ["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"];
        var causal = ~Functional.CausalMask(3, 3);
        var inputs = new List<Tensor> { U(48, 3, 2, 4) };
        int seed = 49;
        foreach (var n in names) inputs.Add(U(seed++, layer.GetParameter(n).Shape));
        Check(x =>
        {
            Load(layer, x, 1, names);
            return layer.Forward(x[0], causal, null);
        }, [.. inputs]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TransformerDecoderLayer(bool normFirst)
    {
        var layer = new TransformerDecoderLayer(4, 2, dimFeedforward: 6, dropout: 0, normFirst: normFirst, dtype: DType.Float64);
        var names = layer.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(18, names.Length);
        var causal = ~Functional.CausalMask(3, 3);
        var memoryPadding = Tensor.From(new[] { false, false, false, true, false, false, false, false }, 2, 4);
        var inputs = new List<Tensor> { U(60, 3, 2, 4), U(61, 4, 2, 4) };
        int seed = 62;
        foreach (var n in names) inputs.Add(U(seed++, layer.GetParameter(n).Shape));
        Check(x =>
        {
            Load(layer, x, 2, names);
            return layer.Forward(x[0], x[1], tgtMask: causal, memoryKeyPaddingMask: memoryPadding);
        }, [.. inputs]);
    }

    [Fact]
    public void PositionalEncodings()
    {
        var learned = new LearnedPositionalEncoding(5, 3, dtype: DType.Float64);
        var fixedTable = new PositionalEncoding(3, maxLen: 5, dtype: DType.Float64);
        Check(x =>
        {
            Load(learned, x, 1, "weight");
            return learned.Forward(x[0]) * fixedTable.Forward(x[0]);
        }, U(46, 2, 4, 3), U(47, 5, 3));
    }
}
