using Nabla.Backends.Cpu;

namespace Nabla.Tests.Backends;

/// <summary>
/// The chunking of long elementwise passes: chunk starts cover the span in order, fall on 64-byte lines of the
/// output, and a split pass gives exactly what one unsplit call gives (unary, binary, scalar on either side).
/// </summary>
public unsafe class DenseSplitTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(100, 2)]
    [InlineData(65536, 2)]
    [InlineData(200003, 3)]
    [InlineData(1 << 20, 7)]
    public void ChunkStartsAreOrderedCoverTheSpanAndSitOnCacheLines(int length, int parts)
    {
        var buffer = new float[length + 16];
        for (int shift = 0; shift < 4; shift++)
        fixed (float* p = &buffer[shift])
        {
            int previous = 0;
            Assert.Equal(0, DenseSplit.Start(p, length, parts, 0));
            for (int part = 1; part < parts; part++)
            {
                int start = DenseSplit.Start(p, length, parts, part);
                Assert.InRange(start, previous, length);
                if (start < length) Assert.Equal(0, (long)(nint)(p + start) % 64);
                previous = start;
            }
            Assert.Equal(length, DenseSplit.Start(p, length, parts, parts));
        }
    }

    [Fact]
    public void ShortPassesStayOnOneThread()
    {
        Assert.Equal(1, DenseSplit.Parts(0));
        Assert.Equal(1, DenseSplit.Parts(DenseSplit.MinLength - 1));
        Assert.InRange(DenseSplit.Parts(1 << 22), 1, Environment.ProcessorCount);
    }

    static float[] Values(int n, int seed)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 6 - 3)).ToArray();
    }

    [Theory]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(3 * 65536 + 5)]
    public void SplitPassesEqualOneUnsplitCall(int n)
    {
        float[] a = Values(n + 1, 1), b = Values(n + 1, 2);
        // Offset by one element so the chunks' line alignment differs from the arrays' own.
        var x = a.AsSpan(1);
        var y = b.AsSpan(1);

        float[] got = new float[n], want = new float[n];
        DenseSplit.FloatUnary<float, SigmoidOperator>(x, got);
        SigmoidOperator.Span<float>(x, want);
        Assert.Equal(want, got);

        DenseSplit.NumericUnary<float, ReluOperator>(x, got);
        ReluOperator.Span<float>(x, want);
        Assert.Equal(want, got);

        DenseSplit.Binary<float, SigmoidGradOperator>(x, y, got);
        SigmoidGradOperator.Span<float>(x, y, want);
        Assert.Equal(want, got);

        DenseSplit.WithScalar<float, SubtractOperator>(x, 0.75f, scalarFirst: false, got);
        SubtractOperator.SpanScalar<float>(x, 0.75f, want);
        Assert.Equal(want, got);

        DenseSplit.WithScalar<float, SubtractOperator>(x, 0.75f, scalarFirst: true, got);
        SubtractOperator.ScalarSpan<float>(0.75f, x, want);
        Assert.Equal(want, got);

        DenseSplit.FloatUnary<float, TanhOperator>(x, got);
        TanhOperator.Span<float>(x, want);
        Assert.Equal(want, got);

        double[] xd = a.Select(v => (double)v).ToArray(), gotD = new double[n + 1], wantD = new double[n + 1];
        DenseSplit.FloatUnary<double, SigmoidOperator>(xd, gotD);
        SigmoidOperator.Span<double>(xd, wantD);
        Assert.Equal(wantD, gotD);

        long[] xl = a.Select(v => (long)(v * 100)).ToArray(), gotL = new long[n + 1], wantL = new long[n + 1];
        DenseSplit.NumericUnary<long, ReluOperator>(xl, gotL);
        ReluOperator.Span<long>(xl, wantL);
        Assert.Equal(wantL, gotL);
    }
}
