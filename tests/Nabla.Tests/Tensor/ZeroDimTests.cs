namespace Nabla.Tests.TensorTests;

/// <summary>0-d tensors through the strided copy paths (state-dict counters such as num_batches_tracked).</summary>
public class ZeroDimTests
{
    [Fact]
    public void CopyFromIntoAZeroDimTensor()
    {
        var counter = Tensor.Scalar(0, DType.Int64);
        counter.CopyFrom(Tensor.Scalar(7, DType.Int64));
        Assert.Equal(7L, counter.Item<long>());
    }

    [Fact]
    public void ZeroDimViewOfALargerStorageCopiesTheRightElement()
    {
        var x = Tensor.From(new float[] { 1, 2, 3 });
        var middle = x.Select(0, 1);
        Assert.Equal(0, middle.Rank);
        Assert.Equal(2f, middle.Contiguous().Item<float>());
        middle.CopyFrom(Tensor.Scalar(9));
        Assert.Equal(new float[] { 1, 9, 3 }, x.ToArray<float>());
    }
}
