using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tests.Support;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.NN;

/// <summary>
/// The fused ops against their composed twins (the same math from primitive ops), forward and backward:
/// softmax / log-softmax and the normalisation core behind BatchNorm, LayerNorm and GroupNorm. Row lengths run
/// over 1..70 so the vectorised span paths and their scalar tails are both exercised.
/// </summary>
public class NormActTwinTests
{
    static Tensor Randn(Generator g, DType dtype, params int[] shape) => Tensor.Randn(shape, dtype, g);

    /// <summary>Output and input gradient of <paramref name="f"/> for a fixed upstream gradient.</summary>
    static (Tensor Y, Tensor Grad) Run(Func<Tensor, Tensor> f, Tensor x, Tensor upstream)
    {
        var leaf = x.Detach().Clone().RequiresGrad_();
        var y = f(leaf);
        y.Backward(upstream);
        return (y.Detach(), leaf.Grad!);
    }

    static void Twin(Func<Tensor, Tensor> fused, Func<Tensor, Tensor> composed, Tensor x, Generator g, string what)
    {
        var upstream = Tensor.Randn(fused(x.Detach()).Shape, x.DType, g);
        var (y1, g1) = Run(fused, x, upstream);
        var (y2, g2) = Run(composed, x, upstream);
        TensorAssert.Close(y2, y1, 1e-5, 1e-6, what + ": output");
        TensorAssert.Close(g2, g1, 1e-5, 1e-6, what + ": gradient");
    }

    static Tensor ComposedSoftmax(Tensor x, int dim)
    {
        var e = (x - x.Max(dim, keepDim: true).Values.Detach()).Exp();
        return e / e.Sum(dim, keepDim: true);
    }

    static Tensor ComposedLogSoftmax(Tensor x, int dim) => x - x.LogSumExp(dim, keepDim: true);

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void SoftmaxMatchesComposedTwinForEveryRowLength(DType dtype)
    {
        var g = new Generator(1);
        for (int n = 1; n <= 70; n++)
        {
            var x = Randn(g, dtype, 3, n) * 4.0;
            Twin(t => t.Softmax(1), t => ComposedSoftmax(t, 1), x, g, $"softmax n={n}");
            Twin(t => t.LogSoftmax(1), t => ComposedLogSoftmax(t, 1), x, g, $"log_softmax n={n}");
        }
    }

    [Fact]
    public void SoftmaxMatchesComposedTwinOnViewsAndInnerDims()
    {
        var g = new Generator(2);
        var x = Randn(g, DType.Float32, 4, 5, 6);
        for (int dim = 0; dim < 3; dim++)
        {
            int d = dim;
            Twin(t => t.Permute(2, 0, 1).Softmax(d), t => ComposedSoftmax(t.Permute(2, 0, 1), d), x, g, $"softmax view dim {d}");
            Twin(t => t.Permute(2, 0, 1).LogSoftmax(d), t => ComposedLogSoftmax(t.Permute(2, 0, 1), d), x, g, $"log_softmax view dim {d}");
        }
    }

    [Fact]
    public void SoftmaxEdgeShapes()
    {
        Assert.Equal([0, 3], Tensor.Zeros(0, 3).Softmax(1).Shape);
        Assert.Equal([3, 0], Tensor.Zeros(3, 0).LogSoftmax(1).Shape);
        Assert.Equal(1.0, Tensor.Scalar(5).Softmax(0).Item());
        Assert.Equal(0.0, Tensor.Scalar(5).LogSoftmax(-1).Item());
        // Stability: huge logits neither overflow nor underflow the winner.
        var big = Tensor.From([1e30f, 0f, -1e30f]);
        Assert.Equal([1f, 0f, 0f], big.Softmax(0).ToArray<float>());
        Assert.Equal(0f, big.LogSoftmax(0).ToArray<float>()[0]);
    }

