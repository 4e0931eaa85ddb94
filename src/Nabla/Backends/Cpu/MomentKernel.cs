using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Variance and standard deviation over a set of dims. Each block is reduced in two vectorised passes
/// (mean, then the sum of squared deviations), which avoids the cancellation of Σx² − n·mean².
/// </summary>
internal static class MomentKernel
{
    /// <summary>
    /// Σ(x − mean)² / max(0, n − correction) per block, or its square root when <paramref name="std"/> is set.
    /// As in PyTorch a non-positive divisor gives inf or NaN rather than an error.
    /// </summary>
    public static Tensor Var(Tensor x, bool[] reduced, double correction, bool std)
    {
        var blocks = new ReduceBlocks(x, reduced);
        var result = new Tensor(blocks.OutShape, x.DType);
        if (x.DType == DType.Float32) Run<float>(blocks, result.Span<float>(), correction, std);
        else Run<double>(blocks, result.Span<double>(), correction, std);
        return result;
    }

    static void Run<T>(ReduceBlocks blocks, Span<T> dst, double correction, bool std) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = blocks.Block;
        T count = T.CreateTruncating(n);
        T divisor = T.CreateTruncating(Math.Max(0, n - correction));
        var deviations = new T[n];
        for (int i = 0; i < dst.Length; i++)
        {
            var row = blocks.Row<T>(i);
            T mean = TensorPrimitives.Sum(row) / count;
            TensorPrimitives.Subtract(row, mean, deviations);
            T v = TensorPrimitives.SumOfSquares<T>(deviations) / divisor;
            dst[i] = std ? T.Sqrt(v) : v;
        }
    }

    /// <summary>1 / (2·s) elementwise, and 0 where s is 0: the std gradient's factor, which PyTorch masks at zero.</summary>
    public static Tensor HalfReciprocalOrZero(Tensor s)
    {
        var result = s.DenseCopy();
        if (s.DType == DType.Float32) HalfReciprocal(result.Span<float>());
        else HalfReciprocal(result.Span<double>());
        return result;
    }

    static void HalfReciprocal<T>(Span<T> s) where T : IFloatingPointIeee754<T>
    {
        T two = T.CreateTruncating(2);
        for (int i = 0; i < s.Length; i++) s[i] = s[i] == T.Zero ? T.Zero : T.One / (two * s[i]);
    }
}
