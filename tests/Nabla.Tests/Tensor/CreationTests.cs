using Nabla.Tests.Support;

namespace Nabla.Tests.Tensors;

/// <summary>Ranges, identity, *Like, random tensors and array conversions (fixture: tools/golden/creation.py).</summary>
[Collection(Nabla.Tests.RandomTests.GlobalRandomCollection.Name)]
public class CreationTests
{
    const string Fixture = "creation";

    static readonly Dictionary<string, Func<Tensor>> Ops = new()
    {
        ["arange_end"] = () => Tensor.Arange(5),
        ["arange_start_step"] = () => Tensor.Arange(2, 20, 3),
        ["arange_negative_step"] = () => Tensor.Arange(10, -3, -4),
        ["arange_empty"] = () => Tensor.Arange(3, 3),
        ["arange_int_as_float64"] = () => Tensor.Arange(0, 5, dtype: DType.Float64),
        ["arange_int_as_float32"] = () => Tensor.Arange(-3, 9, 2, DType.Float32),
        ["arange_float_end"] = () => Tensor.Arange(2.5),
        ["arange_float_tenths"] = () => Tensor.Arange(0, 1, 0.1),
        ["arange_float_negative_step"] = () => Tensor.Arange(1.5, -2.0, -0.25),
        ["arange_float_inexact"] = () => Tensor.Arange(0.3, 5.1, 0.7),
        ["arange_float_long"] = () => Tensor.Arange(-1.0, 1.0, 0.01),
        ["arange_float64_tenths"] = () => Tensor.Arange(0, 1, 0.1, DType.Float64),
        ["arange_float_as_int64"] = () => Tensor.Arange(0.5, 7.5, 1.5, DType.Int64),
        ["linspace_quarters"] = () => Tensor.Linspace(0, 1, 5),
        ["linspace_integers"] = () => Tensor.Linspace(-3, 7, 11),
        ["linspace_sevenths"] = () => Tensor.Linspace(0, 1, 7),
        ["linspace_one"] = () => Tensor.Linspace(2, 5, 1),
        ["linspace_zero"] = () => Tensor.Linspace(0, 1, 0),
        ["linspace_descending_float64"] = () => Tensor.Linspace(1, -1, 10, DType.Float64),
        ["linspace_int64"] = () => Tensor.Linspace(0, 10, 4, DType.Int64),
        ["linspace_int64_negative"] = () => Tensor.Linspace(-7, 3, 6, DType.Int64),
        ["linspace_long"] = () => Tensor.Linspace(-5.5, 3.3, 100),
        ["eye_square"] = () => Tensor.Eye(3),
        ["eye_wide"] = () => Tensor.Eye(2, 4),
        ["eye_tall_int64"] = () => Tensor.Eye(4, 2, DType.Int64),
        ["eye_empty"] = () => Tensor.Eye(0),
        ["eye_float64"] = () => Tensor.Eye(3, DType.Float64),
        ["eye_bool"] = () => Tensor.Eye(2, DType.Bool),
    };

    public static IEnumerable<object[]> Cases => GoldenFixture.Names(Fixture);

    /// <summary>
    /// Fractional float ranges whose last bits PyTorch takes from its SIMD kernel: with AVX2 it rounds the
    /// start of every 8-lane block to float and adds k·step from there, so its output differs by an ulp
    /// between AVX2, AVX-512 and scalar builds. Nabla computes each element directly (start + i·step in double,
    /// linspace counted from both ends), and these cases are compared with the standard golden tolerance.
    /// </summary>
    static readonly HashSet<string> SimdDependent = ["arange_float_long", "linspace_long", "linspace_descending_float64"];

