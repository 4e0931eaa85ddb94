using Nabla.Backends.Cpu;
using Nabla.Backends.Cpu.Conv;
using Nabla.Tests.Support;

namespace Nabla.Tests.Backends;

/// <summary>
/// The pooling, batch-norm and convolution kernels split over two workers: once warm a call allocates nothing on the
/// calling thread (their jobs are structs, not lambdas whose closures were allocated on every call), and the split
/// gives the same bits as one thread. On a one-core machine nothing splits and the checks hold trivially.
/// </summary>
[Collection(GlobalThreadCountCollection.Name)]
public class SplitKernelAllocationTests
{
    static float[] Random(int n, int seed)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>
    /// Runs the kernels on one thread and on two: the outputs (the arrays they write) must agree bit for bit (the first
    /// <paramref name="exact"/> of them; the rest, sums of per-worker partials, to rounding), and warm two-thread runs
    /// must allocate nothing on this thread.
    /// </summary>
    static void CheckSplit(Action run, Func<float[][]> outputs, int exact = int.MaxValue)
    {
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            run();
            var single = outputs().Select(o => (float[])o.Clone()).ToArray();
            // NaN first, so an element the split leaves unwritten cannot pass for the one-thread result.
            foreach (var o in outputs()) Array.Fill(o, float.NaN);
            Gemm.MaxThreads = 2;
            run();
            var split = outputs();
            for (int o = 0; o < single.Length; o++)
            {
                if (o < exact) Assert.Equal(single[o], split[o]);
                else for (int i = 0; i < single[o].Length; i++) Assert.Equal(single[o][i], split[o][i], 1e-4f * (1 + MathF.Abs(single[o][i])));
            }
            for (int i = 0; i < 3; i++) run();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++) run();
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally { Gemm.MaxThreads = saved; }
    }

    [Fact]
    public void Pooling_splits_over_planes_without_allocating()
    {
        var g = new ConvGeometry(28, 28, 2, 2, 2, 2);
        const int planes = 128;
        int inPlane = g.InH * g.InW, outPlane = g.OutH * g.OutW;
        var x = Random(planes * inPlane, 1);
        var dy = Random(planes * outPlane, 2);
        var y = new float[planes * outPlane];
        var indices = new long[y.Length];
        var dx = new float[x.Length];
        var avg = new float[y.Length];
        var dAvg = new float[x.Length];
        CheckSplit(() =>
        {
            PoolKernels.MaxForward<float>(x, planes, g, y, indices);
            Array.Clear(dx);
            PoolKernels.MaxBackward<float>(dy, indices, planes, inPlane, outPlane, dx);
            PoolKernels.AvgForward<float>(x, planes, g, countIncludePad: true, avg);
            PoolKernels.AvgBackward<float>(dy, planes, g, countIncludePad: true, dAvg);
        }, () => [y, dx, avg, dAvg]);
    }

    [Fact]
    public void Batch_norm_splits_over_channels_without_allocating()
    {
        const int a = 16, c = 8, b = 28 * 28;
        var x = Random(a * c * b, 3);
        var g = Random(x.Length, 4);
        var weight = Random(c, 5);
        var shift = Random(c, 6);
        var mean = new float[c];
        var variance = new float[c];
        var invStd = new float[c];
        var y = new float[x.Length];
        var dx = new float[x.Length];
        var dw = new float[c];
        var db = new float[c];
        CheckSplit(() =>
        {
            BatchNormKernel.Statistics<float>(x, a, c, b, mean, variance);
            for (int ch = 0; ch < c; ch++) invStd[ch] = 1f / MathF.Sqrt(variance[ch] + 1e-5f);
            BatchNormKernel.Normalize<float>(x, a, c, b, mean, invStd, shift, y);
            BatchNormKernel.Backward<float>(g, x, a, c, b, mean, invStd, weight, dx, dw, db);
        }, () => [mean, variance, y, dx, dw, db]);
    }

    [Fact]
    public void Convolution_column_path_splits_over_images_without_allocating()
    {
        var s = new ConvShape(8, 4, 8, 1, new ConvGeometry(16, 16, 3, 3, PadH: 1, PadW: 1));
        var u = Random(s.Batch * s.UnfoldedSize, 7);
        var w = Random(s.MatrixChannels * s.Kg, 8);
        var bias = Random(s.MatrixChannels, 9);
        var dm = Random(s.Batch * s.MatrixSize, 10);
        var m = new float[dm.Length];
        var du = new float[u.Length];
        var dw = new float[w.Length];
        CheckSplit(() =>
        {
            ConvKernels.MatrixFromUnfolded<float>(s, u, w, m, bias, ConvPath.Columns);
            ConvKernels.UnfoldedFromMatrix<float>(s, dm, w, du, ConvPath.Columns);
            ConvKernels.WeightGradient<float>(s, dm, u, dw, ConvPath.Columns);
        }, () => [m, du, dw], exact: 2);
    }
}
