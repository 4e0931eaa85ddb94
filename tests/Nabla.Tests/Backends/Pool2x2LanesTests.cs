using System.Numerics;
using Nabla.Backends.Cpu.Conv;

namespace Nabla.Tests.Backends;

/// <summary>
/// The vector planes of 2×2/2 average pooling against the generic window loops, bit for bit, in float32 and
/// float64, for every row width from 1 to 40 outputs (each vector width, the flush-right overlapping last vector,
/// and rows too short for any vector), odd leftover columns and rows, and special values (±∞, NaN, −0, huge).
/// </summary>
public class Pool2x2LanesTests
{
    static T[] Input<T>(int n, int seed) where T : IFloatingPointIeee754<T>
    {
        var rng = new System.Random(seed);
        T[] specials = [T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.NegativeZero, T.CreateTruncating(1e30), T.CreateTruncating(-3e-39)];
        var x = new T[n];
        for (int i = 0; i < n; i++)
            x[i] = rng.Next(11) == 0 ? specials[rng.Next(specials.Length)] : T.CreateTruncating(rng.NextDouble() * 8 - 4);
        return x;
    }

    static bool Same<T>(T a, T b) where T : IFloatingPointIeee754<T> =>
        (T.IsNaN(a) && T.IsNaN(b)) || (a == b && T.IsNegative(a) == T.IsNegative(b));

    static void Check<T>(int h, int w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int planes = 2;
        var g = new ConvGeometry(h, w, 2, 2, 2, 2);
        int inPlane = h * w, outPlane = g.OutH * g.OutW;
        var x = Input<T>(planes * inPlane, h * 1000 + w);
        T[] y = new T[planes * outPlane], yRef = new T[y.Length];
        PoolKernels.AvgForwardRange<T>(x, 0, planes, g, true, y);
        PoolKernels.AvgForwardRange<T>(x, 0, planes, g, true, yRef, generic: true);
        for (int i = 0; i < y.Length; i++)
            Assert.True(Same(yRef[i], y[i]), $"{typeof(T).Name} forward {h}x{w}, output {i}: expected {yRef[i]}, got {y[i]}");

        var go = Input<T>(y.Length, 7 + w);
        var gi = Enumerable.Repeat(T.CreateTruncating(99), x.Length).ToArray();   // stale values must be overwritten
        var giRef = new T[x.Length];
        PoolKernels.AvgBackwardRange<T>(go, 0, planes, g, true, gi);
        PoolKernels.AvgBackwardRange<T>(go, 0, planes, g, true, giRef, generic: true);
        for (int i = 0; i < gi.Length; i++)
            Assert.True(Same(giRef[i], gi[i]), $"{typeof(T).Name} backward {h}x{w}, input cell {i}: expected {giRef[i]}, got {gi[i]}");
    }

    public static IEnumerable<object[]> Sizes()
    {
        foreach (int h in new[] { 2, 5 })
            for (int w = 2; w <= 81; w++)
                yield return new object[] { h, w };
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Float32RowsMatchTheGenericLoopExactly(int h, int w) => Check<float>(h, w);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Float64RowsMatchTheGenericLoopExactly(int h, int w) => Check<double>(h, w);

    [Fact]
    public void PlanesTooShortForTheWindowsAreRejected()
    {
        // 3 rows of pitch 16 hold one row of windows (rows 0-1) but not two.
        var e = Assert.Throws<ArgumentException>(() => Pool2x2Lanes.AvgPlane(new float[48], 16, 2, 8, new float[16]));
        Assert.Contains("avg_pool2d 2x2: a plane of 48 elements with row pitch 16 cannot hold 2x8 windows", e.Message);
        Assert.Throws<ArgumentException>(() => Pool2x2Lanes.AvgPlane(new float[64], 16, 2, 8, new float[15]));
        Assert.Throws<ArgumentException>(() => Pool2x2Lanes.SharePlane(new double[8], 8, 2, 4, new double[31]));
        Pool2x2Lanes.SharePlane(new double[8], 8, 2, 4, new double[32]);   // exactly large enough: no exception
    }
}
