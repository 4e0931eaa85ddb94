using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>
/// Behaviour of the dense layers beyond the golden cases: fused ops against their composed twins, PyTorch's
/// reprs and default initialisations, Embedding's padding row and pretrained tables, and weight norm's parameters.
/// </summary>
public class DenseLayerTests
{
    static Tensor Randn(Generator g, DType dtype, params int[] shape) => Tensor.Randn(shape, dtype, g);

    [Theory]
    [InlineData(DType.Float32, new[] { 7 })]
    [InlineData(DType.Float32, new[] { 5, 7 })]
    [InlineData(DType.Float32, new[] { 2, 3, 7 })]
    [InlineData(DType.Float64, new[] { 2, 1, 3, 7 })]
    [InlineData(DType.Float32, new[] { 0, 7 })]
    public void LinearOpMatchesItsComposedTwin(DType dtype, int[] shape)
    {
        var g = new Generator(1);
        foreach (bool bias in new[] { true, false })
        {
            var x = Randn(g, dtype, shape);
            var w = Randn(g, dtype, 5, 7);
            var b = bias ? Randn(g, dtype, 5) : null;
            var upstream = Randn(g, dtype, [.. shape[..^1], 5]);
            CompareWithTwin(
                t => Functional.Linear(t[0], t[1], bias ? t[2] : null),
                t => bias ? t[0].MatMul(t[1].T()) + t[2] : t[0].MatMul(t[1].T()),
                upstream, bias ? [x, w, b!] : [x, w]);
        }
    }

    [Fact]
    public void LinearOpMatchesItsTwinOnStridedViews()
    {
        var g = new Generator(2);
        var x = Randn(g, DType.Float32, 9, 6);
        var w = Randn(g, DType.Float32, 5, 8);
        var b = Randn(g, DType.Float32, 8);
        var upstream = Randn(g, DType.Float32, 3, 4);
        // Rows of x that are not adjacent, a weight strided in both dims (every other row of a transpose), a strided bias.
        static Tensor X(Tensor t) => t.Slice(0, 0, 9, 3).Slice(1, 1, 6);
        static Tensor W(Tensor t) => t.T().Slice(0, 0, 8, 2);
        static Tensor B(Tensor t) => t.Slice(0, 0, 8, 2);
        CompareWithTwin(
            t => Functional.Linear(X(t[0]), W(t[1]), B(t[2])),
            t => X(t[0]).MatMul(W(t[1]).T()) + B(t[2]),
            upstream, [x, w, b]);
    }

    [Fact]
    public void EmbeddingOpMatchesItsComposedTwin()
    {
        var g = new Generator(3);
        var weight = Randn(g, DType.Float64, 6, 4);
        var index = Tensor.From(new long[] { 5, 2, 2, 0, 5, 3 }, 3, 2);
        var upstream = Randn(g, DType.Float64, 3, 2, 4);
        foreach (int? padding in new int?[] { null, 2 })
        {
            // The composed twin: index_select, with the padding positions read from a detached copy of the table.
            Tensor Twin(Tensor[] t)
            {
                var rows = t[0].IndexSelect(0, index.Reshape(-1)).Reshape(3, 2, 4);
                if (padding is not { } p) return rows;
                var frozen = t[0].Detach().IndexSelect(0, index.Reshape(-1)).Reshape(3, 2, 4);
                return Tensor.Where(index.Ne((long)p).Unsqueeze(-1), rows, frozen);
            }
            CompareWithTwin(t => Functional.Embedding(index, t[0], padding), Twin, upstream, [weight]);
        }
    }

    /// <summary>Output and every gradient of the fused function equal those of its twin (to float rounding).</summary>
    static void CompareWithTwin(Func<Tensor[], Tensor> fused, Func<Tensor[], Tensor> twin, Tensor upstream, Tensor[] inputs)
    {
        var a = inputs.Select(t => t.Clone().RequiresGrad_()).ToArray();
        var b = inputs.Select(t => t.Clone().RequiresGrad_()).ToArray();
        var ya = fused(a);
        var yb = twin(b);
        Assert.Equal(yb.Shape, ya.Shape);
        TensorAssert.Close(yb, ya, 1e-5, 1e-5, "output");
        ya.Backward(upstream);
        yb.Backward(upstream);
        for (int i = 0; i < a.Length; i++) TensorAssert.Close(b[i].Grad!, a[i].Grad!, 1e-5, 1e-5, $"gradient of input {i}");
    }

