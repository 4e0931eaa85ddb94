namespace Nabla.Tests.Ops;

/// <summary>Every indexing entry point answers wrong shapes, dtypes, dims and indices with a message naming the op.</summary>
public class IndexingBadInputTests
{
    static readonly Tensor X = Tensor.Zeros(3, 4);

    static Tensor Longs(long[] values, params int[] shape) => Tensor.From(values, shape);

    static void Message(Exception e, params string[] parts)
    {
        foreach (var p in parts) Assert.Contains(p, e.Message);
    }

    [Fact]
    public void CatOfNoTensors() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.Cat([])), "cat", "non-empty");

    [Fact]
    public void CatShapeMismatchNamesDimAndShapes() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.Cat([Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)], 0)),
            "cat", "dimension 0", "[2, 3]", "[2, 4]");

    [Fact]
    public void CatRankMismatch() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.Cat([Tensor.Zeros(2, 3), Tensor.Zeros(2, 3, 1)], 1)),
            "cat", "[2, 3]", "[2, 3, 1]");

    [Fact]
    public void CatOfZeroDimensionalTensors() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.Cat([Tensor.Scalar(1), Tensor.Scalar(2)])), "cat", "zero-dimensional", "position 0");

    [Fact]
    public void CatDimOutOfRange() =>
        Message(Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Cat([X, X], 2)), "cat", "dimension 2", "rank 2");

    [Fact]
    public void StackShapeMismatch() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.Stack([X, Tensor.Zeros(4, 3)])), "stack", "[3, 4]", "[4, 3]", "entry 1");

    [Fact]
    public void StackOfNoTensors() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.Stack([])), "stack", "non-empty");

    [Fact]
    public void StackDimOutOfRange() =>
        Message(Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Stack([X, X], 3)), "stack", "dimension 3");

    [Fact]
    public void SplitSizesThatDoNotSum() =>
        Message(Assert.Throws<ArgumentException>(() => X.Split([1, 2], 1)), "split", "[1, 2]", "4", "[3, 4]");

    [Fact]
    public void SplitSizeZero() =>
        Message(Assert.Throws<ArgumentException>(() => X.Split(0, 1)), "split", "positive", "[3, 4]");

    [Fact]
    public void SplitOfAScalar() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.Scalar(1).Split(1)), "split", "0-dimensional");

    [Fact]
    public void ChunkCountZero() =>
        Message(Assert.Throws<ArgumentException>(() => X.Chunk(0)), "chunk", "positive", "[3, 4]");

    [Fact]
    public void FlipRepeatedDim() =>
        Message(Assert.Throws<ArgumentException>(() => X.Flip(1, -1)), "flip", "dimension 1", "[3, 4]");

    [Fact]
    public void FlipDimOutOfRange() =>
        Message(Assert.Throws<ArgumentOutOfRangeException>(() => X.Flip(2)), "flip", "dimension 2");

    [Fact]
    public void GatherWithAFloatIndex() =>
        Message(Assert.Throws<ArgumentException>(() => X.Gather(1, Tensor.Zeros(3, 1))), "gather", "int64", "float32");

    [Fact]
    public void GatherIndexTooLarge() =>
        Message(Assert.Throws<IndexOutOfRangeException>(() => X.Gather(1, Longs([0, 4, 1], 3, 1))), "gather", "index 4", "dimension 1", "size 4");

    [Fact]
    public void GatherNegativeIndex() =>
        Message(Assert.Throws<IndexOutOfRangeException>(() => X.Gather(0, Longs([-1], 1, 1))), "gather", "index -1", "size 3");

    [Fact]
    public void GatherIndexOfAnotherRank() =>
        Message(Assert.Throws<ArgumentException>(() => X.Gather(0, Longs([0, 1]))), "gather", "[2]", "[3, 4]");

    [Fact]
    public void GatherIndexLargerOutsideDim() =>
        Message(Assert.Throws<ArgumentException>(() => X.Gather(1, Tensor.Zeros([4, 1], DType.Int64))), "gather", "[4, 1]", "[3, 4]", "dimension 0");

    [Fact]
    public void GatherDimOutOfRange() =>
        Message(Assert.Throws<ArgumentOutOfRangeException>(() => X.Gather(-3, Tensor.Zeros([1, 1], DType.Int64))), "gather", "dimension -3");

    [Fact]
    public void ScatterSrcOfAnotherDtype() =>
        Message(Assert.Throws<ArgumentException>(() => X.Scatter(0, Tensor.Zeros([1, 1], DType.Int64), Tensor.Zeros([1, 1], DType.Float64))),
            "scatter", "float64", "float32");

    [Fact]
    public void ScatterIndexTooLarge() =>
        Message(Assert.Throws<IndexOutOfRangeException>(() => X.Scatter(0, Longs([3], 1, 1), Tensor.Zeros(1, 1))), "scatter", "index 3", "size 3");

    [Fact]
    public void ScatterSrcSmallerThanIndex() =>
        Message(Assert.Throws<ArgumentException>(() => X.Scatter(0, Tensor.Zeros([2, 2], DType.Int64), Tensor.Zeros(2, 1))),
            "scatter", "[2, 2]", "[2, 1]");

    [Fact]
    public void ScatterWithAFloatIndex() =>
        Message(Assert.Throws<ArgumentException>(() => X.Scatter(0, Tensor.Zeros(1, 1), 1.0)), "scatter", "int64", "float32");

    [Fact]
    public void ScatterAddIndexTooLarge() =>
        Message(Assert.Throws<IndexOutOfRangeException>(() => X.ScatterAdd(1, Longs([7], 1, 1), Tensor.Zeros(1, 1))), "scatter_add", "index 7", "size 4");

    [Fact]
    public void ScatterAddOfBools() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.Zeros([2], DType.Bool).ScatterAdd(0, Longs([0]), Tensor.Zeros([1], DType.Bool))),
            "scatter_add", "bool");

    [Fact]
    public void ScatterInPlaceOnATensorThatRequiresGrad() =>
        Message(Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2).RequiresGrad_().ScatterInPlace(0, Longs([0]), Tensor.Zeros(1))),
            "scatter_", "[2]");

    [Fact]
    public void ScatterAddInPlaceIndexTooLarge() =>
        Message(Assert.Throws<IndexOutOfRangeException>(() => Tensor.Zeros(2).ScatterAddInPlace(0, Longs([2]), Tensor.Zeros(1))), "scatter_add_", "index 2", "size 2");

    [Fact]
    public void IndexSelectIndexTooLarge() =>
        Message(Assert.Throws<IndexOutOfRangeException>(() => X.IndexSelect(1, Longs([0, 9]))), "index_select", "index 9", "size 4");

    [Fact]
    public void IndexSelectNegativeIndex() =>
        Message(Assert.Throws<IndexOutOfRangeException>(() => X.IndexSelect(0, Longs([-1]))), "index_select", "index -1", "size 3");

    [Fact]
    public void IndexSelectWithATwoDimensionalIndex() =>
        Message(Assert.Throws<ArgumentException>(() => X.IndexSelect(0, Longs([0, 1], 1, 2))), "index_select", "[1, 2]", "[3, 4]");

    [Fact]
    public void IndexSelectWithABoolIndex() =>
        Message(Assert.Throws<ArgumentException>(() => X.IndexSelect(0, Tensor.From(new[] { true }))), "index_select", "int64", "bool");

    [Fact]
    public void IndexSelectOfAScalar() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.Scalar(1).IndexSelect(0, Longs([0]))), "index_select", "0-dimensional");

    [Fact]
    public void IndexAddSourceOfTheWrongShape() =>
        Message(Assert.Throws<ArgumentException>(() => X.IndexAdd(0, Longs([0, 1]), Tensor.Zeros(2, 3))), "index_add", "[2, 3]", "[3, 4]", "[2, 4]");

    [Fact]
    public void OneHotOfFloats() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.OneHot(Tensor.Zeros(3), 4)), "one_hot", "int64", "float32");

    [Fact]
    public void OneHotValueTooLarge() =>
        Message(Assert.Throws<IndexOutOfRangeException>(() => Tensor.OneHot(Longs([1, 4]), 4)), "one_hot", "value 4", "4 classes");

    [Fact]
    public void OneHotNegativeValue() =>
        Message(Assert.Throws<IndexOutOfRangeException>(() => Tensor.OneHot(Longs([1, -1]))), "one_hot", "value -1");

    [Fact]
    public void OneHotCannotInferFromEmpty() =>
        Message(Assert.Throws<ArgumentException>(() => Tensor.OneHot(Tensor.Zeros([0], DType.Int64))), "one_hot", "empty");
}
