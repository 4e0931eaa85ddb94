using System.Numerics;
using Nabla.Backends.Cpu.Conv;

namespace Nabla.Tests.Backends;

/// <summary>
/// Every implementation of the three convolution products (the direct kernels, the column path one image at a
/// time and in chunks of images, and the automatic choice) against a naive loop, for float64 and float32.
/// </summary>
public class ConvKernelPathTests
{
    /// <summary>(batch, Cu, Cm, groups, geometry): the unfolded side U has Cu channels, the matrix side M has Cm.</summary>
    static readonly (int Batch, int Cu, int Cm, int Groups, ConvGeometry Geometry)[] Cases =
    [
        (3, 1, 6, 1, new(28, 28, 5, 5, PadH: 2, PadW: 2)),          // LeNet conv 1 (direct by default)
        (4, 6, 16, 1, new(14, 14, 5, 5)),                           // LeNet conv 2 (direct by default)
        (1, 2, 3, 1, new(7, 9, 3, 3)),                              // batch 1, odd sizes
        (5, 3, 11, 1, new(9, 8, 3, 2, PadH: 1, PadW: 2)),           // 8 + 3 output channels, uneven padding
        (2, 9, 4, 1, new(6, 11, 2, 3, PadH: 3, PadW: 4)),           // 8 + 1 input channels, padding beyond the kernel
        (3, 2, 5, 1, new(10, 12, 3, 3, PadH: 2, PadW: 1, DilationH: 2, DilationW: 3)), // dilation
        (2, 3, 7, 1, new(13, 13, 1, 5, PadW: 2)),                   // one-row kernel
        (2, 4, 2, 1, new(5, 5, 1, 1)),                              // pointwise
        (2, 5, 17, 1, new(6, 7, 3, 3, PadH: 1, PadW: 1)),           // three channel blocks, taps not a multiple of 4
        (3, 4, 6, 2, new(8, 9, 3, 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1)), // groups and stride: columns only
        (2, 3, 4, 1, new(9, 10, 3, 3, StrideH: 1, StrideW: 2)),     // stride along the width only: columns only
        (2, 6, 6, 3, new(7, 7, 3, 3)),                              // groups, stride 1: columns only
        (8, 3, 8, 1, new(20, 24, 3, 3, PadH: 1, PadW: 1)),          // big enough to split over workers
        (0, 2, 3, 1, new(6, 6, 3, 3, PadH: 1, PadW: 1)),            // empty batch: the weight gradient is zero
    ];

    public static IEnumerable<object[]> Paths() =>
        from i in Enumerable.Range(0, Cases.Length)
        from path in new[] { "auto", "direct", "columns1", "columns3", "columns" }
        from dtype in new[] { "float64", "float32" }
        select new object[] { i, path, dtype };

    [Theory]
    [MemberData(nameof(Paths))]
    public void EveryPathMatchesTheNaiveLoop(int index, string path, string dtype)
    {
        if (dtype == "float64") Check<double>(index, path, 1e-12);
        else Check<float>(index, path, 2e-5);
    }

