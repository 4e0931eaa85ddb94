using Nabla.Backends.Cpu.Conv;

namespace Nabla.Tests.Backends;

/// <summary>
/// The pooling kernels against a direct reading of PyTorch's definitions (window cells start + k·dilation,
/// divisor rule, ceil mode), and each backward pass as the exact adjoint (average) or router (max) of its forward.
/// </summary>
public class PoolKernelTests
{
    static readonly ConvGeometry[] Cases =
    [
        new(6, 6, 2, 2, 2, 2),
        new(7, 8, 3, 3, 2, 2, 1, 1),
        new(7, 8, 3, 3, 2, 2, CeilMode: true),
        new(5, 5, 2, 2, 2, 2, 1, 1, CeilMode: true),
        new(8, 6, 3, 3, 2, 2, 1, 1, CeilMode: true),
        new(7, 8, 2, 3, 1, 1, 1, 1, 2, 2),
        new(1, 10, 1, 4, 1, 3, 0, 2, CeilMode: true),
        new(9, 7, 3, 2, 3, 1, 1, 1, 1, 3, CeilMode: true),
    ];

    public static IEnumerable<object[]> Geometries() => Cases.Select((_, i) => new object[] { i });

    static double[] Random(int n, int seed)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void MaxMatchesTheDefinitionAndRoutesGradients(int geometry)
    {
        var g = Cases[geometry];
        const int planes = 3;
        int inPlane = g.InH * g.InW, outPlane = g.OutH * g.OutW;
        var x = Random(planes * inPlane, geometry);
        var y = new double[planes * outPlane];
        var idx = new long[y.Length];
        PoolKernels.MaxForward<double>(x, planes, g, y, idx);
        for (int p = 0; p < planes; p++)
        for (int oy = 0; oy < g.OutH; oy++)
        for (int ox = 0; ox < g.OutW; ox++)
        {
            double best = double.NegativeInfinity;
            int at = -1;
            foreach (var (yy, xx) in Cells(g, oy, ox))
                if (x[p * inPlane + yy * g.InW + xx] > best) { best = x[p * inPlane + yy * g.InW + xx]; at = yy * g.InW + xx; }
            Assert.Equal(best, y[p * outPlane + oy * g.OutW + ox]);
            Assert.Equal(at, idx[p * outPlane + oy * g.OutW + ox]);
        }

        var go = Random(y.Length, 100 + geometry);
        var gi = new double[x.Length];
        PoolKernels.MaxBackward<double>(go, idx, planes, inPlane, outPlane, gi);
        var expected = new double[x.Length];
        for (int i = 0; i < y.Length; i++) expected[(i / outPlane) * inPlane + idx[i]] += go[i];
        Assert.Equal(expected, gi);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void AverageMatchesTheDefinitionAndItsBackwardIsTheAdjoint(int geometry)
    {
        // Average pooling has no dilation (PyTorch has none), so the kernel ignores it; the reference must too.
        var g = Cases[geometry] with { DilationH = 1, DilationW = 1 };
        const int planes = 2;
        int inPlane = g.InH * g.InW, outPlane = g.OutH * g.OutW;
        var x = Random(planes * inPlane, geometry);
        foreach (bool includePad in new[] { true, false })
        {
            var y = new double[planes * outPlane];
            PoolKernels.AvgForward<double>(x, planes, g, includePad, y);
            for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < g.OutH; oy++)
            for (int ox = 0; ox < g.OutW; ox++)
            {
                var cells = Cells(g, oy, ox).ToList();
                // PyTorch's divisor: the window clipped to the padded input, or only its real cells.
                int hEnd = Math.Min(oy * g.StrideH - g.PadH + g.KernelH, g.InH + g.PadH), wEnd = Math.Min(ox * g.StrideW - g.PadW + g.KernelW, g.InW + g.PadW);
                int padded = (hEnd - (oy * g.StrideH - g.PadH)) * (wEnd - (ox * g.StrideW - g.PadW));
                double sum = cells.Sum(c => x[p * inPlane + c.Y * g.InW + c.X]);
                Assert.Equal(sum / (includePad ? padded : cells.Count), y[p * outPlane + oy * g.OutW + ox], 12);
            }

            var go = Random(y.Length, 200 + geometry);
            var gi = new double[x.Length];
            PoolKernels.AvgBackward<double>(go, planes, g, includePad, gi);
            Assert.Equal(y.Zip(go, (a, b) => a * b).Sum(), x.Zip(gi, (a, b) => a * b).Sum(), 10);
        }
    }

    /// <summary>The in-bounds cells of one window.</summary>
    static IEnumerable<(int Y, int X)> Cells(ConvGeometry g, int oy, int ox)
    {
        for (int ki = 0; ki < g.KernelH; ki++)
        for (int kj = 0; kj < g.KernelW; kj++)
        {
            int y = oy * g.StrideH - g.PadH + ki * g.DilationH, x = ox * g.StrideW - g.PadW + kj * g.DilationW;
            if (y >= 0 && y < g.InH && x >= 0 && x < g.InW) yield return (y, x);
        }
    }

