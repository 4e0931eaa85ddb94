using Nabla.Autograd;
using Nabla.Tests.Support;

namespace Nabla.Tests.Autograd;

/// <summary>The behaviour of Backward itself: accumulation, graph freeing, scopes, detaching, retained grads.</summary>
public class EngineTests
{
    static Tensor Leaf(params float[] values) => Tensor.From(values).RequiresGrad_();

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = Leaf(1, 2, 3);
        (x * x).Sum().Backward();
        (x * 3.0).Sum().Backward();
        TensorAssert.Close(Tensor.From(new float[] { 5, 7, 9 }), x.Grad!);
    }

    [Fact]
    public void ZeroGradForgetsTheGradient()
    {
        var x = Leaf(1, 2);
        (x * x).Sum().Backward();
        x.ZeroGrad();
        Assert.Null(x.Grad);
        x.Sum().Backward();
        TensorAssert.Close(Tensor.From(new float[] { 1, 1 }), x.Grad!);
    }

    [Fact]
    public void SecondBackwardThroughFreedGraphThrows()
    {
        var x = Leaf(1, 2);
        var y = (x * x).Sum();
        y.Backward();
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("second time", e.Message);
        Assert.Contains("retainGraph", e.Message);
    }

    [Fact]
    public void RetainGraphAllowsTwoBackwardPasses()
    {
        var x = Leaf(1, 2);
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        TensorAssert.Close(Tensor.From(new float[] { 4, 8 }), x.Grad!);
    }

    [Fact]
    public void BackwardOnNonScalarNeedsAGradient()
    {
        var x = Leaf(1, 2, 3);
        var y = x * 2.0;
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("backward", e.Message);
        Assert.Contains("[3]", e.Message);
    }

    [Fact]
    public void BackwardWithUpstreamGradientOfWrongShapeThrows()
    {
        var y = Leaf(1, 2, 3) * 2.0;
        var e = Assert.Throws<ArgumentException>(() => y.Backward(Tensor.Ones(2)));
        Assert.Contains("[2]", e.Message);
        Assert.Contains("[3]", e.Message);
    }

    [Fact]
    public void BackwardWithUpstreamGradientWeightsTheOutputs()
    {
        var x = Leaf(1, 2, 3);
        (x * x).Backward(Tensor.From(new float[] { 1, 0, -1 }));
        TensorAssert.Close(Tensor.From(new float[] { 2, 0, -6 }), x.Grad!);
    }

    [Fact]
    public void BackwardOnTensorWithoutGradThrows()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.Ones(1).Sum().Backward());
        Assert.Contains("does not require grad", e.Message);
    }

    [Fact]
    public void NoGradScopeRecordsNothing()
    {
        var x = Leaf(1, 2);
        Tensor y;
        using (new NoGrad()) y = x * x;
        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFnName);
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void DetachCutsTheGraphButSharesStorage()
    {
        var x = Leaf(1, 2);
        var d = x.Detach();
        Assert.False(d.RequiresGrad);
        Assert.Same(x.Storage, d.Storage);
        var y = (x * d).Sum();
        y.Backward();
        TensorAssert.Close(Tensor.From(new float[] { 1, 2 }), x.Grad!);
    }

    [Fact]
    public void RetainGradKeepsANonLeafGradient()
    {
        var x = Leaf(1, 2);
        var h = x * 3.0;
        h.RetainGrad();
        (h * h).Sum().Backward();
        TensorAssert.Close(Tensor.From(new float[] { 6, 12 }), h.Grad!);
        TensorAssert.Close(Tensor.From(new float[] { 18, 36 }), x.Grad!);
    }

    [Fact]
    public void ATensorUsedTwiceGetsTheSumOfBothPaths()
    {
        var x = Leaf(2);
        var y = x * x * x + x;
        y.Sum().Backward();
        TensorAssert.Close(Tensor.From(new float[] { 13 }), x.Grad!);
    }

    [Fact]
    public void GradientsOfSharedLeavesAreIndependentTensors()
    {
        var a = Leaf(1, 2);
        var b = Leaf(3, 4);
        (a + b).Sum().Backward();
        Assert.NotSame(a.Grad, b.Grad);
        Assert.NotSame(a.Grad!.Storage, b.Grad!.Storage);
    }

    [Fact]
    public void GradFnNamesFollowPyTorch()
    {
        var x = Leaf(1, 2);
        Assert.Equal("MulBackward", (x * x).GradFnName);
        Assert.Equal("SumBackward", x.Sum().GradFnName);
        Assert.True(x.IsLeaf);
        Assert.False((x * 2.0).IsLeaf);
    }

    [Fact]
    public void IntegerTensorsCannotRequireGrad()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.From(new long[] { 1, 2 }).RequiresGrad = true);
        Assert.Contains("int64", e.Message);
    }

    [Fact]
    public void InPlaceWriteToALeafThatRequiresGradThrows()
    {
        var x = Leaf(1, 2);
        var e = Assert.Throws<InvalidOperationException>(() => x.FillInPlace(0));
        Assert.Contains("fill_", e.Message);
        using (new NoGrad()) x.FillInPlace(0);
        Assert.Equal(0, x.Sum().Item());
    }

    [Fact]
    public void ViewsPropagateGradientsToTheirBase()
    {
        var x = Tensor.From(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3).RequiresGrad_();
        var v = x.T().Slice(0, 1, 3).Reshape(-1);
        (v * Tensor.From(new float[] { 1, 2, 3, 4 })).Sum().Backward();
        TensorAssert.Close(Tensor.From(new float[] { 0, 1, 3, 0, 2, 4 }, 2, 3), x.Grad!);
    }

    [Fact]
    public void MixedDtypeOpsGiveEachInputAGradientOfItsOwnDtype()
    {
        var a = Tensor.From(new float[] { 1, 2 }).RequiresGrad_();
        var b = Tensor.From(new double[] { 3, 4 }).RequiresGrad_();
        (a * b).Sum().Backward();
        Assert.Equal(DType.Float32, a.Grad!.DType);
        Assert.Equal(DType.Float64, b.Grad!.DType);
        Assert.Equal(new float[] { 3, 4 }, a.Grad.ToArray<float>());
    }

    [Fact]
    public void LongChainsDoNotOverflowTheStack()
    {
        var x = Leaf(1);
        var y = x;
        for (int i = 0; i < 20000; i++) y = y + 0.0;
        y.Sum().Backward();
        Assert.Equal(1.0, x.Grad!.Item(), 6);
    }
}
