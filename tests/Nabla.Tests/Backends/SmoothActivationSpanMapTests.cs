using Nabla.Backends.Cpu;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Backends;

/// <summary>
/// The vectorised SiLU, GELU (exact and tanh-approximated), softplus and erf, both ways, against their scalar maps on every length 0–256 (whole
/// vectors, blocks and tails), float32 and float64, with NaN, ±0, ±∞ and large values among the inputs, and through
/// the ops on non-contiguous and long (split) inputs. The span forms use the scalar maps' operations in the same order
/// and differ only in the vector e^x or tanh, so each result must be within a few units of rounding of the largest
/// term it is computed from (near the kinks the result itself can be much smaller than its terms: ½x(1 + tanh u) for
/// x ≪ 0 cancels, in the scalar map and in PyTorch alike).
/// </summary>
public class SmoothActivationSpanMapTests
{
    const double Beta = 0.79788456080286535588, Kappa = 0.044715;

    static double[] Values(int n, int seed)
    {
        var rng = new System.Random(seed);
        double[] special = [double.NaN, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, -1e-30, 1e-6, -40, 40, -100];
        return Enumerable.Range(0, n).Select(i => i % 7 == 3 ? special[i / 7 % special.Length] : rng.NextDouble() * 16 - 8).ToArray();
    }

    static void AssertClose(double expected, double actual, double scale, double epsilon, string where)
    {
        if (double.IsNaN(expected)) { Assert.True(double.IsNaN(actual), $"{where}: {actual:R}, expected NaN"); return; }
        if (expected.Equals(actual)) return;
        Assert.True(Math.Abs(expected - actual) <= 8 * epsilon * scale, $"{where}: gave {actual:R}, expected {expected:R} (term scale {scale:R})");
    }

    // The largest term each result is computed from.
    static double SiluScale(double x) => Math.Abs(x);
    static double SiluGradScale(double g, double x) => Math.Abs(g) * (1 + Math.Abs(x));
    static double GeluScale(double x) => Math.Abs(x);
    static double GeluGradScale(double g, double x) => Math.Abs(g) * (1 + Math.Abs(x) * Beta * (1 + 3 * Kappa * x * x));

    static void CheckEveryLength<TScalar, TSpan>(TScalar scalar, TSpan vector, Func<double, double> scale, Func<double, double, double> gradScale)
        where TScalar : struct, IPointwise, IPointwiseGrad where TSpan : struct, IPointwiseSpan, IPointwiseGradSpan
    {
        for (int n = 0; n <= 256; n++)
        {
            var x = Values(n, n);
            var g = Values(n, n + 1000).Select(v => double.IsFinite(v) ? v : 0.5).ToArray();
            var xf = x.Select(v => (float)v).ToArray();
            var gf = g.Select(v => (float)v).ToArray();
            var y = new double[n]; var d = new double[n];
            var yf = new float[n]; var df = new float[n];
            vector.Apply<double>(x, y);
            vector.Apply<double>(g, x, d);
            vector.Apply<float>(xf, yf);
            vector.Apply<float>(gf, xf, df);
            for (int i = 0; i < n; i++)
            {
                AssertClose(scalar.Apply(x[i]), y[i], scale(x[i]), Math.BitIncrement(1.0) - 1, $"float64 forward n={n} x={x[i]:R}");
                AssertClose(scalar.Apply(g[i], x[i]), d[i], gradScale(g[i], x[i]), Math.BitIncrement(1.0) - 1, $"float64 backward n={n} x={x[i]:R}");
                AssertClose(scalar.Apply(xf[i]), yf[i], scale(xf[i]), MathF.BitIncrement(1f) - 1, $"float32 forward n={n} x={xf[i]:R}");
                AssertClose(scalar.Apply(gf[i], xf[i]), df[i], gradScale(gf[i], xf[i]), MathF.BitIncrement(1f) - 1, $"float32 backward n={n} x={xf[i]:R}");
            }
        }
    }

    [Fact]
    public void Silu_every_length_matches_the_scalar_map() => CheckEveryLength(new SiluMap(), new SiluSpanMap(), SiluScale, SiluGradScale);

    [Fact]
    public void Gelu_tanh_every_length_matches_the_scalar_map() => CheckEveryLength(new GeluTanhMap(), new GeluTanhSpanMap(), GeluScale, GeluGradScale);

