using System.Numerics;
using Nabla.Backends.Cpu;
using Nabla.Tests.Support;

namespace Nabla.Tests.Backends;

/// <summary>
/// The SIMD row kernels of the fused batch norm against scalar loops, for every length 0–256 (each vector width
/// and every remainder), in float32 and float64. Inputs are halves of small integers and the mean a half too, so
/// every sum is exact in either summation order and the comparison can be exact.
/// </summary>
[Collection(GlobalThreadCountCollection.Name)]
public class BatchNormKernelTests
{
    static T[] Halves<T>(int n, int seed) where T : IFloatingPointIeee754<T>
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => T.CreateTruncating(rng.Next(-8, 9)) / T.CreateTruncating(2)).ToArray();
    }

    static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = T.CreateTruncating(1.5), k1 = T.CreateTruncating(0.5), k2 = T.CreateTruncating(-2), k3 = T.CreateTruncating(0.25);
        for (int n = 0; n <= 256; n++)
        {
            T[] x = Halves<T>(n, n), g = Halves<T>(n, n + 500);
            T sum = T.Zero, squares = T.Zero, dot = T.Zero;
            for (int i = 0; i < n; i++) { sum += x[i]; squares += (x[i] - m) * (x[i] - m); dot += g[i] * (x[i] - m); }
            string at = $"{typeof(T).Name} length {n}";
            Assert.True(sum == BatchNormKernel.Sum<T>(x), "Sum " + at);
            Assert.True(squares == BatchNormKernel.SumSquaredDeviations<T>(x, m), "SumSquaredDeviations " + at);
            Assert.True(dot == BatchNormKernel.DotDeviation<T>(g, x, m), "DotDeviation " + at);

            var y = new T[n];
            BatchNormKernel.AffineDeviation<T>(x, m, k1, k3, y);
            for (int i = 0; i < n; i++) Assert.True((x[i] - m) * k1 + k3 == y[i], $"AffineDeviation {at}, element {i}");
            var d = new T[n];
            BatchNormKernel.CombineRow<T>(g, x, m, k1, k2, k3, d);
            for (int i = 0; i < n; i++) Assert.True(k1 * g[i] + k2 * (x[i] - m) + k3 == d[i], $"CombineRow {at}, element {i}");
        }
    }

    /// <summary>
    /// Tensors above the fork threshold are split over channels: with 1 and with 2 workers every statistic, output
    /// and gradient must be the same bits (each channel sums its rows in the same order on either).
    /// </summary>
    [Fact]
    public void ChannelSplitGivesTheSameBitsAsOneThread()
    {
        const int a = 3, c = 7, b = 5000;
        var rng = new System.Random(4);
        float[] x = Enumerable.Range(0, a * c * b).Select(_ => (float)rng.NextDouble() * 4 - 1).ToArray();
        float[] g = Enumerable.Range(0, a * c * b).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        float[] weight = Enumerable.Range(0, c).Select(i => 0.5f + i).ToArray(), shift = Enumerable.Range(0, c).Select(i => 0.1f * i).ToArray();

        (float[] Mean, float[] Var, float[] Y, float[] Dx, float[] Dw, float[] Db) Run(int threads)
        {
            int saved = Gemm.MaxThreads;
            Gemm.MaxThreads = threads;
            try
            {
                var mean = new float[c]; var variance = new float[c];
                BatchNormKernel.Statistics<float>(x, a, c, b, mean, variance);
                var invStd = variance.Select(v => 1f / MathF.Sqrt(v + 1e-5f)).ToArray();
                var y = new float[x.Length];
                BatchNormKernel.Normalize<float>(x, a, c, b, mean, invStd, shift, y);
                var dx = new float[x.Length]; var dw = new float[c]; var db = new float[c];
                BatchNormKernel.Backward<float>(g, x, a, c, b, mean, invStd, weight, dx, dw, db);
                return (mean, variance, y, dx, dw, db);
            }
            finally { Gemm.MaxThreads = saved; }
        }

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Mean, two.Mean);
        Assert.Equal(one.Var, two.Var);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dx, two.Dx);
        Assert.Equal(one.Dw, two.Dw);
        Assert.Equal(one.Db, two.Db);
        // And the split path computes the right thing: channel 0's mean by a plain loop (exact to rounding).
        double m0 = 0;
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) m0 += x[(i * c) * b + j];
        Assert.Equal(m0 / (a * b), two.Mean[0], 4);
    }

    [Fact]
    public void RowKernelsMatchScalarLoopsFloat32() => Check<float>();

    [Fact]
    public void RowKernelsMatchScalarLoopsFloat64() => Check<double>();

    [Fact]
    public void RowKernelsReadOnlyTheirSlice()
    {
        // Rows are slices of a larger buffer: the kernels must neither read nor write past the slice.
        var buffer = Enumerable.Range(0, 40).Select(i => (float)i).ToArray();
        var row = buffer.AsSpan(3, 21);
        Assert.Equal(Enumerable.Range(3, 21).Sum(), BatchNormKernel.Sum<float>(row));
        var outBuf = new float[40];
        BatchNormKernel.AffineDeviation<float>(row, 0f, 1f, 0f, outBuf.AsSpan(5, 21));
        Assert.All(outBuf[..5], v => Assert.Equal(0f, v));
        Assert.All(outBuf[26..], v => Assert.Equal(0f, v));
        Assert.Equal(buffer[3..24], outBuf[5..26]);
    }
}
