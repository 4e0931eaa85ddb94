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
