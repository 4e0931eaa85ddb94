namespace Nabla.Tests.Tensors;

/// <summary>
/// <see cref="Tensor.UninitializedBufferLast"/>, the fresh-tensor form products use (its buffer is allocated after the
/// tensor's small objects): the tensor must come out exactly like <see cref="Tensor.Uninitialized"/>'s.
/// </summary>
public class BufferLastTests
{
    public static TheoryData<DType, int[]> Cases()
    {
        var data = new TheoryData<DType, int[]>();
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int64, DType.Bool })
            foreach (var shape in new[] { Array.Empty<int>(), [0], [7], [3, 4], [2, 0, 5], [2, 3, 4] })
                data.Add(dtype, shape);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_a_plain_uninitialized_tensor(DType dtype, int[] shape)
    {
        var expected = Tensor.Uninitialized(shape, dtype);
        var t = Tensor.UninitializedBufferLast(shape, dtype);
        Assert.Equal(dtype, t.DType);
        Assert.Equal(expected.Shape, t.Shape);
        Assert.Equal(expected.Strides, t.Strides);
        Assert.Equal(0, t.Offset);
        Assert.Equal(expected.NumElements, t.Storage.Length);
    }

    [Fact]
    public void Its_buffer_is_writable_and_private()
    {
        var t = Tensor.UninitializedBufferLast([2, 3], DType.Float32);
        var u = Tensor.UninitializedBufferLast([2, 3], DType.Float32);
        Assert.NotSame(t.Data<float>(), u.Data<float>());
        t.Data<float>().AsSpan().Fill(1.5f);
        u.Data<float>().AsSpan().Fill(-2f);
        Assert.All(t.Data<float>(), v => Assert.Equal(1.5f, v));
    }
}