    /// <summary>BatchNorm's normalisation composed from Mean/Var: statistics over (N, spatial) per channel.</summary>
    static Tensor ComposedBatchNorm(Tensor x, Tensor w, Tensor b, double eps)
    {
        var dims = new[] { 0 }.Concat(Enumerable.Range(2, x.Rank - 2)).ToArray();
        var shape = Enumerable.Repeat(1, x.Rank).ToArray();
        shape[1] = x.Size(1);
        var mean = x.Mean(dims, keepDim: true);
        var variance = x.Var(dims, unbiased: false, keepDim: true);
        return (x - mean) / (variance + eps).Sqrt() * w.Reshape(shape) + b.Reshape(shape);
    }

    [Theory]
    [InlineData(DType.Float32, new[] { 7, 3 })]
    [InlineData(DType.Float32, new[] { 4, 5, 33 })]
    [InlineData(DType.Float64, new[] { 3, 4, 5, 7 })]
    [InlineData(DType.Float32, new[] { 1, 2, 70 })]
    public void BatchNormMatchesComposedTwin(DType dtype, int[] shape)
    {
        var g = new Generator(3);
        int c = shape[1];
        var w = Randn(g, dtype, c) * 0.5 + 1.0;
        var b = Randn(g, dtype, c);
        var x = Randn(g, dtype, shape) * 3.0 + 1.0;
        Twin(t => F.BatchNorm(t, null, null, w, b, training: true), t => ComposedBatchNorm(t, w, b, 1e-5), x, g, "batch_norm input");
        // Parameter gradients: w and b as the differentiated leaf in turn.
        Twin(t => F.BatchNorm(x, null, null, t, b, training: true), t => ComposedBatchNorm(x, t, b, 1e-5), w, g, "batch_norm weight");
        Twin(t => F.BatchNorm(x, null, null, w, t, training: true), t => ComposedBatchNorm(x, w, t, 1e-5), b, g, "batch_norm bias");
    }

    [Fact]
    public void LayerNormAndGroupNormMatchComposedTwins()
    {
        var g = new Generator(4);
        var x = Randn(g, DType.Float32, 2, 6, 37) * 2.0;
        Twin(t => F.LayerNorm(t, [37]),
             t => (t - t.Mean(-1, keepDim: true)) / (t.Var(-1, unbiased: false, keepDim: true) + 1e-5).Sqrt(), x, g, "layer_norm");
        Twin(t => F.LayerNorm(t, [6, 37]),
             t => (t - t.Mean([1, 2], keepDim: true)) / (t.Var([1, 2], unbiased: false, keepDim: true) + 1e-5).Sqrt(), x, g, "layer_norm 2 dims");
        Twin(t => F.GroupNorm(t, 3),
             t =>
             {
                 var grouped = t.Reshape(2, 3, 2 * 37);
                 return ((grouped - grouped.Mean(-1, keepDim: true)) / (grouped.Var(-1, unbiased: false, keepDim: true) + 1e-5).Sqrt()).Reshape(2, 6, 37);
             }, x, g, "group_norm");
    }

    [Fact]
    public void ActivationsMatchTheirDefinitions()
    {
        var g = new Generator(5);
        var x = Randn(g, DType.Float64, 4, 9) * 3.0;
        Twin(t => F.Silu(t), t => t * t.Sigmoid(), x, g, "silu");
        Twin(t => F.Gelu(t), t => t * 0.5 * (1.0 + (t / Math.Sqrt(2)).Erf()), x, g, "gelu");
        Twin(t => F.Elu(t, 0.7), t => Tensor.Where(t > 0.0, t, 0.7 * (t.Exp() - 1.0)), x, g, "elu");
        Twin(t => F.Selu(t), t => F.SeluScale * Tensor.Where(t > 0.0, t, F.SeluAlpha * (t.Exp() - 1.0)), x, g, "selu");
        Twin(t => F.Softplus(t, 2, 50), t => (1.0 + (2.0 * t).Exp()).Log() / 2.0, x, g, "softplus");
        Twin(t => F.LeakyRelu(t, 0.1), t => Tensor.Maximum(t, 0.1 * t), x, g, "leaky_relu");
    }
}
