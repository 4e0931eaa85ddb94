using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN.Attention;

/// <summary>The properties the docs promise: exact zeros under masks, the fully masked rule, init, paths that must agree.</summary>
public class AttentionBehaviourTests
{
    static Tensor Lens(params long[] values) => Tensor.From(values, values.Length);

    [Fact]
    public void MaskedPositionsGetExactlyZeroAndAFullyMaskedRowIsUniform()
    {
        var scores = Tensor.Randn([2, 2, 4]) * 10.0;
        var w = Functional.MaskedSoftmax(scores, Tensor.From(new long[] { 2, 0, 4, 1 }, 2, 2)).To2DRows();
        Assert.Equal([0.0, 0.0], w[0][2..]);
        Assert.Equal(1.0, w[0].Sum(), 6);
        Assert.All(w[1], v => Assert.Equal(0.25, v, 6));     // length 0: uniform, as the notes' −1e6 gives
        Assert.Equal([0.0, 0.0, 0.0], w[3][1..]);
        Assert.Equal(1.0, w[3][0], 6);
    }

    [Fact]
    public void CausalMasks()
    {
        Assert.Equal(new[] { true, false, false, true, true, false }, Functional.CausalMask(2, 3).Reshape(-1).ToArray<bool>());
        var additive = Functional.SquareSubsequentMask(3).Reshape(-1).ToArray<float>();
        Assert.Equal(new[] { 0f, float.NegativeInfinity, float.NegativeInfinity, 0f, 0f, float.NegativeInfinity, 0f, 0f, 0f }, additive);
    }

