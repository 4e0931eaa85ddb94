using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// log Σ exp(x) over a set of dims, computed as m + log Σ exp(x − m) with m the block maximum so nothing
/// overflows. An infinite maximum is replaced by 0 (as PyTorch does), so all −inf gives −inf, any +inf
/// gives +inf, and a NaN propagates. An empty block gives −inf.
/// </summary>
internal static class LogSumExpKernel
{
    public static Tensor LogSumExp(Tensor x, bool[] reduced)
    {
        var blocks = new ReduceBlocks(x, reduced);
        var result = new Tensor(blocks.OutShape, x.DType);
        if (x.DType == DType.Float32) Run<float>(blocks, result.Span<float>());
        else Run<double>(blocks, result.Span<double>());
        return result;
    }

    static void Run<T>(ReduceBlocks blocks, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shifted = new T[blocks.Block];
        for (int i = 0; i < dst.Length; i++)
        {
            if (blocks.Block == 0) { dst[i] = T.NegativeInfinity; continue; }
            var row = blocks.Row<T>(i);
            T m = TensorPrimitives.Max(row);
            if (T.IsInfinity(m)) m = T.Zero;
            TensorPrimitives.Subtract(row, m, shifted);
            TensorPrimitives.Exp<T>(shifted, shifted);
            dst[i] = T.Log(TensorPrimitives.Sum<T>(shifted)) + m;
        }
    }
}
