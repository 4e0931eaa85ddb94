using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>
/// The fused loss ops against their composed twins (the same math from primitive ops), NaN propagation,
/// masked positions that hold garbage, numerical stability, and the loss modules' repr and state.
/// </summary>
public class LossBehaviourTests
{
    static Tensor Normal(ulong seed, params int[] shape) => Tensor.Randn(shape, DType.Float64, new Generator(seed));

    static Tensor Rand(ulong seed, double low, double high, params int[] shape) =>
        Tensor.Rand(shape, DType.Float64, new Generator(seed)) * (high - low) + low;

    /// <summary>Compares value and gradients of two implementations under the same random upstream.</summary>
    static void SameAsTwin(Func<Tensor[], Tensor> fused, Func<Tensor[], Tensor> composed, params Tensor[] inputs)
    {
        Tensor[] Leaves() => inputs.Select(x => { var c = x.Clone(); if (c.DType.IsFloating()) c.RequiresGrad = true; return c; }).ToArray();
        var a = Leaves();
        var b = Leaves();
        var ya = fused(a);
        var yb = composed(b);
        TensorAssert.Close(yb, ya, 1e-12, 1e-12, "value");
        var up = Tensor.Randn(ya.Shape, ya.DType, new Generator(99));
        ya.Backward(up);
        yb.Backward(up);
        for (int i = 0; i < a.Length; i++)
            if (a[i].DType.IsFloating()) TensorAssert.Close(b[i].Grad!, a[i].Grad!, 1e-10, 1e-12, $"gradient of input {i}");
    }