    [Fact]
    public void Gelu_every_length_matches_the_scalar_map() =>
        CheckEveryLength(new GeluMap(), new GeluSpanMap(), GeluScale, (g, x) => Math.Abs(g) * (1 + Math.Abs(x)));

    /// <summary>Softplus's tiny values (log(1 + z) for z far below an ulp of 1) keep their digits: the scale is the result itself.</summary>
    [Fact]
    public void Softplus_every_length_matches_the_scalar_map()
    {
        var reference = new SoftplusMap(1.5, 12);
        CheckEveryLength(reference, new SoftplusSpanMap(1.5, 12), x => double.IsFinite(x) ? Math.Abs(reference.Apply(x)) : 0, (g, _) => Math.Abs(g));
    }

    /// <summary>erf on vector lanes runs the scalar routine's interpolants with the same operations; only e^(−x²) differs.</summary>
    [Fact]
    public void Erf_every_length_matches_the_scalar_map()
    {
        for (int n = 0; n <= 256; n++)
        {
            var x = Values(n, n).Select(v => v / 2).ToArray();
            var xf = x.Select(v => (float)v).ToArray();
            var g = Values(n, n + 1000).Select(v => double.IsFinite(v) ? v : 0.5).ToArray();
            var gf = g.Select(v => (float)v).ToArray();
            var y = new double[n]; var d = new double[n];
            var yf = new float[n]; var df = new float[n];
            new ErfSpanMap().Apply<double>(x, y);
            new ErfSpanMap().Apply<float>(xf, yf);
            new ErfSpanMap().Apply<double>(g, x, d);
            new ErfSpanMap().Apply<float>(gf, xf, df);
            for (int i = 0; i < n; i++)
            {
                AssertClose(new ErfMap().Apply(x[i]), y[i], 1, Math.BitIncrement(1.0) - 1, $"float64 n={n} x={x[i]:R}");
                AssertClose(new ErfMap().Apply(xf[i]), yf[i], 1, MathF.BitIncrement(1f) - 1, $"float32 n={n} x={xf[i]:R}");
                AssertClose(new ErfGradMap().Apply(g[i], x[i]), d[i], Math.Abs(g[i]) * 1.2, Math.BitIncrement(1.0) - 1, $"float64 gradient n={n} x={x[i]:R}");
                AssertClose(new ErfGradMap().Apply(gf[i], xf[i]), df[i], Math.Abs(gf[i]) * 1.2, MathF.BitIncrement(1f) - 1, $"float32 gradient n={n} x={xf[i]:R}");
            }
        }
    }

    [Theory]
    [InlineData(7, 13)]
    [InlineData(300, 700)]
    public void Non_contiguous_and_split_inputs_match_the_scalar_maps(int rows, int cols)
    {
        var x = Tensor.FromArray(Values(rows * cols, 5), [rows, cols]).To(DType.Float32).T();
        Assert.False(x.IsContiguous);
        var dense = x.Contiguous().Data<float>();
        var silu = F.Silu(x).Contiguous().Data<float>();
        var gelu = F.Gelu(x, approximate: "tanh").Contiguous().Data<float>();
        var exact = F.Gelu(x).Contiguous().Data<float>();
        var erf = x.Erf().Contiguous().Data<float>();
        var softplus = F.Softplus(x).Contiguous().Data<float>();
        float eps = MathF.BitIncrement(1f) - 1;
        for (int i = 0; i < dense.Length; i++)
        {
            AssertClose(new SiluMap().Apply(dense[i]), silu[i], SiluScale(dense[i]), eps, $"silu element {i}");
            AssertClose(new GeluTanhMap().Apply(dense[i]), gelu[i], GeluScale(dense[i]), eps, $"gelu element {i}");
            AssertClose(new GeluMap().Apply(dense[i]), exact[i], GeluScale(dense[i]), eps, $"exact gelu element {i}");
            AssertClose(new ErfMap().Apply(dense[i]), erf[i], 1, eps, $"erf element {i}");
            AssertClose(new SoftplusMap(1, 20).Apply(dense[i]), softplus[i], Math.Abs(new SoftplusMap(1, 20).Apply(dense[i])), eps, $"softplus element {i}");
        }
    }
}
