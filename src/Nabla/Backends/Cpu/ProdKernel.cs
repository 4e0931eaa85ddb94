using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Products over a set of dims, and the "product of all the others" that their gradient needs.
/// Works on <see cref="ReduceBlocks"/>: one contiguous block per output element.
/// </summary>
internal static class ProdKernel
{
    /// <summary>The product of each block; an empty block gives 1. Dtypes: float32, float64, int64 (wrapping).</summary>
    public static Tensor Prod(Tensor x, bool[] reduced)
    {
        var blocks = new ReduceBlocks(x, reduced);
        var result = new Tensor(blocks.OutShape, x.DType);
        switch (x.DType)
        {
            case DType.Float32: Run<float>(blocks, result.Span<float>()); break;
            case DType.Float64: Run<double>(blocks, result.Span<double>()); break;
            default: Run<long>(blocks, result.Span<long>()); break;
        }
        return result;
    }

    static void Run<T>(ReduceBlocks blocks, Span<T> dst) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < dst.Length; i++)
            dst[i] = blocks.Block == 0 ? T.One : TensorPrimitives.Product<T>(blocks.Row<T>(i));
    }

    /// <summary>
    /// For every element, the product of the other elements of its block (a tensor of x's shape).
    /// Built from prefix and suffix products, so it is exact when elements are zero, where y / x is not.
    /// </summary>
    public static Tensor ExclusiveProduct(Tensor x, bool[] reduced)
    {
        var blocks = new ReduceBlocks(x, reduced);
        var laidOut = new Tensor(blocks.Dense.Shape, x.DType);
        if (x.DType == DType.Float32) Exclusive<float>(blocks, laidOut.Span<float>());
        else Exclusive<double>(blocks, laidOut.Span<double>());
        return blocks.ToInputOrder(laidOut);
    }

    static void Exclusive<T>(ReduceBlocks blocks, Span<T> dst) where T : unmanaged, INumber<T>
    {
        int n = blocks.Block;
        for (int i = 0; i < blocks.Outer; i++)
        {
            var row = blocks.Row<T>(i);
            var outRow = dst.Slice(i * n, n);
            T running = T.One;
            for (int j = 0; j < n; j++) { outRow[j] = running; running *= row[j]; }
            running = T.One;
            for (int j = n - 1; j >= 0; j--) { outRow[j] *= running; running *= row[j]; }
        }
    }
}
