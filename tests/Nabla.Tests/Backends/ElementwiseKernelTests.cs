using System.Numerics;
using Nabla.Backends.Cpu;

namespace Nabla.Tests.Backends;

/// <summary>
/// The hand-vectorised kernels of the elementwise family against their scalar forms, for every length
/// 0–256 (so each vector width and every remainder length is crossed), in float32, float64 and int64.
/// </summary>
public class ElementwiseKernelTests
{
    static T[] Values<T>(int n, int seed) where T : INumber<T>
    {
        var rng = new System.Random(seed);
        // Small integers with zeros and repeats, so ties and the sign/relu kinks are hit.
        return Enumerable.Range(0, n).Select(_ => T.CreateTruncating(rng.Next(-4, 5)) / T.CreateTruncating(rng.Next(1, 3))).ToArray();
    }

    static void CheckBinary<TOp, T>() where TOp : INumericBinary where T : unmanaged, INumber<T>
    {
        for (int n = 0; n <= 256; n++)
        {
            T[] a = Values<T>(n, n), b = Values<T>(n, n + 1000), d = new T[n];
            TOp.Span<T>(a, b, d);
            for (int i = 0; i < n; i++) Assert.True(Same(TOp.Scalar(a[i], b[i]), d[i]), $"{typeof(TOp).Name}<{typeof(T).Name}> length {n}, element {i}");
            if (n == 0) continue;
            TOp.SpanScalar<T>(a, b[0], d);
            for (int i = 0; i < n; i++) Assert.True(Same(TOp.Scalar(a[i], b[0]), d[i]), $"{typeof(TOp).Name}<{typeof(T).Name}> span-scalar length {n}, element {i}");
            TOp.ScalarSpan<T>(a[0], b, d);
            for (int i = 0; i < n; i++) Assert.True(Same(TOp.Scalar(a[0], b[i]), d[i]), $"{typeof(TOp).Name}<{typeof(T).Name}> scalar-span length {n}, element {i}");
        }
    }

    /// <summary>Bit-for-bit agreement, with NaN equal to NaN (a negative base to a fractional power).</summary>
    static bool Same<T>(T x, T y) where T : INumber<T> => x == y || (T.IsNaN(x) && T.IsNaN(y));

    static void CheckAll<TOp>() where TOp : INumericBinary
    {
        CheckBinary<TOp, float>();
        CheckBinary<TOp, double>();
        CheckBinary<TOp, long>();
    }

    [Fact] public void ReluGrad() => CheckAll<ReluGradOperator>();
    [Fact] public void SigmoidGrad() => CheckAll<SigmoidGradOperator>();
    [Fact] public void TanhGrad() => CheckAll<TanhGradOperator>();
    [Fact] public void Maximum() => CheckAll<MaximumOperator>();
    [Fact] public void Minimum() => CheckAll<MinimumOperator>();
    [Fact] public void Pow() => CheckAll<PowOperator>();

    [Fact]
    public void Sign()
    {
        for (int n = 0; n <= 256; n++)
        {
            var x = Values<double>(n, n);
            var y = new double[n];
            SignOperator.Span<double>(x, y);
            for (int i = 0; i < n; i++) Assert.Equal(Math.Sign(x[i]), y[i]);
            var xl = Values<long>(n, n);
            var yl = new long[n];
            SignOperator.Span<long>(xl, yl);
            for (int i = 0; i < n; i++) Assert.Equal(Math.Sign(xl[i]), yl[i]);
        }
    }

    [Fact]
    public void LogicalOpsOnDenseMasksMatchScalar()
    {
        for (int n = 0; n <= 256; n++)
        {
            var rng = new System.Random(n);
            bool[] a = Enumerable.Range(0, n).Select(_ => rng.Next(2) == 1).ToArray(), b = Enumerable.Range(0, n).Select(_ => rng.Next(2) == 1).ToArray();
            Tensor ta = Tensor.From(a, [n]), tb = Tensor.From(b, [n]);
            Assert.Equal(a.Zip(b, (p, q) => p & q), (ta & tb).ToArray<bool>());
            Assert.Equal(a.Zip(b, (p, q) => p | q), (ta | tb).ToArray<bool>());
            Assert.Equal(a.Select(p => !p), (~ta).ToArray<bool>());
        }
    }

    [Fact]
    public void IntegerPowerIsExactAndFollowsPyTorchForNegativeExponents()
    {
        Assert.Equal(1L << 62, PowOperator.IntPow(2, 62));
        Assert.Equal(-2187L, PowOperator.IntPow(-3, 7));
        Assert.Equal(1L, PowOperator.IntPow(0, 0));
        Assert.Equal(1L, PowOperator.IntPow(1, -5));
        Assert.Equal(-1L, PowOperator.IntPow(-1, -5));
        Assert.Equal(1L, PowOperator.IntPow(-1, -4));
        Assert.Equal(0L, PowOperator.IntPow(7, -1));
    }
}
