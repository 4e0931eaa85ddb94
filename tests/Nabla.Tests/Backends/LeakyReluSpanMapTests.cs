using Nabla.Backends.Cpu;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Backends;

/// <summary>
/// The vectorised leaky ReLU gives the scalar map's bits on every length 0–256 (whole vectors and tails), with
/// NaN, ±0 and ±∞ among the values, and through the op on non-contiguous and long (split) inputs.
/// </summary>
public class LeakyReluSpanMapTests
{
    static double[] Values(int n, int seed)
    {
        var rng = new System.Random(seed);
        double[] special = [double.NaN, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, 1e-40, -1e-40];
        return Enumerable.Range(0, n).Select(i => i % 11 == 5 ? special[i / 11 % special.Length] : rng.NextDouble() * 6 - 3).ToArray();
    }

    [Fact]
    public void EveryLengthMatchesTheScalarMap_Float32()
    {
        var map = new LeakyReluMap(0.07);
        for (int n = 0; n <= 256; n++)
        {
            var x = Values(n, n).Select(v => (float)v).ToArray();
            var d = new float[n];
            new LeakyReluSpanMap(0.07).Apply<float>(x, d);
            for (int i = 0; i < n; i++)
                Assert.True(BitConverter.SingleToInt32Bits(map.Apply(x[i])) == BitConverter.SingleToInt32Bits(d[i]), $"n={n} i={i}: {d[i]:R} for x={x[i]:R}");
        }
    }

    [Fact]
    public void EveryLengthMatchesTheScalarMap_Float64()
    {
        var map = new LeakyReluMap(0.07);
        for (int n = 0; n <= 256; n++)
        {
            var x = Values(n, n);
            var d = new double[n];
            new LeakyReluSpanMap(0.07).Apply<double>(x, d);
            for (int i = 0; i < n; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(map.Apply(x[i])) == BitConverter.DoubleToInt64Bits(d[i]), $"n={n} i={i}: {d[i]:R} for x={x[i]:R}");
        }
    }

    [Theory]
    [InlineData(7, 13)]
    [InlineData(300, 700)]
    public void NonContiguousAndSplitInputsMatchTheScalarMap(int rows, int cols)
    {
        var x = Tensor.FromArray(Values(rows * cols, 3), [rows, cols]).To(DType.Float32).T();
        Assert.False(x.IsContiguous);
        var y = F.LeakyRelu(x, 0.2);
        var map = new LeakyReluMap(0.2);
        var dense = x.Contiguous().Data<float>();
        var got = y.Contiguous().Data<float>();
        Assert.Equal(new[] { cols, rows }, y.Shape);
        for (int i = 0; i < dense.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(map.Apply(dense[i])) == BitConverter.SingleToInt32Bits(got[i]), $"element {i}");
    }

    [Fact]
    public void GradientOfEveryLengthMatchesTheScalarMap()
    {
        var map = new LeakyReluMap(0.07);
        var vector = new LeakyReluSpanMap(0.07);
        for (int n = 0; n <= 256; n++)
        {
            var x = Values(n, n).Select(v => (float)v).ToArray();
            var g = Values(n, n + 1000).Select(v => (float)v).ToArray();
            var d = new float[n];
            vector.Apply<float>(g, x, d);
            for (int i = 0; i < n; i++)
                Assert.True(BitConverter.SingleToInt32Bits(map.Apply(g[i], x[i])) == BitConverter.SingleToInt32Bits(d[i]), $"n={n} i={i}: {d[i]:R} for g={g[i]:R}, x={x[i]:R}");
        }
    }
}