    [Fact]
    public void ReprsMatchPyTorch()
    {
        Assert.Equal("Linear(in_features=784, out_features=256, bias=True)", new Linear(784, 256).ToString());
        Assert.Equal("Linear(in_features=3, out_features=2, bias=False)", new Linear(3, 2, bias: false).ToString());
        Assert.Equal("Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True)", new Bilinear(2, 3, 4).ToString());
        Assert.Equal("Identity()", new Identity().ToString());
        Assert.Equal("Flatten(start_dim=1, end_dim=-1)", new Flatten().ToString());
        Assert.Equal("Unflatten(dim=1, unflattened_size=(2, 5))", new Unflatten(1, 2, 5).ToString());
        Assert.Equal("Unflatten(dim=1, unflattened_size=(5,))", new Unflatten(1, 5).ToString());
        Assert.Equal("Dropout(p=0.2, inplace=False)", new Dropout(0.2).ToString());
        Assert.Equal("Dropout(p=0.0, inplace=False)", new Dropout(0).ToString());
        Assert.Equal("Dropout(p=1e-05, inplace=False)", new Dropout(1e-5).ToString());
        Assert.Equal("Embedding(10, 3)", new Embedding(10, 3).ToString());
        Assert.Equal("Embedding(10, 3, padding_idx=9)", new Embedding(10, 3, paddingIdx: -1).ToString());
        Assert.Equal("Linear(in_features=3, out_features=2, bias=True)", WeightNorm.Apply(new Linear(3, 2)).ToString());
    }

    [Fact]
    public void LinearAndBilinearDefaultInitialisationIsPyTorchs()
    {
        // kaiming_uniform(a=√5) on [out, in] is U(−1/√in, 1/√in); the bias uses the same bound.
        var linear = new Linear(50, 400, generator: new Generator(4));
        Assert.Equal(["weight", "bias"], linear.NamedParameters().Select(p => p.Name));
        AssertUniform(linear.Weight, 1 / Math.Sqrt(50));
        AssertUniform(linear.Bias!, 1 / Math.Sqrt(50));

        var bilinear = new Bilinear(16, 3, 300, generator: new Generator(5));
        AssertUniform(bilinear.Weight, 1 / Math.Sqrt(16));
        AssertUniform(bilinear.Bias!, 1 / Math.Sqrt(16));

        // The same generator seed gives the same layer; zero-sized layers initialise without complaint.
        TensorAssert.Equal(new Linear(5, 3, generator: new Generator(6)).Weight, new Linear(5, 3, generator: new Generator(6)).Weight);
        Assert.Equal([3, 0], new Linear(0, 3).Weight.Shape);
        TensorAssert.Equal(Tensor.Zeros(3), new Linear(0, 3).Bias!);
    }

    /// <summary>All values inside (−bound, bound), and spread over it: the extremes come close to both ends.</summary>
    static void AssertUniform(Tensor t, double bound)
    {
        var v = TensorAssert.Flat(t);
        Assert.All(v, x => Assert.InRange(x, -bound, bound));
        Assert.True(v.Min() < -0.9 * bound && v.Max() > 0.9 * bound, $"values span [{v.Min()}, {v.Max()}], expected most of ±{bound}");
    }

    [Fact]
    public void EmbeddingDefaultsToStandardNormalWithAZeroPaddingRow()
    {
        var e = new Embedding(200, 50, paddingIdx: 3, generator: new Generator(7));
        var v = TensorAssert.Flat(e.Weight);
        Assert.InRange(v.Average(), -0.05, 0.05);
        Assert.InRange(Math.Sqrt(v.Select(x => x * x).Average()), 0.95, 1.05);
        TensorAssert.Equal(Tensor.Zeros(1, 50), e.Weight.Narrow(0, 3, 1));
        Assert.Equal(3, e.PaddingIdx);
    }

    [Fact]
    public void EmbeddingPaddingRowGetsNoGradientAndIsNotTrained()
    {
        var e = new Embedding(5, 2, paddingIdx: 0, generator: new Generator(8));
        var index = Tensor.From(new long[] { 0, 1, 0, 1, 4 }, 5);
        e.Forward(index).Sum().Backward();
        TensorAssert.Equal(Tensor.From(new float[] { 0, 0, 2, 2, 0, 0, 0, 0, 1, 1 }, 5, 2), e.Weight.Grad!);

        var sgd = new Nabla.Optim.SGD(e.Parameters(), lr: 0.5);
        sgd.Step();
        TensorAssert.Equal(Tensor.Zeros(1, 2), e.Weight.Narrow(0, 0, 1));
    }

