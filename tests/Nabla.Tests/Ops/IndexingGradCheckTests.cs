using Nabla.Autograd;

namespace Nabla.Tests.Ops;

/// <summary>Float64 finite-difference checks of every differentiable op in the indexing family.</summary>
public class IndexingGradCheckTests
{
    static Tensor Randn(int seed, params int[] shape)
    {
        var rng = new System.Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        var data = new double[n];
        for (int i = 0; i < n; i++) data[i] = rng.NextDouble() * 2 - 1;
        return Tensor.From(data, shape);
    }

    static Tensor Index(long[] values, params int[] shape) => Tensor.From(values, shape);

    [Fact]
    public void Cat() => GradCheck.Assert(x => Tensor.Cat([x[0], x[1].T(), x[2]], 1), Randn(1, 2, 3), Randn(2, 4, 2), Randn(3, 2, 1));

    [Fact]
    public void Stack() => GradCheck.Assert(x => Tensor.Stack([x[0], x[1]], -2), Randn(4, 3, 2), Randn(5, 3, 2));

    [Fact]
    public void SplitAndChunk() => GradCheck.Assert(x =>
    {
        var a = x[0].Split([1, 3], 1);
        var c = x[0].Chunk(3, 0);
        return (a[1].Sum(1) * 2.0) + (c[0].Sum() * c[2].Sum()) + a[0].Squeeze(1);
    }, Randn(6, 5, 4));

    [Fact]
    public void Flip() => GradCheck.Assert(x => x[0].Transpose(0, 1).Flip(0, -1) * x[0].Transpose(0, 1), Randn(7, 3, 4));

    [Fact]
    public void GatherWithRepeatedIndices() =>
        GradCheck.Assert(x => x[0].Gather(1, x[1]), Randn(8, 3, 4), Index([0, 0, 3, 1, 1, 1, 2, 2, 0], 3, 3));

    [Fact]
    public void ScatterBothInputs() =>
        GradCheck.Assert(x => x[0].Scatter(0, x[1], x[2]), Randn(9, 4, 3), Index([3, 0, 2, 1, 2, 0], 2, 3), Randn(10, 2, 3));

    [Fact]
    public void ScatterWithSrcLargerThanIndex() =>
        // Only src[:2, :2] is read; the rest of src gets zero gradient (PyTorch 1.13 raises a shape error here).
        GradCheck.Assert(x => x[0].Scatter(1, x[1], x[2]), Randn(11, 3, 4), Index([3, 0, 1, 2], 2, 2), Randn(12, 3, 5));

    [Fact]
    public void ScatterValue() => GradCheck.Assert(x => x[0].Scatter(-1, x[1], 0.5), Randn(13, 2, 4), Index([1, 3, 0, 2], 2, 2));

    [Fact]
    public void ScatterAddWithRepeatedIndices() =>
        GradCheck.Assert(x => x[0].ScatterAdd(0, x[1], x[2]), Randn(14, 2, 3), Index([1, 1, 0, 1, 0, 0, 1, 1], 4, 2), Randn(15, 4, 3));

    [Fact]
    public void IndexSelectWithRepeatedIndices() =>
        GradCheck.Assert(x => x[0].IndexSelect(1, x[1]), Randn(16, 2, 4, 3), Index([2, 2, 0, 3, 2], 5));

    [Fact]
    public void IndexAdd() =>
        GradCheck.Assert(x => x[0].IndexAdd(0, x[1], x[2]), Randn(17, 3, 2), Index([2, 0, 2, 2], 4), Randn(18, 4, 2));
}
