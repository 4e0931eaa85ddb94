namespace Nabla.Tests.Ops;

/// <summary>Core ops answer bad input with exceptions that name the op and the shapes.</summary>
public class CoreBadInputTests
{
    static void ThrowsNaming<TException>(Action act, params string[] fragments) where TException : Exception
    {
        var e = Assert.ThrowsAny<TException>(act);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
    }

    [Fact]
    public void AddWithIncompatibleShapes() =>
        ThrowsNaming<ArgumentException>(() => _ = Tensor.Zeros(2, 3) + Tensor.Zeros(4), "add", "[2, 3]", "[4]");

    [Fact]
    public void MulWithIncompatibleShapes() =>
        ThrowsNaming<ArgumentException>(() => _ = Tensor.Zeros(2, 3) * Tensor.Zeros(3, 2), "mul", "[2, 3]", "[3, 2]");

    [Fact]
    public void ReshapeToWrongElementCount() =>
        ThrowsNaming<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, 2), "reshape", "[4, 2]", "[2, 3]");

    [Fact]
    public void ReshapeWithTwoInferredDims() =>
        ThrowsNaming<ArgumentException>(() => Tensor.Zeros(6).Reshape(-1, -1), "reshape", "one dimension");

    [Fact]
    public void ViewOfNonContiguous() =>
        ThrowsNaming<InvalidOperationException>(() => Tensor.Zeros(2, 3).T().View(6), "view", "[3, 2]");

    [Fact]
    public void SumOverMissingDim() =>
        ThrowsNaming<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 3).Sum(2), "sum", "dimension 2", "rank 2");

    [Fact]
    public void PermuteWithRepeatedDim() =>
        ThrowsNaming<ArgumentException>(() => Tensor.Zeros(2, 3).Permute(0, 0), "permute", "repeats");

    [Fact]
    public void ExpandOfNonSingletonDim() =>
        ThrowsNaming<ArgumentException>(() => Tensor.Zeros(2, 3).Expand(4, 3), "expand", "[2, 3]", "[4, 3]");

    [Fact]
    public void SelectOutOfRange() =>
        ThrowsNaming<IndexOutOfRangeException>(() => Tensor.Zeros(2, 3).Select(1, 3), "select", "index 3", "[2, 3]");

    [Fact]
    public void NarrowPastTheEnd() =>
        ThrowsNaming<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 3).Narrow(1, 2, 2), "narrow", "[2, 3]");

    [Fact]
    public void FromArrayWithWrongShape() =>
        ThrowsNaming<ArgumentException>(() => Tensor.From(new float[] { 1, 2, 3 }, 2, 2), "from_array", "[2, 2]");

    [Fact]
    public void ItemOfManyElements() =>
        ThrowsNaming<InvalidOperationException>(() => Tensor.Zeros(2).Item(), "item", "[2]");

    [Fact]
    public void ToArrayOfWrongType() =>
        ThrowsNaming<InvalidOperationException>(() => Tensor.Zeros(2).ToArray<double>(), "float32", "float64");

    [Fact]
    public void MeanOfIntegers() =>
        ThrowsNaming<ArgumentException>(() => Tensor.From(new long[] { 1, 2 }).Mean(), "mean", "int64");

    [Fact]
    public void NegativeShape() =>
        ThrowsNaming<ArgumentException>(() => Tensor.Zeros(2, -1), "zeros", "[2, -1]");

    [Fact]
    public void NegateBool() =>
        ThrowsNaming<ArgumentException>(() => _ = -Tensor.Zeros([2], DType.Bool), "neg", "bool");

    [Fact]
    public void EmptyTensorsFlowThroughElementwiseOps()
    {
        var e = Tensor.Zeros(0, 3);
        Assert.Equal(new[] { 0, 3 }, (e + 1.0).Exp().Shape);
        Assert.Equal(0.0, e.Sum().Item());
    }

    [Fact]
    public void NaNPropagatesInsteadOfBeingHidden()
    {
        var x = Tensor.From(new float[] { 1, float.NaN });
        Assert.True(double.IsNaN((x * 2.0).Sum().Item()));
    }
}