    [Fact]
    public void MultiheadAttentionInitialisesAsPyTorch()
    {
        var m = new MultiheadAttention(16, 4);
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], m.StateDict().Keys);
        Assert.All(TensorAssert.Flat(m.InProjBias!), v => Assert.Equal(0.0, v));
        Assert.All(TensorAssert.Flat(m.OutProj.Bias!), v => Assert.Equal(0.0, v));
        double xavier = Math.Sqrt(6.0 / (16 + 48));
        var w = TensorAssert.Flat(m.InProjWeight);
        Assert.All(w, v => Assert.InRange(Math.Abs(v), 0, xavier));
        Assert.True(w.Max(Math.Abs) > 0.8 * xavier, "xavier_uniform should fill its range");
        Assert.All(TensorAssert.Flat(m.OutProj.Weight), v => Assert.InRange(Math.Abs(v), 0, 0.25));
        Assert.Equal(["in_proj_weight", "out_proj.weight"], new MultiheadAttention(16, 4, bias: false).StateDict().Keys);
    }

    [Fact]
    public void SharedProjectionPathsAgreeWithSeparateOnes()
    {
        var m = new MultiheadAttention(8, 2);
        var x = Tensor.Randn([5, 3, 8]);
        var (self, selfW) = m.Forward(x, x, x);
        var (separate, separateW) = m.Forward(x.Clone(), x.Clone(), x.Clone());
        var (kv, kvW) = m.Forward(x.Clone(), x, x);
        TensorAssert.Close(separate, self, what: "self vs separate");
        TensorAssert.Close(separate, kv, what: "key-is-value vs separate");
        TensorAssert.Close(separateW!, selfW!);
        TensorAssert.Close(separateW!, kvW!);
        TensorAssert.Close(self, m.Forward(x), what: "Forward(input)");
    }

    [Fact]
    public void WeightsAreDistributionsAndAverageOverHeads()
    {
        var m = new MultiheadAttention(8, 4, batchFirst: true);
        var q = Tensor.Randn([2, 3, 8]);
        var kv = Tensor.Randn([2, 5, 8]);
        var (o, perHead) = m.Forward(q, kv, kv, averageAttnWeights: false);
        var (_, mean) = m.Forward(q, kv, kv);
        Assert.Equal([2, 3, 8], o.Shape);
        Assert.Equal([2, 4, 3, 5], perHead!.Shape);
        TensorAssert.Close(perHead.Mean(1), mean!);
        Assert.All(TensorAssert.Flat(perHead.Sum(-1)), v => Assert.Equal(1.0, v, 5));
        Assert.Null(m.Forward(q, kv, kv, needWeights: false).Weights);
    }

    [Fact]
    public void MhaDropoutActsOnlyWhileTraining()
    {
        var m = new MultiheadAttention(8, 2, dropout: 0.5, generator: new Generator(3));
        var x = Tensor.Randn([4, 2, 8]);
        m.Eval();
        var a = m.Forward(x);
        TensorAssert.Equal(a, m.Forward(x));
        m.Train();
        var (_, w) = m.Forward(x, x, x, averageAttnWeights: false);
        var flat = TensorAssert.Flat(w!);
        Assert.Contains(0.0, flat);                          // dropped weights are returned, as PyTorch returns them
        Assert.Contains(flat, v => v > 1.0 / 4);             // and survivors are scaled by 1 / (1 − p)
    }

    [Fact]
    public void HardAttentionCopiesTheBestVisibleValue()
    {
        var q = Tensor.From(new float[] { 1, 0 }, 1, 1, 2);
        var k = Tensor.From(new float[] { 0, 1, 1, 0, 5, 0 }, 1, 3, 2);
        var v = Tensor.From(new float[] { 10, 20, 30 }, 1, 3, 1);
        var m = new HardAttention();
        Assert.Equal(30f, m.Forward(q, k, v).Item<float>());
        Assert.Equal(new[] { 0f, 0f, 1f }, m.AttentionWeights!.Reshape(-1).ToArray<float>());
        Assert.Equal(20f, m.Forward(q, k, v, Lens(2)).Item<float>());   // key 2 is masked away
    }

    [Fact]
    public void LocalAttentionStaysInsideItsWindow()
    {
        var m = new LocalAttention(querySize: 4, numHiddens: 6, halfWidth: 1);
        var q = Tensor.Randn([2, 3, 4]);
        var k = Tensor.Randn([2, 9, 4]);
        var (output, lens) = (m.Forward(q, k, Tensor.Randn([2, 9, 2]), Lens(9, 5)), new[] { 9, 5 });
        Assert.Equal([2, 3, 2], output.Shape);
        var p = m.Centers!.To2DRows();
        var w = m.AttentionWeights!.To2DRows();
        for (int row = 0; row < 6; row++)
        {
            int b = row / 3;
            Assert.InRange(p[b][row % 3], 0, lens[b] - 1);
            for (int j = 0; j < 9; j++)
                if (Math.Abs(j - p[b][row % 3]) > 1 || j >= lens[b]) Assert.Equal(0.0, w[row][j]);
            Assert.InRange(w[row].Sum(), 1e-6, 1.0);
        }
    }

    [Fact]
    public void FunctionalAndModuleScaledDotProductAgree()
    {
        var q = Tensor.Randn([2, 3, 4]);
        var k = Tensor.Randn([2, 5, 4]);
        var v = Tensor.Randn([2, 5, 6]);
        var m = new ScaledDotProductAttention();
        var (o, w) = Functional.ScaledDotProductAttention(q, k, v, Lens(3, 5));
        TensorAssert.Close(o, m.Forward(q, k, v, Lens(3, 5)));
        TensorAssert.Close(w, m.AttentionWeights!);
        var unscaled = new DotProductAttention().Forward(q / Math.Sqrt(4), k, v);
        TensorAssert.Close(m.Forward(q, k, v), unscaled);
    }

    [Fact]
    public void SinusoidalTableFollowsTheFormula()
    {
        var pe = new PositionalEncoding(5, maxLen: 8, dtype: DType.Float64);
        var p = pe.P.To2DRows();
        for (int pos = 0; pos < 8; pos++)
            for (int i = 0; i < 5; i++)
            {
                double angle = pos / Math.Pow(10000, 2 * (i / 2) / 5.0);
                Assert.Equal(i % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle), p[pos][i], 12);
            }
        Assert.Empty(pe.StateDict());
        Assert.Equal(["weight"], new LearnedPositionalEncoding(8, 5).StateDict().Keys);
    }
}

static class RowsExtensions
{
    /// <summary>The tensor as rows of its last dimension, in float64.</summary>
    public static double[][] To2DRows(this Tensor t)
    {
        var flat = TensorAssert.Flat(t);
        int width = t.Size(-1);
        return Enumerable.Range(0, flat.Length / width).Select(r => flat[(r * width)..((r + 1) * width)]).ToArray();
    }
}
