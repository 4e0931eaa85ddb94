using Nabla.Backends.Cpu;

namespace Nabla.Tests.Backends;

/// <summary>
/// The single-pass sigmoid kernel: every vector width against its scalar form, bit for bit, for every length
/// 0–256 and misaligned starts; the scalar form against an independent double-precision formula within a stated
/// number of ulps; the special values; and strided (non-contiguous) tensors through the public op.
/// </summary>
public class SigmoidKernelTests
{
    /// <summary>Mostly ordinary values, with the special and saturating ones sprinkled through every position.</summary>
    static double[] Inputs(int n, int seed)
    {
        var rng = new System.Random(seed);
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1e-30, -1e-30,
                             17, 20, 40, -88, -87.5, -103, -104, -110, -700, -745, -746, -800, 745, 1e6, -1e6];
        var x = new double[n];
        for (int i = 0; i < n; i++)
            x[i] = rng.Next(5) == 0 ? specials[rng.Next(specials.Length)] : rng.NextDouble() * 60 - 30;
        return x;
    }

    static bool SameBits(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b) || (float.IsNaN(a) && float.IsNaN(b));
    static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));

    [Fact]
    public void VectorFormsMatchTheScalarFormForEveryLengthAndOffset()
    {
        for (int n = 0; n <= 256; n++)
        foreach (int offset in new[] { 0, 1, 3 })
        {
            var xd = Inputs(n + offset, n);
            var yd = new double[n + offset];
            SigmoidKernel.Run<double>(xd.AsSpan(offset), yd.AsSpan(offset));
            for (int i = offset; i < n + offset; i++)
                Assert.True(SameBits(SigmoidKernel.Sigmoid(xd[i]), yd[i]), $"float64 length {n} offset {offset} element {i}: x = {xd[i]:R}, got {yd[i]:R}");

            var xf = xd.Select(v => (float)v).ToArray();
            var yf = new float[n + offset];
            SigmoidKernel.Run<float>(xf.AsSpan(offset), yf.AsSpan(offset));
            for (int i = offset; i < n + offset; i++)
                Assert.True(SameBits(SigmoidKernel.Sigmoid(xf[i]), yf[i]), $"float32 length {n} offset {offset} element {i}: x = {xf[i]:R}, got {yf[i]:R}");
        }
    }

    static long UlpDistance(float a, float b) => a == b ? 0 : Math.Abs((long)BitConverter.SingleToInt32Bits(a) - BitConverter.SingleToInt32Bits(b));
    static long UlpDistance(double a, double b) => a == b ? 0 : Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    /// <summary>
    /// float32: within 2 ulps of the float64 formula rounded to float32 (the reference is itself within about half
    /// an ulp), over a sweep of [−120, 120] that crosses the subnormal results below −87.3 and the saturation at 1.
    /// </summary>
    [Fact]
    public void Float32IsWithinTwoUlpsOfTheDoublePrecisionFormula()
    {
        long worst = 0;
        for (float x = -120f; x <= 120f; x += 0.00731f)
        {
            double e = Math.Exp(-Math.Abs((double)x));
            float reference = (float)(x < 0 ? e / (1 + e) : 1 / (1 + e));
            long d = UlpDistance(SigmoidKernel.Sigmoid(x), reference);
            Assert.True(d <= 2, $"sigmoid({x:R}) = {SigmoidKernel.Sigmoid(x):R}, reference {reference:R}: {d} ulps");
            worst = Math.Max(worst, d);
        }
        Assert.True(worst >= 1, "the sweep should meet some rounding difference; a zero here means the check is not reaching the kernel");
    }

    /// <summary>
    /// float64: within 3 ulps of the same formula in float64 through Math.Exp, which carries its own error of up
    /// to about an ulp and a half (the kernel's own bound is similar), down through the subnormals to −745.
    /// </summary>
    [Fact]
    public void Float64IsWithinThreeUlpsOfTheMathExpFormula()
    {
        for (double x = -750; x <= 750; x += 0.0137)
        {
            double e = Math.Exp(-Math.Abs(x));
            double reference = x < 0 ? e / (1 + e) : 1 / (1 + e);
            long d = UlpDistance(SigmoidKernel.Sigmoid(x), reference);
            Assert.True(d <= 3, $"sigmoid({x:R}) = {SigmoidKernel.Sigmoid(x):R}, reference {reference:R}: {d} ulps");
        }
    }

    [Fact]
    public void SpecialValuesSaturateAndNaNPropagates()
    {
        Assert.True(float.IsNaN(SigmoidKernel.Sigmoid(float.NaN)));
        Assert.Equal(1f, SigmoidKernel.Sigmoid(float.PositiveInfinity));
        Assert.Equal(0f, SigmoidKernel.Sigmoid(float.NegativeInfinity));
        Assert.Equal(0.5f, SigmoidKernel.Sigmoid(0f));
        Assert.Equal(0.5f, SigmoidKernel.Sigmoid(-0f));
        Assert.Equal(1f, SigmoidKernel.Sigmoid(17f));          // 1 − e⁻¹⁷ rounds to 1 in float32
        Assert.Equal(1f, SigmoidKernel.Sigmoid(1e30f));
        Assert.Equal(0f, SigmoidKernel.Sigmoid(-1e30f));
        float tiny = SigmoidKernel.Sigmoid(-100f);               // e⁻¹⁰⁰ ≈ 3.72e-44: a subnormal, not flushed to 0
        Assert.True(tiny > 0 && tiny < 1.2e-38f && Math.Abs(tiny - 3.72e-44f) <= float.Epsilon, $"sigmoid(-100) = {tiny:R}");
        Assert.Equal(0f, SigmoidKernel.Sigmoid(-104f));          // e⁻¹⁰⁴ is below half the smallest subnormal

        Assert.True(double.IsNaN(SigmoidKernel.Sigmoid(double.NaN)));
        Assert.Equal(1.0, SigmoidKernel.Sigmoid(double.PositiveInfinity));
        Assert.Equal(0.0, SigmoidKernel.Sigmoid(double.NegativeInfinity));
        Assert.Equal(0.5, SigmoidKernel.Sigmoid(-0.0));
        Assert.Equal(1.0, SigmoidKernel.Sigmoid(40.0));
        double tinyD = SigmoidKernel.Sigmoid(-740.0);            // e⁻⁷⁴⁰ ≈ 4.2e-322, subnormal
        Assert.True(tinyD > 0 && Math.Abs(tinyD - Math.Exp(-740.0)) <= double.Epsilon, $"sigmoid(-740) = {tinyD:R}");
        Assert.Equal(0.0, SigmoidKernel.Sigmoid(-800.0));
        Assert.Equal(Math.Exp(-20.0) / (1 + Math.Exp(-20.0)), SigmoidKernel.Sigmoid(-20.0), 1e-22);
    }

    [Fact]
    public void RejectsSpansOfDifferentLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => SigmoidKernel.Run<float>(new float[3], new float[4]));
        Assert.Contains("sigmoid: input length 3 and output length 4 differ", e.Message);
    }

    /// <summary>Strided views (a transpose, a step slice) and a tensor long enough to be split across threads, through the op.</summary>
    [Theory]
    [InlineData(7, 9)]
    [InlineData(300, 257)]
    [InlineData(600, 300)]
    public void NonContiguousAndLargeTensorsMatchTheScalarForm(int rows, int cols)
    {
        var data = Inputs(rows * cols, rows).Select(v => (float)v).ToArray();
        var x = Tensor.From(data, [rows, cols]);
        foreach (var view in new[] { x, x.T(), x.Slice(1, 1, cols, step: 2).T() })
        {
            var y = view.Sigmoid();
            var expected = view.Contiguous().ToArray<float>().Select(SigmoidKernel.Sigmoid).ToArray();
            var got = y.ToArray<float>();
            Assert.Equal(view.Shape, y.Shape);
            for (int i = 0; i < got.Length; i++)
                Assert.True(SameBits(expected[i], got[i]), $"{rows}x{cols} view element {i}: expected {expected[i]:R}, got {got[i]:R}");
        }
        var xd = x.To(DType.Float64).T();
        var yd = xd.Sigmoid().ToArray<double>();
        var xs = xd.Contiguous().ToArray<double>();
        for (int i = 0; i < yd.Length; i++) Assert.True(SameBits(SigmoidKernel.Sigmoid(xs[i]), yd[i]), $"float64 element {i}");
    }
}