    [Theory]
    [InlineData(5, 2, 2, 1, false, 3)]
    [InlineData(5, 2, 2, 1, true, 3)]   // ceil would give 4, but that window starts past the input and its padding
    [InlineData(7, 3, 2, 0, true, 3)]
    [InlineData(8, 3, 2, 0, true, 4)]
    [InlineData(8, 3, 2, 0, false, 3)]
    [InlineData(4, 5, 2, 0, false, 0)]  // kernel wider than the input: floor division keeps it ≤ 0
    [InlineData(2, 5, 2, 0, false, -1)]
    public void OutputSizes(int input, int kernel, int stride, int pad, bool ceil, int expected) =>
        Assert.Equal(expected, ConvGeometry.OutSize(input, kernel, stride, pad, 1, ceil));
}

/// <summary>
/// The 2×2/2 fast path (and the plane-parallel split) against the generic window loops, bit for bit, over even
/// and odd sizes, NaNs and ties, and tensors large enough to be split across threads.
/// </summary>
public class Pool2x2FastPathTests
{
    public static IEnumerable<object[]> Shapes()
    {
        foreach (var (h, w) in new[] { (2, 2), (3, 3), (4, 6), (5, 4), (7, 9), (28, 28), (13, 11), (1, 8) })
            foreach (int planes in new[] { 1, 3 })
                yield return new object[] { h, w, planes };
        yield return new object[] { 32, 32, 128 };  // 131k elements: the parallel split
        yield return new object[] { 31, 17, 200 };
    }

    static double[] Input(int n, int seed)
    {
        var rng = new System.Random(seed);
        // A coarse grid of values gives many ties; a few NaNs check that NaN wins where the generic loop says.
        var x = Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextDouble() * 8) - 4).ToArray();
        for (int i = 0; i < n; i += 37) x[i] = double.NaN;
        return x;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FastPathMatchesTheGenericLoopsExactly(int h, int w, int planes)
    {
        var g = new ConvGeometry(h, w, 2, 2, 2, 2);
        Assert.True(Pool2x2.Applies(g));   // 1×8 gives an empty output, which the fast path must also handle
        int inPlane = h * w, outPlane = g.OutH * g.OutW;
        var x = Input(planes * inPlane, h * 100 + w);

        var y = new double[planes * outPlane]; var idx = new long[y.Length];
        var yRef = new double[y.Length]; var idxRef = new long[y.Length];
        PoolKernels.MaxForward<double>(x, planes, g, y, idx);
        PoolKernels.MaxForwardRange<double>(x, 0, planes, g, yRef, idxRef, generic: true);
        Assert.Equal(yRef, y);
        Assert.Equal(idxRef, idx);

        var go = Input(y.Length, 7).Select(v => double.IsNaN(v) ? 0.5 : v).ToArray();
        var gi = Enumerable.Repeat(99.0, x.Length).ToArray();   // stale values must be overwritten
        PoolKernels.MaxBackward<double>(go, idx, planes, inPlane, outPlane, gi);
        var giRef = new double[x.Length];
        for (int i = 0; i < y.Length; i++) giRef[(i / outPlane) * inPlane + idxRef[i]] += go[i];
        Assert.Equal(giRef, gi);

        var xf = x.Select(v => double.IsNaN(v) ? 1.25 : v).ToArray();
        foreach (bool includePad in new[] { true, false })
        {
            var a = new double[y.Length]; var aRef = new double[y.Length];
            PoolKernels.AvgForward<double>(xf, planes, g, includePad, a);
            PoolKernels.AvgForwardRange<double>(xf, 0, planes, g, includePad, aRef, generic: true);
            Assert.Equal(aRef, a);

            var b = Enumerable.Repeat(99.0, x.Length).ToArray();
            var bRef = new double[x.Length];
            PoolKernels.AvgBackward<double>(go, planes, g, includePad, b);
            PoolKernels.AvgBackwardRange<double>(go, 0, planes, g, includePad, bRef, generic: true);
            Assert.Equal(bRef, b);
        }
    }

    [Fact]
    public void FastPathIsSkippedWhereAWindowWouldLeaveTheInput()
    {
        Assert.False(Pool2x2.Applies(new ConvGeometry(5, 5, 2, 2, 2, 2, CeilMode: true)));
        Assert.False(Pool2x2.Applies(new ConvGeometry(6, 6, 2, 2, 2, 2, 1, 1)));
        Assert.False(Pool2x2.Applies(new ConvGeometry(6, 6, 2, 2, 1, 1)));
        Assert.True(Pool2x2.Applies(new ConvGeometry(6, 6, 2, 2, 2, 2, CeilMode: true)));
    }
}