    /// <summary>Same dtype, same length and, apart from <see cref="SimdDependent"/>, exactly the same values as PyTorch.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = GoldenFixture.Get(Fixture, name);
        if (SimdDependent.Contains(name)) TensorAssert.Close(c.Output, Ops[name](), 1e-5, 1e-5, name);
        else TensorAssert.Equal(c.Output, Ops[name](), name);
    }

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Ops.Keys);

    [Fact]
    public void ArangeOverloadsPickDTypeLikePyTorch()
    {
        Assert.Equal(DType.Int64, Tensor.Arange(10).DType);
        Assert.Equal(DType.Int64, Tensor.Arange(1, 10, 2).DType);
        Assert.Equal(DType.Float32, Tensor.Arange(10.0).DType);
        Assert.Equal(DType.Float32, Tensor.Arange(0, 1.5, 0.5).DType);
        Assert.Equal(new long[] { long.MaxValue - 2, long.MaxValue - 1 }, Tensor.Arange(long.MaxValue - 2, long.MaxValue).ToArray<long>());
    }

    [Fact]
    public void LikeFunctionsKeepShapeAndDType()
    {
        var x = Tensor.Zeros([2, 3], DType.Float64).T();
        var full = Tensor.FullLike(x, 2.5);
        Assert.Equal(new[] { 3, 2 }, full.Shape);
        Assert.Equal(DType.Float64, full.DType);
        Assert.All(full.ToArray<double>(), v => Assert.Equal(2.5, v));
        Assert.Equal(DType.Int64, Tensor.FullLike(x, 7.9, DType.Int64).DType);
        Assert.All(Tensor.FullLike(x, 7.9, DType.Int64).ToArray<long>(), v => Assert.Equal(7L, v));
        Assert.Equal(DType.Bool, Tensor.ZerosLike(x, DType.Bool).DType);
        Assert.All(Tensor.OnesLike(x, DType.Float32).ToArray<float>(), v => Assert.Equal(1f, v));

        var r = Tensor.RandLike(x);
        Assert.Equal(new[] { 3, 2 }, r.Shape);
        Assert.Equal(DType.Float64, r.DType);
        Assert.Equal(DType.Float32, Tensor.RandnLike(x, DType.Float32).DType);
        var ri = Tensor.RandintLike(Tensor.Zeros([4], DType.Int64), 3, 5);
        Assert.All(ri.ToArray<long>(), v => Assert.InRange(v, 3L, 4L));
    }

    // ---- random tensors: statistics and determinism ----

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void RandIsUniformOnUnitInterval(DType dtype)
    {
        var g = new Generator(123);
        var v = TensorAssert.Flat(Tensor.Rand([100_000], dtype, g));
        double mean = v.Average(), std = Std(v, mean);
        Assert.InRange(mean, 0.5 - 0.005, 0.5 + 0.005);            // sd of the mean ≈ 0.0009
        Assert.InRange(std, Math.Sqrt(1 / 12.0) - 0.003, Math.Sqrt(1 / 12.0) + 0.003);
        Assert.True(v.Min() >= 0 && v.Max() < 1, "rand must lie in [0, 1)");
        Assert.InRange(v.Count(x => x < 0.1), 9_500, 10_500);        // each decile ≈ 10000 ± 95
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void RandnIsStandardNormal(DType dtype)
    {
        var g = new Generator(456);
        var v = TensorAssert.Flat(Tensor.Randn([100_001], dtype, g)); // odd length exercises the spare sample
        double mean = v.Average(), std = Std(v, mean);
        Assert.InRange(mean, -0.02, 0.02);                           // sd of the mean ≈ 0.0032
        Assert.InRange(std, 0.99, 1.01);                             // sd of the std ≈ 0.0022
        Assert.InRange(v.Count(x => Math.Abs(x) < 1) / (double)v.Length, 0.6827 - 0.007, 0.6827 + 0.007);
        Assert.InRange(v.Count(x => x > 1.96) / (double)v.Length, 0.025 - 0.003, 0.025 + 0.003);
    }

    [Fact]
    public void RandintCoversTheRangeUniformly()
    {
        var v = Tensor.Randint(-3, 7, [100_000], generator: new Generator(9)).ToArray<long>();
        var counts = new int[10];
        foreach (long x in v) counts[x + 3]++;                       // throws if a value is outside [-3, 7)
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.Equal(DType.Int64, Tensor.Randint(5, [3]).DType);
        Assert.Equal(DType.Float32, Tensor.Randint(0, 5, [3], DType.Float32).DType);
    }

    [Fact]
    public void SameSeedGivesSameNumbers()
    {
        Random.Seed(42);
        var a = Tensor.Rand(4, 5).ToArray<float>();
        var b = Tensor.Randn(7).ToArray<float>();
        var c = Tensor.Randint(0, 100, [6]).ToArray<long>();
        Random.Seed(42);
        Assert.Equal(a, Tensor.Rand(4, 5).ToArray<float>());
        Assert.Equal(b, Tensor.Randn(7).ToArray<float>());
        Assert.Equal(c, Tensor.Randint(0, 100, [6]).ToArray<long>());
        Random.Seed(43);
        Assert.NotEqual(a, Tensor.Rand(4, 5).ToArray<float>());
    }

    [Fact]
    public void ExplicitGeneratorLeavesTheGlobalOneAlone()
    {
        Random.Seed(5);
        var expected = Tensor.Rand(3).ToArray<float>();
        Random.Seed(5);
        var g = new Generator(5);
        var fromG = Tensor.Rand([3], generator: g).ToArray<float>();
        Assert.Equal(expected, fromG); // same seed, same stream
        Assert.Equal(expected, Tensor.Rand(3).ToArray<float>()); // the global stream did not move
    }

    [Fact]
    public void RandnMatchesGeneratorNormalsAcrossCalls()
    {
        // Bulk fills and single draws share one stream, including the spare Box–Muller sample.
        var g1 = new Generator(77);
        var bulk = Tensor.Randn([3], DType.Float64, g1).ToArray<double>().Concat(Tensor.Randn([4], DType.Float64, g1).ToArray<double>());
        var g2 = new Generator(77);
        var single = Enumerable.Range(0, 7).Select(_ => g2.NextNormal());
        Assert.Equal(single, bulk);
    }

    static double Std(double[] v, double mean) => Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));

    // ---- arrays of any rank ----

    [Fact]
    public void MultiDimensionalArraysRoundTrip()
    {
        var f2 = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var t = Tensor.From(f2);
        Assert.Equal(new[] { 2, 3 }, t.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<float>());
        Assert.Equal(f2, t.To2D<float>());

        var f3 = new float[2, 3, 4];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) f3[i, j, k] = 100 * i + 10 * j + k;
        var t3 = Tensor.From(f3);
        Assert.Equal(new[] { 2, 3, 4 }, t3.Shape);
        Assert.Equal(123f, t3.Select(0, 1).Select(0, 2).Select(0, 3).Item<float>());
        Assert.Equal(f3, t3.To3D<float>());
        Assert.Equal(f3, (float[,,])t3.ToMultiArray<float>());

        var d2 = new double[,] { { 1.5 }, { -2.5 } };
        Assert.Equal(d2, Tensor.From(d2).To2D<double>());
        var l2 = new long[,] { { long.MaxValue, -1 } };
        Assert.Equal(l2, Tensor.From(l2).To2D<long>());
        var b2 = new bool[,] { { true, false }, { false, true } };
        Assert.Equal(b2, Tensor.From(b2).To2D<bool>());
        var f4 = new float[1, 2, 1, 2] { { { { 1, 2 } }, { { 3, 4 } } } };
        Assert.Equal(f4, (float[,,,])Tensor.From(f4).ToMultiArray<float>());
    }

    [Fact]
    public void IntArraysBecomeInt64()
    {
        var t = Tensor.From(new int[,] { { 1, -2 }, { 3, 4 } });
        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal(new long[] { 1, -2, 3, 4 }, t.ToArray<long>());
        Assert.Equal(DType.Int64, Tensor.From(new[] { 1, 2, 3 }).DType);
        Assert.Equal(new[] { 3, 1 }, Tensor.From(new[] { 1, 2, 3 }, 3, 1).Shape);
    }

    [Fact]
    public void NestedAndMixedArrays()
    {
        var jag = new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 }, new[] { 5.0, 6.0 } };
        var t = Tensor.From(jag);
        Assert.Equal(new[] { 3, 2 }, t.Shape);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6 }, t.ToArray<double>());

        var mixed = new float[2][,] { new float[,] { { 1, 2 } }, new float[,] { { 3, 4 } } };
        var m = Tensor.From(mixed);
        Assert.Equal(new[] { 2, 1, 2 }, m.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, m.ToArray<float>());

        Assert.Equal(new[] { 2, 0 }, Tensor.From(new[] { new float[0], new float[0] }).Shape);
        Assert.Equal(new[] { 0, 3 }, Tensor.From(new float[0, 3]).Shape);
        Assert.Equal(DType.Float64, Tensor.From(new float[,] { { 1 } }, DType.Float64).DType);
    }

    [Fact]
    public void ToMultiArrayReadsViewsInLogicalOrder()
    {
        var t = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }).T();
        Assert.Equal(new float[,] { { 1, 4 }, { 2, 5 }, { 3, 6 } }, t.To2D<float>());
        Assert.Equal(new float[] { 2, 5 }, (float[])t.Select(0, 1).ToMultiArray<float>());
    }

    // ---- bad input: the message names the op ----

    [Theory]
    [InlineData(0, 5, 0, "arange: step must be nonzero")]
    [InlineData(0, 5, -1, "arange: upper bound and lower bound inconsistent with step sign")]
    [InlineData(5, 0, 1, "arange: upper bound and lower bound inconsistent with step sign")]
    public void ArangeRejectsBadSteps(long start, long end, long step, string message)
    {
        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => Tensor.Arange(start, end, step)).Message);
        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => Tensor.Arange((double)start, end, (double)step)).Message);
    }

    [Fact]
    public void ArangeRejectsNonFiniteAndHugeRanges()
    {
        Assert.StartsWith("arange: unsupported range", Assert.Throws<ArgumentException>(() => Tensor.Arange(0.0, double.PositiveInfinity)).Message);
        Assert.StartsWith("arange: unsupported range", Assert.Throws<ArgumentException>(() => Tensor.Arange(double.NaN)).Message);
        Assert.StartsWith("arange: step must be nonzero", Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 1, double.NaN)).Message);
        Assert.Contains("more than a tensor can", Assert.Throws<ArgumentException>(() => Tensor.Arange(0, long.MaxValue)).Message);
        Assert.StartsWith("arange: dtype bool", Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 3, 1, DType.Bool)).Message);
        Assert.StartsWith("arange: step must be nonzero", Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 3, 0.5, DType.Int64)).Message);
    }

    [Fact]
    public void NegativeShapesAreRejected()
    {
        Assert.Equal("rand: negative dimension in shape [2, -1].", Assert.Throws<ArgumentException>(() => Tensor.Rand(2, -1)).Message);
        Assert.Equal("randn: negative dimension in shape [-3].", Assert.Throws<ArgumentException>(() => Tensor.Randn(-3)).Message);
        Assert.Equal("randint: negative dimension in shape [-1, 2].", Assert.Throws<ArgumentException>(() => Tensor.Randint(0, 2, [-1, 2])).Message);
        Assert.Equal("eye: n and m must be non-negative, got n=-1, m=2.", Assert.Throws<ArgumentException>(() => Tensor.Eye(-1, 2)).Message);
    }

    [Fact]
    public void RandRejectsBadArguments()
    {
        Assert.Equal("randint: expects low < high, got low=5 and high=5 (shape [3]).", Assert.Throws<ArgumentException>(() => Tensor.Randint(5, 5, [3])).Message);
        Assert.StartsWith("randint: expects low < high, got low=2 and high=1", Assert.Throws<ArgumentException>(() => Tensor.Randint(2, 1, [3])).Message);
        Assert.StartsWith("randint: a bool result", Assert.Throws<ArgumentException>(() => Tensor.Randint(0, 3, [3], DType.Bool)).Message);
        Assert.StartsWith("rand: dtype int64 is not supported", Assert.Throws<ArgumentException>(() => Tensor.Rand([2], DType.Int64)).Message);
        Assert.StartsWith("randn: dtype bool is not supported", Assert.Throws<ArgumentException>(() => Tensor.Randn([2], DType.Bool)).Message);
        Assert.StartsWith("rand: dtype int64", Assert.Throws<ArgumentException>(() => Tensor.RandLike(Tensor.Arange(3))).Message);
    }

    [Fact]
    public void LinspaceRejectsNegativeSteps()
    {
        Assert.Equal("linspace: number of steps must be non-negative, got -1.", Assert.Throws<ArgumentException>(() => Tensor.Linspace(0, 1, -1)).Message);
        Assert.StartsWith("linspace: dtype bool", Assert.Throws<ArgumentException>(() => Tensor.Linspace(0, 1, 3, DType.Bool)).Message);
    }

    [Fact]
    public void RaggedAndUnsupportedArraysAreRejected()
    {
        var ragged = new[] { new float[] { 1, 2 }, new float[] { 3 } };
        Assert.StartsWith("from_array: ragged nested arrays: expected shape [2, 2], but an array at depth 1 has length 1",
            Assert.Throws<ArgumentException>(() => Tensor.From(ragged)).Message);
        var withNull = new[] { new float[] { 1 }, null! };
        Assert.StartsWith("from_array: a nested array is null", Assert.Throws<ArgumentException>(() => Tensor.From(withNull)).Message);
        Assert.StartsWith("from_array: element type String is not supported",
            Assert.Throws<ArgumentException>(() => Tensor.From(new string[,] { { "a" } })).Message);
        Assert.StartsWith("from_array: element type Byte is not supported",
            Assert.Throws<ArgumentException>(() => Tensor.From((Array)new byte[2])).Message);
        Assert.StartsWith("from_array: element type Decimal is not supported",
            Assert.Throws<ArgumentException>(() => Tensor.From(new decimal[0][])).Message);
    }

    [Fact]
    public void ConversionBackChecksTypeAndRank()
    {
        var t = Tensor.Zeros(2, 3);
        Assert.StartsWith("to_multi_array: the tensor holds float32, not float64", Assert.Throws<InvalidOperationException>(() => t.ToMultiArray<double>()).Message);
        Assert.StartsWith("to_multi_array: a 0-d tensor", Assert.Throws<InvalidOperationException>(() => Tensor.Scalar(1).ToMultiArray<float>()).Message);
        Assert.Equal("to_3d: expected a 3-D tensor, got shape [2, 3].", Assert.Throws<InvalidOperationException>(() => t.To3D<float>()).Message);
        Assert.Equal("to_2d: expected a 2-D tensor, got shape [6].", Assert.Throws<InvalidOperationException>(() => t.Reshape(6).To2D<float>()).Message);
    }
}