    static void Check<T>(int index, string path, double tolerance) where T : unmanaged, INumber<T>
    {
        var (batch, cu, cm, groups, g) = Cases[index];
        var s = new ConvShape(batch, cu, cm, groups, g);
        var (kind, chunk) = path switch
        {
            "direct" => (ConvPath.Direct, 0),
            "columns1" => (ConvPath.Columns, 1),
            "columns3" => (ConvPath.Columns, 3),
            "columns" => (ConvPath.Columns, 0),
            _ => (ConvPath.Auto, 0),
        };
        if (kind == ConvPath.Direct && !DirectConv.Supports<T>(s)) return; // not this CPU or not this shape: the other paths cover it
        var rng = new System.Random(17 + index);
        var u = Noise<T>(rng, batch * s.UnfoldedSize);
        var w = Noise<T>(rng, cm * s.Kg);
        var bias = Noise<T>(rng, cm);
        var dm = Noise<T>(rng, batch * s.MatrixSize);

        var m = Filled<T>(batch * s.MatrixSize);
        ConvKernels.MatrixFromUnfolded<T>(s, u, w, m, bias, kind, chunk);
        AssertClose(NaiveForward(s, u, w, bias), m, tolerance, "forward");

        var mNoBias = Filled<T>(batch * s.MatrixSize);
        ConvKernels.MatrixFromUnfolded<T>(s, u, w, mNoBias, default, kind, chunk);
        AssertClose(NaiveForward(s, u, w, null), mNoBias, tolerance, "forward without bias");

        var du = Filled<T>(batch * s.UnfoldedSize);
        ConvKernels.UnfoldedFromMatrix<T>(s, dm, w, du, kind, chunk);
        AssertClose(NaiveInputGradient(s, dm, w), du, tolerance, "input gradient");

        var dw = Filled<T>(cm * s.Kg);
        ConvKernels.WeightGradient<T>(s, dm, u, dw, kind, chunk);
        AssertClose(NaiveWeightGradient(s, dm, u), dw, tolerance, "weight gradient");
    }

    [Fact]
    public void ForcingTheDirectPathOnAShapeItCannotRunNamesTheShape()
    {
        var s = new ConvShape(2, 4, 6, 2, new ConvGeometry(8, 8, 3, 3));
        var ex = Assert.Throws<ArgumentException>(() =>
            ConvKernels.MatrixFromUnfolded<float>(s, new float[2 * 4 * 64], new float[6 * 18], new float[2 * 6 * 36], default, ConvPath.Direct));
        Assert.Contains("direct kernel cannot run", ex.Message);
        Assert.Contains("Groups = 2", ex.Message);
    }

    [Fact]
    public void AutoTakesTheDirectKernelForBothLeNetConvolutions()
    {
        if (!System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) return;
        Assert.True(DirectConv.Suits<float>(new ConvShape(256, 1, 6, 1, new ConvGeometry(28, 28, 5, 5, PadH: 2, PadW: 2))));
        Assert.True(DirectConv.Suits<float>(new ConvShape(256, 6, 16, 1, new ConvGeometry(14, 14, 5, 5))));
        // Unmeasured wide layers stay on GEMM, and so does a grid that would be mostly thrown away (a 3-wide
        // output on a 12-wide padded row).
        Assert.False(DirectConv.Suits<float>(new ConvShape(32, 128, 256, 1, new ConvGeometry(28, 28, 3, 3, PadH: 1, PadW: 1))));
        Assert.False(DirectConv.Suits<float>(new ConvShape(8, 3, 8, 1, new ConvGeometry(8, 8, 5, 10, PadW: 2))));
        // Strided layers cannot run it at all.
        Assert.False(DirectConv.Supports<float>(new ConvShape(8, 3, 8, 1, new ConvGeometry(8, 8, 3, 3, StrideH: 2, StrideW: 2))));
    }

