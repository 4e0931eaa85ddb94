using Nabla.Backends.Cpu.Conv;

namespace Nabla.Tests.Backends;

/// <summary>im2col against a direct convolution loop, and col2im as its exact adjoint.</summary>
public class Im2ColTests
{
    static readonly ConvGeometry[] Cases =
    [
        new(5, 5, 3, 3),
        new(7, 6, 3, 2, StrideH: 2, StrideW: 1, PadH: 1, PadW: 2),
        new(9, 9, 3, 3, StrideH: 2, StrideW: 2, PadH: 3, PadW: 3),
        new(8, 7, 2, 3, DilationH: 2, DilationW: 2, PadH: 1, PadW: 0),
        new(1, 10, 1, 4, StrideW: 3, PadW: 1),
        new(4, 4, 1, 1),
    ];

    public static IEnumerable<object[]> Geometries() => Cases.Select((_, i) => new object[] { i });

    [Theory]
    [MemberData(nameof(Geometries))]
    public void UnfoldTimesWeightsEqualsDirectConvolution(int geometry)
    {
        var g = Cases[geometry];
        const int channels = 3, outChannels = 2;
        var rng = new System.Random(5);
        var image = Enumerable.Range(0, channels * g.InH * g.InW).Select(_ => rng.NextDouble() - 0.5).ToArray();
        int k = channels * g.KernelH * g.KernelW, plane = g.OutH * g.OutW;
        var weight = Enumerable.Range(0, outChannels * k).Select(_ => rng.NextDouble() - 0.5).ToArray();

        var columns = new double[k * plane];
        Im2Col.Unfold<double>(image, channels, g, columns);

        for (int o = 0; o < outChannels; o++)
        for (int oy = 0; oy < g.OutH; oy++)
        for (int ox = 0; ox < g.OutW; ox++)
        {
            double viaColumns = 0;
            for (int r = 0; r < k; r++) viaColumns += weight[o * k + r] * columns[r * plane + oy * g.OutW + ox];
            Assert.Equal(Direct(image, weight, o, oy, ox, channels, g), viaColumns, 10);
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void FoldIsTheAdjointOfUnfold(int geometry)
    {
        var g = Cases[geometry];
        // <Unfold(x), c> == <x, Fold(c)> for random x and c proves Fold sums overlaps exactly.
        const int channels = 2;
        var rng = new System.Random(9);
        var x = Enumerable.Range(0, channels * g.InH * g.InW).Select(_ => rng.NextDouble()).ToArray();
        var c = Enumerable.Range(0, channels * g.KernelH * g.KernelW * g.OutH * g.OutW).Select(_ => rng.NextDouble()).ToArray();
        var ux = new double[c.Length];
        var fc = new double[x.Length];
        Im2Col.Unfold<double>(x, channels, g, ux);
        Im2Col.Fold<double>(c, channels, g, fc);
        Assert.Equal(ux.Zip(c, (a, b) => a * b).Sum(), x.Zip(fc, (a, b) => a * b).Sum(), 10);
    }

    static double Direct(double[] image, double[] weight, int o, int oy, int ox, int channels, ConvGeometry g)
    {
        double sum = 0;
        int k = channels * g.KernelH * g.KernelW;
        for (int c = 0; c < channels; c++)
        for (int ki = 0; ki < g.KernelH; ki++)
        for (int kj = 0; kj < g.KernelW; kj++)
        {
            int y = oy * g.StrideH - g.PadH + ki * g.DilationH, x = ox * g.StrideW - g.PadW + kj * g.DilationW;
            if (y < 0 || y >= g.InH || x < 0 || x >= g.InW) continue;
            sum += weight[o * k + (c * g.KernelH + ki) * g.KernelW + kj] * image[(c * g.InH + y) * g.InW + x];
        }
        return sum;
    }
}
