using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// index_select, index_add and one_hot. A dense tensor seen as [outer, size, inner] around the indexed dim
/// moves whole inner blocks per index, so each step is one span copy or one vectorised add.
/// The op layer has checked the indices; <paramref name="index"/> arguments are dense 1-D int64.
/// </summary>
internal static class IndexSelectKernel
{
    /// <summary>out[o, j, i] = x[o, index[j], i].</summary>
    public static Tensor IndexSelect(Tensor x, int dim, ReadOnlySpan<long> index)
    {
        var shape = (int[])x._shape.Clone();
        shape[dim] = index.Length;
        var result = new Tensor(shape, x.DType);
        if (!x.IsContiguous) x = x.DenseCopy();
        switch (x.DType)
        {
            case DType.Float32: Select(x.Span<float>(), x._shape, dim, index, result.Span<float>()); break;
            case DType.Float64: Select(x.Span<double>(), x._shape, dim, index, result.Span<double>()); break;
            case DType.Int64: Select(x.Span<long>(), x._shape, dim, index, result.Span<long>()); break;
            default: Select(x.Span<bool>(), x._shape, dim, index, result.Span<bool>()); break;
        }
        return result;
    }

    /// <summary>output[o, index[j], i] += source[o, j, i] for a dense output; repeated indices accumulate.</summary>
    public static void IndexAdd(Tensor output, int dim, ReadOnlySpan<long> index, Tensor source)
    {
        if (!source.IsContiguous) source = source.DenseCopy();
        switch (output.DType)
        {
            case DType.Float32: Add(output.Span<float>(), output._shape, dim, index, source.Span<float>()); break;
            case DType.Float64: Add(output.Span<double>(), output._shape, dim, index, source.Span<double>()); break;
            default: Add(output.Span<long>(), output._shape, dim, index, source.Span<long>()); break;
        }
    }

    /// <summary>An int64 tensor of shape [..labels, classes] with a 1 at each label's class.</summary>
    public static Tensor OneHot(ReadOnlySpan<long> labels, int[] labelShape, int classes)
    {
        var result = new Tensor([.. labelShape, classes], DType.Int64);
        var dst = result.Span<long>();
        for (int i = 0; i < labels.Length; i++) dst[i * classes + (int)labels[i]] = 1;
        return result;
    }

    static (int outer, int size, int inner) Split(int[] shape, int dim)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[dim], inner);
    }

    static void Select<T>(ReadOnlySpan<T> src, int[] shape, int dim, ReadOnlySpan<long> index, Span<T> dst)
    {
        var (outer, size, inner) = Split(shape, dim);
        int n = index.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
                src.Slice((o * size + (int)index[j]) * inner, inner).CopyTo(dst.Slice((o * n + j) * inner, inner));
    }

    static void Add<T>(Span<T> dst, int[] shape, int dim, ReadOnlySpan<long> index, ReadOnlySpan<T> src) where T : unmanaged, INumber<T>
    {
        var (outer, size, inner) = Split(shape, dim);
        int n = index.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
            {
                var row = dst.Slice((o * size + (int)index[j]) * inner, inner);
                TensorPrimitives.Add(row, src.Slice((o * n + j) * inner, inner), row);
            }
    }
}
