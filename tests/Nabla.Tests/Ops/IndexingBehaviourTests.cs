using Nabla.Autograd;
using Nabla.Tests.Support;

namespace Nabla.Tests.Ops;

/// <summary>What the golden fixtures cannot show: part counts, view sharing, in-place writes, 0-d and empty tensors.</summary>
public class IndexingBehaviourTests
{
    static Tensor Range(int n, params int[] shape) => Tensor.From(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), shape);

    [Fact]
    public void SplitAndChunkReturnPyTorchsPartCounts()
    {
        var x = Range(5, 5);
        Assert.Equal([2, 2, 1], x.Split(2).Select(p => p.Size(0)));
        Assert.Equal([2, 2, 1], x.Chunk(4).Select(p => p.Size(0)));   // ceil(5 / 4) = 2, so only 3 parts
        Assert.Equal([2, 2, 2], Range(6, 6).Chunk(4).Select(p => p.Size(0)));
        Assert.Equal([0, 5, 0], x.Split([0, 5, 0]).Select(p => p.Size(0)));
    }

    [Fact]
    public void SplitPartsAreViewsOfTheInput()
    {
        var x = Range(6, 2, 3);
        var parts = x.Split(2, 1);
        Assert.Same(x.Storage, parts[1].Storage);
        parts[1].FillInPlace(-1);
        TensorAssert.Equal(Tensor.From(new float[] { 0, 1, -1, 3, 4, -1 }, 2, 3), x);
    }

    [Fact]
    public void FlipCopiesAndKeepsTheInput()
    {
        var x = Range(4, 2, 2);
        var y = x.Flip(0, 1);
        Assert.NotSame(x.Storage, y.Storage);
        Assert.True(y.IsContiguous);
        TensorAssert.Equal(Tensor.From(new float[] { 3, 2, 1, 0 }, 2, 2), y);
        TensorAssert.Equal(Range(4, 2, 2), x);
        TensorAssert.Equal(Tensor.Scalar(7), Tensor.Scalar(7).Flip());
        Assert.Equal([0, 3], Tensor.Zeros(0, 3).Flip(0).Shape);
    }

    [Fact]
    public void ScatterInPlaceWritesThroughAView()
    {
        var x = Tensor.Zeros(3, 4);
        var column = x.Slice(1, 1, 4, 2);   // columns 1 and 3, a strided view
        column.ScatterInPlace(0, Tensor.From(new long[] { 2, 0 }, 1, 2), Tensor.From(new float[] { 5, 6 }, 1, 2));
        TensorAssert.Equal(Tensor.From(new float[] { 0, 0, 0, 6, 0, 0, 0, 0, 0, 5, 0, 0 }, 3, 4), x);
    }

    [Fact]
    public void ScatterAddInPlaceAccumulatesRepeatedIndices()
    {
        var x = Tensor.Ones(3);
        x.ScatterAddInPlace(0, Tensor.From(new long[] { 1, 1, 2, 1 }), Tensor.From(new float[] { 1, 2, 3, 4 }));
        TensorAssert.Equal(Tensor.From(new float[] { 1, 8, 4 }), x);
    }

    [Fact]
    public void InPlaceScatterWithABadIndexLeavesTheTensorUntouched()
    {
        var x = Tensor.Ones(3);
        Assert.Throws<IndexOutOfRangeException>(() =>
            x.ScatterInPlace(0, Tensor.From(new long[] { 0, 3 }), Tensor.From(new float[] { 9, 9 })));
        TensorAssert.Equal(Tensor.Ones(3), x);
    }

    [Fact]
    public void InPlaceScatterIsAllowedUnderNoGrad()
    {
        var w = Tensor.Zeros(2).RequiresGrad_();
        using (new NoGrad()) w.ScatterInPlace(0, Tensor.From(new long[] { 1 }), Tensor.From(new float[] { 3 }));
        TensorAssert.Equal(Tensor.From(new float[] { 0, 3 }), w.Detach());
    }

    [Fact]
    public void ZeroDimensionalGatherAndScatter()
    {
        var x = Tensor.Scalar(4);
        var index = Tensor.FromScalar(0L);
        TensorAssert.Equal(Tensor.Scalar(4), x.Gather(0, index));
        TensorAssert.Equal(Tensor.Scalar(2), x.Scatter(-1, index, 2.0));
    }

    [Fact]
    public void EmptyIndicesGiveEmptyResults()
    {
        var x = Range(6, 2, 3);
        Assert.Equal([2, 0], x.Gather(1, Tensor.Zeros([2, 0], DType.Int64)).Shape);
        Assert.Equal([2, 0], x.IndexSelect(1, Tensor.Zeros([0], DType.Int64)).Shape);
        TensorAssert.Equal(x, x.ScatterAdd(1, Tensor.Zeros([2, 0], DType.Int64), Tensor.Zeros(2, 0)));
        Assert.Equal([0, 3], Tensor.OneHot(Tensor.Zeros([0], DType.Int64), 3).Shape);
    }

    [Fact]
    public void CatGradientsKeepEachInputsDtype()
    {
        var a = Tensor.Ones(2).RequiresGrad_();
        var b = Tensor.Ones([3], DType.Float64).RequiresGrad_();
        var y = Tensor.Cat([a, b, Tensor.From(new long[] { 5 })]);
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal("CatBackward", y.GradFnName);
        y.Sum().Backward();
        Assert.Equal(DType.Float32, a.Grad!.DType);
        Assert.Equal(DType.Float64, b.Grad!.DType);
    }

    [Fact]
    public void StackOfBoolsStaysBool()
    {
        var y = Tensor.Stack([Tensor.From(new[] { true, false }), Tensor.From(new[] { false, false })], 1);
        Assert.Equal(DType.Bool, y.DType);
        Assert.Equal([true, false, false, false], y.ToArray<bool>());
    }
}