    /// <summary>The composed twin of the fused cross-entropy: log-softmax, gather, weights, smoothing, ignore mask.</summary>
    static Tensor ComposedCrossEntropy(Tensor x, Tensor target, Tensor? weight, long ignore, double eps)
    {
        int classes = x.Size(1);
        var logp = x - x.LogSumExp(1, keepDim: true);
        var valid = target.Ne(ignore);
        var index = Tensor.Where(valid, target, 0L);
        var w = weight ?? Tensor.Ones([classes], x.DType);
        var bshape = Enumerable.Repeat(1, x.Rank).ToArray();
        bshape[1] = classes;
        var wy = w.IndexSelect(0, index.Flatten()).Reshape(target.Shape);
        var nll = -logp.Gather(1, index.Unsqueeze(1)).Squeeze(1) * wy;
        var smooth = -(logp * w.Reshape(bshape)).Sum(1);
        var loss = nll * (1 - eps) + smooth * (eps / classes);
        return Tensor.Where(valid, loss, 0.0);
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.0, true)]
    [InlineData(0.25, false)]
    [InlineData(0.25, true)]
    public void FusedCrossEntropyMatchesComposedTwin(double eps, bool weighted)
    {
        var w = weighted ? Rand(1, 0.3, 2, 5) : null;
        var flat = Tensor.From(new long[] { 0, 4, -100, 2, 1, 3, 3 }, 7);
        SameAsTwin(x => Functional.CrossEntropy(x[0], flat, w, reduction: Reduction.None, labelSmoothing: eps),
            x => ComposedCrossEntropy(x[0], flat, w, -100, eps), Normal(2, 7, 5));
        // Spatial layout (inner stride > 1), ignore_index inside the class range.
        var spatial = Tensor.Randint(0, 5, [2, 3, 4], generator: new Generator(3));
        SameAsTwin(x => Functional.CrossEntropy(x[0], spatial, w, ignoreIndex: 2, reduction: Reduction.None, labelSmoothing: eps),
            x => ComposedCrossEntropy(x[0], spatial, w, 2, eps), Normal(4, 2, 5, 3, 4));
    }

    /// <summary>Every class count around the vector widths, so the kernel's SIMD bodies and tails are all exercised.</summary>
    [Fact]
    public void FusedCrossEntropyMatchesTwinForEveryClassCount()
    {
        for (int classes = 1; classes <= 70; classes++)
        {
            var labels = Tensor.Randint(0, classes, [3], generator: new Generator((ulong)classes));
            var w = Rand((ulong)classes + 100, 0.5, 1.5, classes);
            int c = classes;
            SameAsTwin(x => Functional.CrossEntropy(x[0], labels, w, reduction: Reduction.None, labelSmoothing: 0.1),
                x => ComposedCrossEntropy(x[0], labels, w, -100, 0.1), Normal((ulong)c + 200, 3, c));
        }
    }

    [Fact]
    public void FusedCrossEntropyInFloat32MatchesFloat64()
    {
        var logits = Normal(13, 9, 37) * 4.0;
        var labels = Tensor.Randint(0, 37, [9], generator: new Generator(14));
        var x32 = logits.Float().RequiresGrad_();
        var x64 = logits.Clone().RequiresGrad_();
        var l32 = Functional.CrossEntropy(x32, labels, labelSmoothing: 0.1);
        var l64 = Functional.CrossEntropy(x64, labels, labelSmoothing: 0.1);
        Assert.Equal(l64.Item(), l32.Item(), 5);
        l32.Backward();
        l64.Backward();
        TensorAssert.Close(x64.Grad!.Float(), x32.Grad!, 1e-5, 1e-6);
    }

    [Fact]
    public void EmptyBatchesGiveNaNMeansAndZeroSums()
    {
        var noLabels = Tensor.Zeros([0], DType.Int64);
        Assert.True(double.IsNaN(Functional.CrossEntropy(Tensor.Zeros(0, 5), noLabels).Item()));
        Assert.Equal(0.0, Functional.CrossEntropy(Tensor.Zeros(0, 5), noLabels, reduction: Reduction.Sum).Item());
        Assert.Equal([0], Functional.NllLoss(Tensor.Zeros(0, 5), noLabels, reduction: Reduction.None).Shape);
        Assert.True(double.IsNaN(Functional.MseLoss(Tensor.Zeros(0), Tensor.Zeros(0)).Item()));
        Assert.True(double.IsNaN(Functional.BinaryCrossEntropyWithLogits(Tensor.Zeros(2), Tensor.Zeros(2), mask: Tensor.Zeros([2], DType.Bool)).Item()));
    }

    [Fact]
    public void FusedBinaryCrossEntropyMatchesComposedTwin()
    {
        var w = Rand(5, 0.5, 2, 4);
        SameAsTwin(x => Functional.BinaryCrossEntropy(x[0], x[1], w, Reduction.None),
            x => -(x[1] * x[0].Log().Clamp(min: -100.0) + (1.0 - x[1]) * (1.0 - x[0]).Log().Clamp(min: -100.0)) * w,
            Rand(6, 0.02, 0.98, 3, 4), Rand(7, 0, 1, 3, 4));
    }

    [Fact]
    public void FusedBinaryCrossEntropyWithLogitsMatchesComposedTwin()
    {
        var w = Rand(8, 0.5, 2, 3, 1);
        var pw = Rand(9, 0.5, 3, 4);
        var mask = Rand(10, 0, 1, 3, 4) > 0.3;
        // Logits kept away from 0, where the composition's |x| and max kinks give a different subgradient.
        var x0 = Normal(11, 3, 4) * 3.0;
        x0 = Tensor.Where(x0.Abs() < 0.1, x0 + 0.5, x0);
        SameAsTwin(x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], w, pw, Reduction.None, mask),
            x =>
            {
                var softplus = ((-x[0].Abs()).Exp() + 1.0).Log() + (-x[0]).Relu();
                var loss = (1.0 - x[1]) * x[0] + (1.0 + (pw - 1.0) * x[1]) * softplus;
                return Tensor.Where(mask, loss * w, 0.0);
            },
            x0, Rand(12, 0, 1, 3, 4));
    }

    [Fact]
    public void ZeroLogitsGetTheSigmoidGradient()
    {
        // σ(0) − y = 0.5 − y: the value a zero-initialised logistic regression starts from.
        var x = Tensor.Zeros(4).RequiresGrad_();
        var y = Tensor.From(new[] { 0f, 1f, 0.25f, 1f }, 4);
        Functional.BinaryCrossEntropyWithLogits(x, y, reduction: Reduction.Sum).Backward();
        TensorAssert.Close(Tensor.From(new[] { 0.5f, -0.5f, 0.25f, -0.5f }, 4), x.Grad!);
    }

    [Fact]
    public void NaNInputsPropagate()
    {
        var nan = Tensor.From(new[] { 0.5f, float.NaN, 0.25f }, 3);
        var t = Tensor.From(new[] { 0.5f, 0.5f, 1f }, 3);
        Assert.True(double.IsNaN(Functional.MseLoss(nan, t).Item()));
        Assert.True(double.IsNaN(Functional.L1Loss(nan, t).Item()));
        Assert.True(double.IsNaN(Functional.SmoothL1Loss(nan, t).Item()));
        Assert.True(double.IsNaN(Functional.HuberLoss(nan, t).Item()));
        Assert.True(double.IsNaN(Functional.BinaryCrossEntropy(nan, t).Item()));
        Assert.True(double.IsNaN(Functional.BinaryCrossEntropyWithLogits(nan, t).Item()));
        Assert.True(double.IsNaN(Functional.KlDiv(nan, t).Item()));
        Assert.True(double.IsNaN(Functional.KlDiv(t, nan).Item()));
        Assert.True(double.IsNaN(Functional.HingeEmbeddingLoss(nan, t).Item()));
        var logits = Tensor.From(new[] { 1f, 2f, float.NaN, 0f, 1f, 2f }, 2, 3);
        var labels = Tensor.From(new long[] { 0, 2 }, 2);
        Assert.True(double.IsNaN(Functional.CrossEntropy(logits, labels).Item()));
        Assert.True(double.IsNaN(Functional.CrossEntropy(logits, labels, labelSmoothing: 0.1).Item()));
        // nll_loss reads only the labelled entry, so the NaN must sit there.
        Assert.True(double.IsNaN(Functional.NllLoss(logits, Tensor.From(new long[] { 2, 0 }, 2)).Item()));
        Assert.True(double.IsNaN(Functional.MultiMarginLoss(logits, labels).Item()));
        var probs = Tensor.From(new[] { 0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f }, 2, 3);
        Assert.True(double.IsNaN(Functional.CrossEntropy(logits, probs).Item()));
    }

    [Fact]
    public void IgnoredAndMaskedPositionsDoNotLeakGarbage()
    {
        // A NaN row whose label is ignored contributes nothing, value or gradient (as PyTorch's nll_loss).
        var logits = Tensor.From(new[] { 1f, 2f, 3f, float.NaN, float.NaN, float.NaN }, 2, 3).RequiresGrad_();
        var labels = Tensor.From(new long[] { 1, -100 }, 2);
        var ce = Functional.CrossEntropy(logits, labels, labelSmoothing: 0.1);
        Assert.True(double.IsFinite(ce.Item()));
        ce.Backward();
        Assert.All(TensorAssert.Flat(logits.Grad!), v => Assert.True(double.IsFinite(v)));

        // The notes' mask form: padded positions may hold anything.
        var x = Tensor.From(new[] { 0.5f, -1f, float.NaN, float.PositiveInfinity }, 2, 2).RequiresGrad_();
        var y = Tensor.From(new[] { 1f, 0f, float.NaN, 1f }, 2, 2);
        var mask = Tensor.From(new[] { true, true, false, false }, 2, 2);
        var loss = Functional.BinaryCrossEntropyWithLogits(x, y, mask: mask);
        // Mean over the two valid positions only.
        double expected = (Math.Log(1 + Math.Exp(-0.5)) + Math.Log(1 + Math.Exp(-1))) / 2;
        Assert.Equal(expected, loss.Item(), 6);
        loss.Backward();
        var g = TensorAssert.Flat(x.Grad!);
        Assert.Equal([0.0, 0.0], g[2..]);
        Assert.Equal((1 / (1 + Math.Exp(-0.5)) - 1) / 2, g[0], 6);
    }

    [Fact]
    public void HugeLogitsStayFinite()
    {
        var logits = Tensor.From(new[] { 1e30f, -1e30f, 0f, 3e38f, 3e38f, 0f }, 2, 3).RequiresGrad_();
        var labels = Tensor.From(new long[] { 0, 2 }, 2);
        var loss = Functional.CrossEntropy(logits, labels, reduction: Reduction.None);
        Assert.Equal(0.0, loss.ToArray<float>()[0]);
        Assert.True(float.IsFinite(loss.ToArray<float>()[1]));
        loss.Sum().Backward();
        Assert.All(TensorAssert.Flat(logits.Grad!), v => Assert.True(double.IsFinite(v)));
        var bce = Functional.BinaryCrossEntropyWithLogits(Tensor.From(new[] { 1e30f, -1e30f }, 2), Tensor.From(new[] { 1f, 0f }, 2));
        Assert.Equal(0.0, bce.Item());
    }

    [Fact]
    public void AllIgnoredMeanIsNaNLikePyTorch()
    {
        var labels = Tensor.From(new long[] { -100, -100 }, 2);
        Assert.True(double.IsNaN(Functional.CrossEntropy(Tensor.Zeros(2, 3), labels).Item()));
        Assert.Equal(0.0, Functional.CrossEntropy(Tensor.Zeros(2, 3), labels, reduction: Reduction.Sum).Item());
    }

    [Fact]
    public void ModulesPrintLikePyTorchAndKeepWeightsAsBuffers()
    {
        Assert.Equal("CrossEntropyLoss()", new CrossEntropyLoss().ToString());
        Assert.Equal("MSELoss()", new MSELoss().ToString());
        var w = Tensor.Ones(3);
        var pw = Tensor.Full([3], 2.0);
        var bce = new BCEWithLogitsLoss(w, posWeight: pw);
        Assert.Equal(["weight", "pos_weight"], bce.StateDict().Keys);
        Assert.Empty(bce.Parameters());
        Assert.Empty(new CrossEntropyLoss().StateDict());
        // Loading a state dict changes the weight the loss uses (read through the registry).
        var ce = new CrossEntropyLoss(Tensor.Ones(3));
        var before = ce.Forward(Tensor.From(new[] { 1f, 2f, 3f, 0f, 0f, 1f }, 2, 3), Tensor.From(new long[] { 0, 2 }, 2)).Item();
        var dict = ce.StateDict();
        dict["weight"] = Tensor.From(new[] { 3f, 1f, 1f }, 3);
        ce.LoadStateDict(dict);
        var after = ce.Forward(Tensor.From(new[] { 1f, 2f, 3f, 0f, 0f, 1f }, 2, 3), Tensor.From(new long[] { 0, 2 }, 2)).Item();
        Assert.NotEqual(before, after, 3);
    }
}