    /// <summary>
    /// An infinity in the input where the direct kernel's thrown-away grid positions would read it (the first cell
    /// of a row, reached from the previous row's last outputs) must not turn extra weight-gradient entries into NaN:
    /// the exact sum gives ±∞ only for the taps that really see that cell and finite values elsewhere.
    /// </summary>
    [Fact]
    public void AnInfiniteInputGivesTheExactWeightGradientPattern()
    {
        var s = new ConvShape(2, 6, 16, 1, new ConvGeometry(14, 14, 5, 5));
        var rng = new System.Random(5);
        var u = Noise<float>(rng, s.Batch * s.UnfoldedSize);
        var dm = Noise<float>(rng, s.Batch * s.MatrixSize);
        u[14] = float.PositiveInfinity;          // image 0, channel 0, row 1, column 0
        var dw = Filled<float>(s.MatrixChannels * s.Kg);
        ConvKernels.WeightGradient<float>(s, dm, u, dw);
        var expected = NaiveWeightGradient(s, dm, u);
        int infinite = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsInfinity(expected[i])) { infinite++; Assert.Equal(expected[i], (double)dw[i]); continue; }
            Assert.True(float.IsFinite(dw[i]) && Math.Abs(dw[i] - expected[i]) <= 1e-4 * (1 + Math.Abs(expected[i])),
                $"weight gradient[{i}]: expected {expected[i]}, got {dw[i]}");
        }
        Assert.Equal(2 * 16, infinite);            // taps (0, 0) and (1, 0) of input channel 0, for each output channel
    }

    static T[] Noise<T>(System.Random rng, int count) where T : INumber<T> =>
        Enumerable.Range(0, count).Select(_ => T.CreateChecked(rng.NextDouble() - 0.5)).ToArray();

    /// <summary>Starts as NaN so an element the kernel forgets to write fails the comparison.</summary>
    static T[] Filled<T>(int count) where T : INumber<T> => Enumerable.Repeat(T.CreateChecked(double.NaN), count).ToArray();

    static void AssertClose<T>(double[] expected, T[] actual, double tolerance, string what) where T : INumber<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double a = double.CreateChecked(actual[i]);
            Assert.True(Math.Abs(a - expected[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]}, got {a}");
        }
    }

    /// <summary>Calls <paramref name="visit"/>(n, o, oy, ox, input index, weight index) for every in-range tap.</summary>
    static void ForEachTap(in ConvShape s, Action<int, int, int, int, int, int> visit)
    {
        var g = s.Geometry;
        int cuG = s.UnfoldedChannels / s.Groups, mg = s.Mg;
        for (int n = 0; n < s.Batch; n++)
        for (int o = 0; o < s.MatrixChannels; o++)
        for (int oy = 0; oy < g.OutH; oy++)
        for (int ox = 0; ox < g.OutW; ox++)
        for (int c = 0; c < cuG; c++)
        for (int ki = 0; ki < g.KernelH; ki++)
        for (int kj = 0; kj < g.KernelW; kj++)
        {
            int y = oy * g.StrideH - g.PadH + ki * g.DilationH, x = ox * g.StrideW - g.PadW + kj * g.DilationW;
            if (y < 0 || y >= g.InH || x < 0 || x >= g.InW) continue;
            int ci = o / mg * cuG + c;
            visit(n, o, oy, ox, ((n * s.UnfoldedChannels + ci) * g.InH + y) * g.InW + x, o * s.Kg + (c * g.KernelH + ki) * g.KernelW + kj);
        }
    }

    static int MatrixIndex(in ConvShape s, int n, int o, int oy, int ox) =>
        ((n * s.MatrixChannels + o) * s.Geometry.OutH + oy) * s.Geometry.OutW + ox;

    static double[] NaiveForward<T>(ConvShape s, T[] u, T[] w, T[]? bias) where T : INumber<T>
    {
        var m = new double[s.Batch * s.MatrixSize];
        ForEachTap(s, (n, o, oy, ox, ui, wi) => m[MatrixIndex(s, n, o, oy, ox)] += double.CreateChecked(u[ui]) * double.CreateChecked(w[wi]));
        if (bias is not null)
            for (int i = 0; i < m.Length; i++) m[i] += double.CreateChecked(bias[i / s.Plane % s.MatrixChannels]);
        return m;
    }

    static double[] NaiveInputGradient<T>(ConvShape s, T[] dm, T[] w) where T : INumber<T>
    {
        var du = new double[s.Batch * s.UnfoldedSize];
        ForEachTap(s, (n, o, oy, ox, ui, wi) => du[ui] += double.CreateChecked(dm[MatrixIndex(s, n, o, oy, ox)]) * double.CreateChecked(w[wi]));
        return du;
    }

    static double[] NaiveWeightGradient<T>(ConvShape s, T[] dm, T[] u) where T : INumber<T>
    {
        var dw = new double[s.MatrixChannels * s.Kg];
        ForEachTap(s, (n, o, oy, ox, ui, wi) => dw[wi] += double.CreateChecked(dm[MatrixIndex(s, n, o, oy, ox)]) * double.CreateChecked(u[ui]));
        return dw;
    }
}
