namespace Nabla.Tests.Ops;

/// <summary>Wrong shapes, ranks and dtypes must fail with a message that names the op and the shapes.</summary>
public class LinearAlgebraBadInputTests
{
    static string Throws(Action action) => Assert.Throws<ArgumentException>(action).Message;

    [Fact]
    public void MatMulInnerSizeMismatchNamesBothShapes()
    {
        Assert.Equal("matmul: shapes [2, 3] and [4, 5] cannot be multiplied (3 != 4).", Throws(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5))));
        Assert.Equal("matmul: shapes [3] and [4] cannot be multiplied (3 != 4).", Throws(() => Tensor.Zeros(3).MatMul(Tensor.Zeros(4))));
        Assert.Equal("matmul: shapes [3] and [4, 2] cannot be multiplied (3 != 4).", Throws(() => Tensor.Zeros(3).MatMul(Tensor.Zeros(4, 2))));
        Assert.Equal("matmul: shapes [2, 5, 3] and [4] cannot be multiplied (3 != 4).", Throws(() => Tensor.Zeros(2, 5, 3).MatMul(Tensor.Zeros(4))));
    }

    [Fact]
    public void MatMulBatchMismatchNamesTheBatchDims()
    {
        var message = Throws(() => Tensor.Zeros(2, 3, 4).MatMul(Tensor.Zeros(3, 4, 5)));
        Assert.StartsWith("matmul: the batch dimensions [2] and [3] of shapes [2, 3, 4] and [3, 4, 5] cannot be broadcast", message);
    }

    [Fact]
    public void MatMulRejectsZeroDimensionalOperands()
    {
        Assert.Equal("matmul: both arguments need at least 1 dimension, got shapes [] and [3].", Throws(() => Tensor.Scalar(1).MatMul(Tensor.Zeros(3))));
        Assert.Equal("matmul: both arguments need at least 1 dimension, got shapes [2, 3] and [].", Throws(() => Tensor.Zeros(2, 3).MatMul(Tensor.Scalar(1))));
    }

    [Fact]
    public void MixedDTypesAreRejectedNamingBoth()
    {
        var message = Throws(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros([3, 4], DType.Float64)));
        Assert.Equal("matmul: expected both tensors to have the same dtype, got float32 and float64 (shapes [2, 3] and [3, 4]); convert one with To().", message);
        Assert.Contains("bmm: expected both tensors to have the same dtype, got int64 and float32", Throws(() => Tensor.Bmm(Tensor.Zeros([1, 2, 3], DType.Int64), Tensor.Zeros(1, 3, 4))));
    }

    [Fact]
    public void BoolOperandsAreRejected()
    {
        var message = Throws(() => Tensor.Zeros([2, 3], DType.Bool).MatMul(Tensor.Zeros([3, 2], DType.Bool)));
        Assert.Equal("matmul: bool tensors are not supported (shapes [2, 3] and [3, 2]); convert with Float() or Long().", message);
    }

    [Fact]
    public void BmmNeedsThreeDimensionsAndEqualBatches()
    {
        Assert.Equal("bmm: expects 3-D tensors, got shapes [2, 3] and [2, 3, 4].", Throws(() => Tensor.Bmm(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3, 4))));
        Assert.Equal("bmm: batch sizes differ, got shapes [2, 3, 4] and [3, 4, 5] (2 != 3).", Throws(() => Tensor.Bmm(Tensor.Zeros(2, 3, 4), Tensor.Zeros(3, 4, 5))));
        Assert.Equal("bmm: shapes [2, 3, 4] and [2, 5, 6] cannot be multiplied (4 != 5).", Throws(() => Tensor.Bmm(Tensor.Zeros(2, 3, 4), Tensor.Zeros(2, 5, 6))));
    }

    [Fact]
    public void MmNeedsMatrices()
    {
        Assert.Equal("mm: expects 2-D tensors, got shapes [3] and [3, 2].", Throws(() => Tensor.Mm(Tensor.Zeros(3), Tensor.Zeros(3, 2))));
        Assert.Equal("mm: shapes [2, 3] and [2, 2] cannot be multiplied (3 != 2).", Throws(() => Tensor.Zeros(2, 3).Mm(Tensor.Zeros(2, 2))));
    }

    [Fact]
    public void OuterNeedsVectors()
    {
        Assert.Equal("outer: expects 1-D tensors, got shapes [2, 3] and [4].", Throws(() => Tensor.Outer(Tensor.Zeros(2, 3), Tensor.Zeros(4))));
        Assert.Equal("outer: expects 1-D tensors, got shapes [] and [4].", Throws(() => Tensor.Outer(Tensor.Scalar(2), Tensor.Zeros(4))));
    }

    [Fact]
    public void OuterOfMasksIsAMask()
    {
        var a = Tensor.From(new[] { true, false });
        var b = Tensor.From(new[] { true, true, false });
        var y = Tensor.Outer(a, b);
        Assert.Equal(DType.Bool, y.DType);
        Assert.Equal(new[] { true, true, false, false, false, false }, y.ToArray<bool>());
    }

    [Fact]
    public void NaNsPropagateThroughTheProduct()
    {
        // A NaN in an operand must reach exactly the outputs that use it (no kernel may drop or smear it).
        var a = Tensor.From(new[] { 1f, float.NaN, 2f, 3f }, 2, 2);
        var y = a.MatMul(Tensor.From(new[] { 1f, 0f, 0f, 1f }, 2, 2)).ToArray<float>();
        Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[1]));
        Assert.Equal(new[] { 2f, 3f }, y[2..]);
    }

    [Fact]
    public void EmptyProductsGiveZerosOfTheRightShape()
    {
        var y = Tensor.Zeros(3, 0).MatMul(Tensor.Zeros(0, 2));
        Assert.Equal(new[] { 3, 2 }, y.Shape);
        Assert.All(y.ToArray<float>(), v => Assert.Equal(0f, v));
    }
}