    [Fact]
    public void FromPretrainedSharesTheTableAndFreezesByDefault()
    {
        var table = Tensor.From(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        var frozen = Embedding.FromPretrained(table);
        Assert.False(frozen.Weight.RequiresGrad);
        Assert.Same(table.Storage, frozen.Weight.Storage);
        TensorAssert.Equal(Tensor.From(new float[] { 5, 6, 1, 2 }, 2, 2), frozen.Forward(Tensor.From(new long[] { 2, 0 }, 2)));
        Assert.Equal(0, frozen.NumParameters(trainableOnly: true));

        var trainable = Embedding.FromPretrained(table, freeze: false, paddingIdx: 1);
        Assert.True(trainable.Weight.RequiresGrad);
        // The pretrained pad row is kept as given, not zeroed (as PyTorch's from_pretrained).
        TensorAssert.Equal(Tensor.From(new float[] { 3, 4 }, 1, 2), trainable.Weight.Narrow(0, 1, 1));
    }

    [Fact]
    public void WeightNormNamesAndShapesItsParametersAsPyTorch()
    {
        var linear = new Linear(4, 3, generator: new Generator(9));
        var before = linear.Weight.Clone();
        var x = Tensor.Randn([2, 4], DType.Float32, new Generator(10));
        var y0 = linear.Forward(x);

        WeightNorm.Apply(linear);
        Assert.Equal(["bias", "weight_g", "weight_v"], linear.NamedParameters().Select(p => p.Name));
        Assert.Equal(["bias", "weight_g", "weight_v"], linear.StateDict().Keys);
        Assert.Equal([3, 1], linear.GetParameter("weight_g").Shape);
        Assert.Equal([3, 4], linear.GetParameter("weight_v").Shape);
        Assert.Equal([1, 4], WeightNorm.Apply(new Linear(4, 3), dim: 1).GetParameter("weight_g").Shape);
        Assert.Equal([], WeightNorm.Apply(new Linear(4, 3), dim: null).GetParameter("weight_g").Shape);
        Assert.Equal([3, 1, 1], WeightNorm.Apply(new Bilinear(2, 5, 3)).GetParameter("weight_g").Shape);

        // g starts as each row's norm, v as the weight, so the layer computes what it did before.
        TensorAssert.Close(before, linear.Weight, 1e-6, 1e-6, "recomputed weight");
        TensorAssert.Close(y0, linear.Forward(x), 1e-5, 1e-6, "output after weight norm");
        TensorAssert.Close(before.Pow(2).Sum(1, keepDim: true).Sqrt(), linear.GetParameter("weight_g"), 1e-6, 1e-6, "g");
    }

    [Fact]
    public void WeightNormRecomputesTheWeightOnEveryForward()
    {
        var linear = WeightNorm.Apply(new Linear(4, 3, generator: new Generator(11)));
        var x = Tensor.Randn([2, 4], DType.Float32, new Generator(12));
        var b = linear.Bias!;
        var y0 = linear.Forward(x) - b;

        // Doubling g doubles the weight; scaling v changes nothing (only its direction counts).
        using (new NoGrad())
        {
            linear.GetParameter("weight_g").CopyFrom(linear.GetParameter("weight_g") * 2.0);
            linear.GetParameter("weight_v").CopyFrom(linear.GetParameter("weight_v") * 5.0);
        }
        TensorAssert.Close(y0 * 2.0, linear.Forward(x) - b, 1e-5, 1e-5, "output after changing g and v");

        // A training step on g and v changes the next forward: gradients reach them through the recomputed weight.
        linear.ZeroGrad();
        linear.Forward(x).Pow(2).Sum().Backward();
        Assert.NotNull(linear.GetParameter("weight_g").Grad);
        Assert.NotNull(linear.GetParameter("weight_v").Grad);
        var before = linear.Forward(x).Detach().Clone();
        new Nabla.Optim.SGD(linear.Parameters(), lr: 0.1).Step();
        Assert.True(TensorAssert.Flat(linear.Forward(x) - before).Any(d => Math.Abs(d) > 1e-3), "the step did not change the output");
    }

    [Fact]
    public void RemoveWeightNormBakesTheCurrentWeightBackIn()
    {
        var linear = WeightNorm.Apply(new Linear(4, 3, generator: new Generator(13)));
        using (new NoGrad()) linear.GetParameter("weight_g").CopyFrom(linear.GetParameter("weight_g") * 3.0);
        var expected = linear.Weight.Detach().Clone();
        WeightNorm.Remove(linear);
        Assert.Equal(["bias", "weight"], linear.NamedParameters().Select(p => p.Name));
        Assert.True(linear.Weight.IsLeaf && linear.Weight.RequiresGrad);
        TensorAssert.Equal(expected, linear.Weight);
    }

    [Fact]
    public void ShapeLayers()
    {
        var x = Tensor.Zeros(2, 3, 4, 5);
        Assert.Same(x, new Identity().Forward(x));
        Assert.Equal([2, 60], new Flatten().Forward(x).Shape);
        Assert.Equal([2, 3, 20], new Flatten(-2).Forward(x).Shape);
        Assert.Equal([2, 3, 2, 2, 5], new Unflatten(2, 2, -1).Forward(x).Shape);
        Assert.Equal([2, 3, 4, 5, 1], new Unflatten(-1, 5, 1).Forward(x).Shape);
        Assert.Equal([2, 60], new Sequential(new Flatten(), new Unflatten(1, 3, 20), new Flatten()).Forward(x).Shape);
    }
}
