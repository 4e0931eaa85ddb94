using Nabla.Data;
using Nabla.Tests.Support;

namespace Nabla.Tests.Data;

public class DatasetTests
{
    static IDataset<int> Range(int n) => Dataset.FromList(Enumerable.Range(0, n).ToList());

    [Fact]
    public void ShuffleIsADeterministicPermutation()
    {
        var a = Range(30).Shuffle(seed: 1).ToList();
        Assert.Equal(Range(30).Shuffle(1).ToList(), a);
        Assert.NotEqual(Range(30).Shuffle(2).ToList(), a);
        Assert.NotEqual(Enumerable.Range(0, 30), a);
        Assert.Equal(Enumerable.Range(0, 30), a.Order());
    }

    [Fact]
    public void MapSubsetAndConcatCompose()
    {
        var squares = Range(6).Map(i => i * i);
        Assert.Equal([0, 1, 4, 9, 16, 25], squares.ToList());
        Assert.Equal([25, 0, 0, 4], squares.Subset([5, 0, 0, 2]).ToList());
        var joined = Range(3).Concat(Range(0), Range(2).Map(i => 10 + i), Range(1));
        Assert.Equal(6, joined.Count);
        Assert.Equal([0, 1, 2, 10, 11, 0], joined.ToList());
    }

    [Fact]
    public void OutOfRangeIndicesNameTheWrapper()
    {
        var ex = Assert.Throws<IndexOutOfRangeException>(() => Range(4).Subset([1, 4]));
        Assert.Equal("subset: index 4 (entry 1) is out of range for a dataset of 4 items.", ex.Message);
        ex = Assert.Throws<IndexOutOfRangeException>(() => Range(2).Concat(Range(2)).Get(4));
        Assert.Equal("concat: index 4 is out of range for a dataset of 4 items.", ex.Message);
        ex = Assert.Throws<IndexOutOfRangeException>(() => Range(2).Map(i => i).Get(-1));
        Assert.Contains("map: index -1", ex.Message);
    }

    [Fact]
    public void RandomSplitGivesDisjointPartsCoveringEverything()
    {
        var parts = Range(100).RandomSplit([70, 20, 10], seed: 3);
        Assert.Equal([70, 20, 10], parts.Select(p => p.Count));
        var all = parts.SelectMany(p => p.ToList()).ToList();
        Assert.Equal(Enumerable.Range(0, 100), all.Order());
        Assert.Equal(parts[1].ToList(), Range(100).RandomSplit([70, 20, 10], 3)[1].ToList());
        Assert.NotEqual(parts[1].ToList(), Range(100).RandomSplit([70, 20, 10], 4)[1].ToList());
    }

    [Fact]
    public void RandomSplitByFractionsHandsLeftoversOutRoundRobin()
    {
        // floor(3.3) + floor(3.3) + floor(3.4) = 9: the one item left over goes to the first part (PyTorch's rule).
        Assert.Equal([4, 3, 3], Range(10).RandomSplit([0.33, 0.33, 0.34], 0).Select(p => p.Count));
        var (train, validation) = Range(50).TrainValidationSplit(0.2, seed: 9);
        Assert.Equal(40, train.Count);
        Assert.Equal(10, validation.Count);
        Assert.Empty(train.ToList().Intersect(validation.ToList()));
    }

    [Fact]
    public void RandomSplitRefusesSizesThatDoNotAddUp()
    {
        var ex = Assert.Throws<ArgumentException>(() => Range(10).RandomSplit([5, 4], 0));
        Assert.Equal("random_split: part sizes [5, 4] add up to 9, but the dataset has 10 items.", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Range(10).RandomSplit([0.5, 0.4], 0));
        Assert.Contains("random_split: fractions [0.5, 0.4] add up to 0.9", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Range(10).RandomSplit([12, -2], 0));
        Assert.Contains("must not be negative", ex.Message);
    }

    [Fact]
    public void TensorDatasetReadsRowsAsViews()
    {
        var inputs = Tensor.From(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        var ds = new TensorDataset(inputs, Tensor.From(new long[] { 7, 8, 9 }));
        var e = ds.Get(1);
        TensorAssert.Equal(Tensor.From(new float[] { 3, 4 }), e.Input);
        Assert.Same(inputs.Storage, e.Input.Storage);
        Assert.Equal(8, e.Label);
        Assert.Empty(e.Target.Shape);
        var ex = Assert.Throws<ArgumentException>(() => new TensorDataset(inputs, Tensor.Zeros(4)));
        Assert.Equal("tensor_dataset: inputs of shape [3, 2] and targets of shape [4] must have the same size in dim 0 (one row per example).", ex.Message);
        Assert.Throws<IndexOutOfRangeException>(() => ds.Get(3));
    }

    [Fact]
    public void TensorDatasetFromTableSplitsOffTheTargetColumns()
    {
        var table = Tensor.From(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 2, 4);
        var ds = TensorDataset.FromTable(table, -1);
        TensorAssert.Equal(Tensor.From(new float[] { 1, 2, 3, 5, 6, 7 }, 2, 3), ds.Inputs);
        TensorAssert.Equal(Tensor.From(new float[] { 4, 8 }, 2, 1), ds.Targets);
        var two = TensorDataset.FromTable(table, 0, 2);
        TensorAssert.Equal(Tensor.From(new float[] { 2, 4, 6, 8 }, 2, 2), two.Inputs);
        TensorAssert.Equal(Tensor.From(new float[] { 1, 3, 5, 7 }, 2, 2), two.Targets);
        var ex = Assert.Throws<IndexOutOfRangeException>(() => TensorDataset.FromTable(table, 4));
        Assert.Equal("tensor_dataset: target column 4 is out of range for a table of shape [2, 4].", ex.Message);
    }

    [Fact]
    public void ExampleLabelNeedsAnInt64ScalarTarget()
    {
        Assert.Equal(3, Example.Labeled(Tensor.Zeros(2), 3).Label);
        var ex = Assert.Throws<InvalidOperationException>(() => new Example(Tensor.Zeros(2), Tensor.Zeros(2)).Label);
        Assert.Equal("example: Label needs a one-element int64 target, this one is float32 of shape [2].", ex.Message);
    }
}
