using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Softmax and log-softmax along one dim, fused, with their backward passes. The dim is moved innermost
/// (no copy when it already is the last dim of a contiguous tensor), then each row is handled by vectorised
/// span calls. Both subtract the row maximum first, so large logits neither overflow nor lose the small ones:
/// softmax = e^(x−m) / Σe^(x−m); log_softmax = (x − m) − log Σe^(x−m).
/// </summary>
internal static class SoftmaxKernel
{
    public static Tensor Forward(Tensor x, int dim, bool log)
    {
        var blocks = Blocks(x, dim);
        var dense = new Tensor(blocks.Dense.Shape, x.DType);
        if (blocks.Block > 0)
        {
            if (x.DType == DType.Float32) Run<float>(blocks, dense.Span<float>(), log);
            else Run<double>(blocks, dense.Span<double>(), log);
        }
        return blocks.ToInputOrder(dense);
    }

    /// <summary>
    /// Gradient from the saved output y. Softmax: y ⊙ (g − Σ g·y). Log-softmax: g − e^y · Σ g.
    /// </summary>
    public static Tensor Backward(Tensor g, Tensor y, int dim, bool log)
    {
        g = g.To(y.DType);
        var gb = Blocks(g, dim);
        var yb = Blocks(y, dim);
        var dense = new Tensor(yb.Dense.Shape, y.DType);
        if (yb.Block > 0)
        {
            if (y.DType == DType.Float32) RunBackward<float>(gb, yb, dense.Span<float>(), log);
            else RunBackward<double>(gb, yb, dense.Span<double>(), log);
        }
        return yb.ToInputOrder(dense);
    }

    static ReduceBlocks Blocks(Tensor x, int dim)
    {
        var reduced = new bool[x.Rank];
        if (x.Rank > 0) reduced[dim] = true;
        return new ReduceBlocks(x, reduced);
    }

    static void Run<T>(ReduceBlocks blocks, Span<T> dst, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = blocks.Block;
        var scratch = log ? new T[n] : null;
        for (int i = 0; i < blocks.Outer; i++)
        {
            var row = blocks.Row<T>(i);
            var outRow = dst.Slice(i * n, n);
            T m = TensorPrimitives.Max(row);
            // An infinite maximum would turn x − m into NaN for the finite entries; PyTorch keeps it, and so do we,
            // except that a row of all −∞ must not become (−∞) − (−∞): shifting by 0 leaves it −∞ (softmax NaN, as PyTorch).
            if (T.IsNegativeInfinity(m)) m = T.Zero;
            TensorPrimitives.Subtract(row, m, outRow);
            if (log)
            {
                TensorPrimitives.Exp<T>(outRow, scratch);
                TensorPrimitives.Subtract<T>(outRow, T.Log(TensorPrimitives.Sum<T>(scratch)), outRow);
            }
            else
            {
                TensorPrimitives.Exp<T>(outRow, outRow);
                TensorPrimitives.Divide<T>(outRow, TensorPrimitives.Sum<T>(outRow), outRow);
            }
        }
    }

    static void RunBackward<T>(ReduceBlocks g, ReduceBlocks y, Span<T> dst, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = y.Block;
        for (int i = 0; i < y.Outer; i++)
        {
            var gRow = g.Row<T>(i);
            var yRow = y.Row<T>(i);
            var outRow = dst.Slice(i * n, n);
            if (log)
            {
                T total = TensorPrimitives.Sum(gRow);
                TensorPrimitives.Exp(yRow, outRow);
                TensorPrimitives.Multiply<T>(outRow, total, outRow);
                TensorPrimitives.Subtract<T>(gRow, outRow, outRow);
            }
            else
            {
                T dot = TensorPrimitives.Dot(gRow, yRow);
                TensorPrimitives.Subtract(gRow, dot, outRow);
                TensorPrimitives.Multiply<T>(outRow, yRow, outRow);
            }
        }
    }
}
