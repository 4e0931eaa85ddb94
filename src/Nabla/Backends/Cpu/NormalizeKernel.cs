using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// The shared core of batch, layer and group normalisation: a dense tensor seen as [A, C, B] is standardised
/// per channel c over all (a, b): x̂ = (x − mean_c) / √(var_c + eps), with the biased variance.
/// BatchNorm is [N, C, L]; LayerNorm is [1, rows, features]; GroupNorm is [1, N·groups, (C/groups)·L].
/// Channel c owns the A rows x[a, c, :], each a contiguous span of B elements, so every pass is span calls.
/// The two-pass variance (mean first, then squared deviations) avoids the cancellation of E[x²] − E[x]².
/// </summary>
internal static class NormalizeKernel
{
    /// <summary>x̂ plus the per-channel mean and biased variance (in x's dtype, shape [C]).</summary>
    public static (Tensor XHat, Tensor Mean, Tensor Var) Forward(Tensor x, int a, int c, int b, double eps)
    {
        x = x.Contiguous();
        var xhat = Tensor.Uninitialized(x.Shape, x.DType);
        var mean = new Tensor([c], x.DType);
        var variance = new Tensor([c], x.DType);
        if (x.DType == DType.Float32) Run(x.Span<float>(), xhat.Span<float>(), mean.Span<float>(), variance.Span<float>(), a, c, b, eps);
        else Run(x.Span<double>(), xhat.Span<double>(), mean.Span<double>(), variance.Span<double>(), a, c, b, eps);
        return (xhat, mean, variance);
    }

    /// <summary>
    /// dx = invstd · (g − mean(g) − x̂ · mean(g · x̂)) per channel: the gradient through the batch statistics,
    /// with <paramref name="invStd"/> = 1/√(var + eps) of shape [C].
    /// </summary>
    public static Tensor Backward(Tensor g, Tensor xhat, Tensor invStd, int a, int c, int b)
    {
        g = g.To(xhat.DType).Contiguous();
        var dx = Tensor.Uninitialized(xhat.Shape, xhat.DType);
        if (xhat.DType == DType.Float32) RunBackward(g.Span<float>(), xhat.Span<float>(), invStd.Contiguous().Span<float>(), dx.Span<float>(), a, c, b);
        else RunBackward(g.Span<double>(), xhat.Span<double>(), invStd.Contiguous().Span<double>(), dx.Span<double>(), a, c, b);
        return dx;
    }

    static void Run<T>(ReadOnlySpan<T> x, Span<T> xhat, Span<T> mean, Span<T> variance, int a, int c, int b, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating((double)a * b);
        for (int ch = 0; ch < c; ch++)
        {
            T sum = T.Zero;
            for (int i = 0; i < a; i++) sum += TensorPrimitives.Sum(Row(x, i, ch, c, b));
            T m = sum / count;

            // Deviations go through the output rows as scratch; they are overwritten with x̂ below.
            T squares = T.Zero;
            for (int i = 0; i < a; i++)
            {
                var dev = Row(xhat, i, ch, c, b);
                TensorPrimitives.Subtract(Row(x, i, ch, c, b), m, dev);
                squares += TensorPrimitives.SumOfSquares<T>(dev);
            }
            T v = squares / count;
            T invStd = T.One / T.Sqrt(v + T.CreateTruncating(eps));
            for (int i = 0; i < a; i++)
            {
                var dev = Row(xhat, i, ch, c, b);
                TensorPrimitives.Multiply<T>(dev, invStd, dev);
            }
            mean[ch] = m;
            variance[ch] = v;
        }
    }

    static void RunBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> xhat, ReadOnlySpan<T> invStd, Span<T> dx, int a, int c, int b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating((double)a * b);
        for (int ch = 0; ch < c; ch++)
        {
            T sumG = T.Zero, sumGX = T.Zero;
            for (int i = 0; i < a; i++)
            {
                var gRow = Row(g, i, ch, c, b);
                sumG += TensorPrimitives.Sum(gRow);
                sumGX += TensorPrimitives.Dot(gRow, Row(xhat, i, ch, c, b));
            }
            T meanG = sumG / count, meanGX = sumGX / count, s = invStd[ch];
            for (int i = 0; i < a; i++)
            {
                var d = Row(dx, i, ch, c, b);
                // d = (g − meanG − x̂·meanGX) · s
                TensorPrimitives.MultiplyAdd(Row(xhat, i, ch, c, b), -meanGX, Row(g, i, ch, c, b), d);
                TensorPrimitives.Subtract<T>(d, meanG, d);
                TensorPrimitives.Multiply<T>(d, s, d);
            }
        }
    }

    static ReadOnlySpan<T> Row<T>(ReadOnlySpan<T> data, int i, int ch, int c, int b) => data.Slice((i * c + ch) * b, b);

    static Span<T> Row<T>(Span<T> data, int i, int ch, int c, int b) => data.Slice((i * c + ch) * b, b);
}
