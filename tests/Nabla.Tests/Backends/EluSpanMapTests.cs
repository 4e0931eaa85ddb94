using Nabla.Backends.Cpu;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Backends;

/// <summary>
/// The vectorised ELU forward against the scalar map on every length 0–256 (whole vectors, blocks and tails), with
/// NaN, ±0 and ±∞ among the values, and through the op on non-contiguous and long (split) inputs. The positive
/// branch is the same product, so it must match to the bit; the negative branch differs only in the e^x − 1
/// routine, so it must match to a few ulps of its scale.
/// </summary>
public class EluSpanMapTests
{
    const double Alpha = 1.3, Scale = 1.05, InputScale = 0.9;

    static double[] Values(int n, int seed)
    {
        var rng = new System.Random(seed);
        double[] special = [double.NaN, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, -1e-30, -1e-6, -40];
        return Enumerable.Range(0, n).Select(i => i % 7 == 3 ? special[i / 7 % special.Length] : rng.NextDouble() * 8 - 5).ToArray();
    }

    static void AssertClose(double x, double expected, double actual, double ulpOfScale, string where)
    {
        if (double.IsNaN(expected)) { Assert.True(double.IsNaN(actual), $"{where}: {actual:R}, expected NaN"); return; }
        if (expected.Equals(actual)) return;
        double tolerance = x > 0 ? 0 : 4 * ulpOfScale;
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{where}: x={x:R} gave {actual:R}, expected {expected:R}");
    }

    [Fact]
    public void EveryLengthMatchesTheScalarMap_Float32()
    {
        var scalar = new EluMap(Alpha, Scale, InputScale);
        var vector = new EluSpanMap(Alpha, Scale, InputScale);
        float s = (float)(Alpha * Scale);
        double ulp = MathF.BitIncrement(s) - s;
        for (int n = 0; n <= 256; n++)
        {
            var x = Values(n, n).Select(v => (float)v).ToArray();
            var y = new float[n];
            vector.Apply<float>(x, y);
            for (int i = 0; i < n; i++) AssertClose(x[i], scalar.Apply(x[i]), y[i], ulp, $"n={n} i={i}");
        }
    }

    [Fact]
    public void EveryLengthMatchesTheScalarMap_Float64()
    {
        var scalar = new EluMap(Alpha, Scale, InputScale);
        var vector = new EluSpanMap(Alpha, Scale, InputScale);
        double s = Alpha * Scale, ulp = Math.BitIncrement(s) - s;
        for (int n = 0; n <= 256; n++)
        {
            var x = Values(n, n);
            var y = new double[n];
            vector.Apply<double>(x, y);
            for (int i = 0; i < n; i++) AssertClose(x[i], scalar.Apply(x[i]), y[i], ulp, $"n={n} i={i}");
        }
    }

    [Theory]
    [InlineData(7, 13)]
    [InlineData(300, 700)]
    public void NonContiguousAndSplitInputsMatchTheScalarMap(int rows, int cols)
    {
        var x = Tensor.FromArray(Values(rows * cols, 5), [rows, cols]).To(DType.Float32).T();
        Assert.False(x.IsContiguous);
        var got = F.Elu(x, 0.7).Contiguous().Data<float>();
        var dense = x.Contiguous().Data<float>();
        var scalar = new EluMap(0.7, 1.0, 1.0);
        double ulp = MathF.BitIncrement(0.7f) - 0.7f;
        for (int i = 0; i < dense.Length; i++) AssertClose(dense[i], scalar.Apply(dense[i]), got[i], ulp, $"element {i}");
    }

    [Fact]
    public void GradientOfEveryLengthMatchesTheScalarMap()
    {
        var scalar = new EluMap(Alpha, Scale, InputScale);
        var vector = new EluSpanMap(Alpha, Scale, InputScale);
        for (int n = 0; n <= 256; n++)
        {
            var x = Values(n, n);
            var g = Values(n, n + 1000).Select(v => double.IsFinite(v) ? v : 0.5).ToArray();
            var d = new double[n];
            vector.Apply<double>(g, x, d);
            var xf = x.Select(v => (float)v).ToArray();
            var gf = g.Select(v => (float)v).ToArray();
            var df = new float[n];
            vector.Apply<float>(gf, xf, df);
            for (int i = 0; i < n; i++)
            {
                // The positive branch (and a NaN x, which takes it) is the same product: exact. The negative branch
                // differs in e^x only: a few ulps of the result.
                double e = scalar.Apply(g[i], x[i]);
                float ef = scalar.Apply(gf[i], xf[i]);
                Assert.True(e.Equals(d[i]) || (x[i] <= 0 && Math.Abs(e - d[i]) <= 4 * (Math.BitIncrement(Math.Abs(e)) - Math.Abs(e))), $"float64 n={n} i={i}: x={x[i]:R} gave {d[i]:R}, expected {e:R}");
                Assert.True(ef.Equals(df[i]) || (xf[i] <= 0 && MathF.Abs(ef - df[i]) <= 4 * (MathF.BitIncrement(MathF.Abs(ef)) - MathF.Abs(ef))), $"float32 n={n} i={i}: x={xf[i]:R} gave {df[i]:R}, expected {ef:R}");
            }
        }
    }
}
