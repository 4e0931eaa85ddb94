using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nabla.Backends.Cpu;

namespace Nabla.Tests.Backends;

/// <summary>
/// Every GEMM implementation against a naive triple loop. Inputs are small integers, so every partial sum is
/// exact in float32 and float64 and the results must agree bit for bit, whatever the summation order.
/// Sizes sweep 0..70 to cross every micro-tile edge (MR 4/6/12, NR 8..32) with all transpose combinations.
/// </summary>
public class GemmKernelTests
{
    public static IEnumerable<object[]> Paths()
    {
        yield return [nameof(GemmPath.Auto)];
        yield return [nameof(GemmPath.Portable)];
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported) yield return [nameof(GemmPath.Avx2)];
        if (Vector512.IsHardwareAccelerated) yield return [nameof(GemmPath.Avx512)];
    }

    /// <summary>One product with integer data, stored with padded leading dimensions so strides are really used.</summary>
    internal static void CheckExact<T>(GemmPath path, bool ta, bool tb, int m, int n, int k, T alpha, T beta, int seed)
        where T : unmanaged, INumber<T>
    {
        var rng = new System.Random(seed);
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
        var a = RandomInts<T>(rng, Math.Max(1, (ta ? k : m)) * lda);
        var b = RandomInts<T>(rng, Math.Max(1, (tb ? n : k)) * ldb);
        var c = RandomInts<T>(rng, Math.Max(1, m) * ldc);
        var expected = (T[])c.Clone();
        Naive(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);

        Gemm.Multiply(path, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        for (int i = 0; i < c.Length; i++)
            Assert.True(expected[i] == c[i],
                $"{path} {typeof(T).Name} ta={ta} tb={tb} m={m} n={n} k={k}: C[{i / ldc}, {i % ldc}] expected {expected[i]}, got {c[i]}");
    }

    static T[] RandomInts<T>(System.Random rng, int length) where T : INumber<T>
    {
        var data = new T[length];
        for (int i = 0; i < length; i++) data[i] = T.CreateChecked(rng.Next(-4, 5));
        return data;
    }

    /// <summary>The reference: op(X)[r, s] read straight from the definition of the transpose flags.</summary>
    static void Naive<T>(bool ta, bool tb, int m, int n, int k, T alpha, T[] a, int lda, T[] b, int ldb, T beta, T[] c, int ldc)
        where T : INumber<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                    sum += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = beta == T.Zero ? alpha * sum : alpha * sum + beta * c[i * ldc + j];
            }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void SizesAcrossTileEdges_Float32(string path) => SweepSizes<float>(Enum.Parse<GemmPath>(path));

    [Theory]
    [MemberData(nameof(Paths))]
    public void SizesAcrossTileEdges_Float64(string path) => SweepSizes<double>(Enum.Parse<GemmPath>(path));

    static void SweepSizes<T>(GemmPath path) where T : unmanaged, INumber<T>
    {
        for (int s = 0; s <= 70; s++)
        {
            bool ta = (s & 1) != 0, tb = (s & 2) != 0;
            CheckExact(path, ta, tb, s, s, s, T.One, T.Zero, s);
            CheckExact(path, tb, ta, s, 33, 17, T.One, T.One, s + 100);
            CheckExact(path, !ta, tb, 13, s, 29, T.One, T.Zero, s + 200);
            CheckExact(path, ta, !tb, 37, 21, s, T.One, T.Zero, s + 300);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void AllTransposeCombinationsWithAlphaBeta(string name)
    {
        var path = Enum.Parse<GemmPath>(name);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                CheckExact(path, ta, tb, 25, 35, 19, 2f, 0f, 1);
                CheckExact(path, ta, tb, 25, 35, 19, 0.5f, -1f, 2);
                CheckExact(path, ta, tb, 30, 17, 41, -1.0, 3.0, 3);
                CheckExact(path, ta, tb, 12, 32, 8, 1.0, 1.0, 4);
            }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void VectorShapes(string name)
    {
        var path = Enum.Parse<GemmPath>(name);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (var (m, n, k) in new[] { (1, 1, 1), (1, 1, 9), (1, 45, 23), (45, 1, 23), (1, 70, 1), (70, 1, 1) })
                {
                    CheckExact(path, ta, tb, m, n, k, 1f, 0f, m + n + k);
                    CheckExact(path, ta, tb, m, n, k, 2.0, -1.0, m * n * k);
                }
    }

    [Fact]
    public void VectorKernelMatchesForBothOrientations()
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (var (m, n, k) in new[] { (1, 1, 1), (1, 37, 50), (50, 1, 37), (1, 5, 0) })
                {
                    CheckExact(GemmPath.Gemv, ta, tb, m, n, k, 1f, 0f, 7);
                    CheckExact(GemmPath.Gemv, ta, tb, m, n, k, -2.0, 0.5, 8);
                }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void DeepAndWideProductsCrossTheCacheBlocks(string name)
    {
        var path = Enum.Parse<GemmPath>(name);
        // k beyond one KC slice (accumulation across slices), n beyond one NC block, and products big
        // enough to be split over threads by rows (m ≥ n) and by columns (n > m).
        CheckExact(path, false, false, 7, 20, 2100, 1f, 1f, 11);
        CheckExact(path, true, true, 9, 4200, 3, 1.0, 0.0, 12);
        CheckExact(path, false, true, 150, 97, 100, 1f, 0f, 13);
        CheckExact(path, true, false, 40, 260, 150, 1.0, 2.0, 14);
        // beta = 0 with k over several KC slices and ragged tiles on both edges: the first slice stores its
        // tiles (C's old values must vanish), the later ones add to them.
        CheckExact(path, false, false, 29, 45, 2100, 1f, 0f, 15);
        CheckExact(path, true, true, 13, 37, 1530, 1.0, 0.0, 16);
    }

    [Fact]
    public void Int64UsesTheReferenceLoop()
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                CheckExact(GemmPath.Auto, ta, tb, 9, 7, 5, 3L, -2L, 5);
    }

    [Fact]
    public void BetaZeroOverwritesNaNsAndLeavesPaddingAlone()
    {
        int m = 20, n = 40, k = 10, ldc = 45;
        var a = Enumerable.Range(0, m * k).Select(i => (float)(i % 5 - 2)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(i => (float)(i % 3 - 1)).ToArray();
        var c = Enumerable.Repeat(float.NaN, m * ldc).ToArray();
        Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
                Assert.True(j < n ? !float.IsNaN(c[i * ldc + j]) : float.IsNaN(c[i * ldc + j]), $"C[{i}, {j}] = {c[i * ldc + j]}");
    }

    [Fact]
    public void ZeroDepthOrZeroAlphaOnlyScalesC()
    {
        var c = new[] { 1.0, 2.0, 3.0, 4.0 };
        Gemm.Multiply(false, false, 2, 2, 0, 1.0, ReadOnlySpan<double>.Empty, 0, ReadOnlySpan<double>.Empty, 2, 3.0, c, 2);
        Assert.Equal(new[] { 3.0, 6.0, 9.0, 12.0 }, c);
        Gemm.Multiply(false, false, 2, 2, 1, 0.0, new[] { double.NaN, 1 }, 1, new[] { 1.0, 1 }, 2, 0.5, c, 2);
        Assert.Equal(new[] { 1.5, 3.0, 4.5, 6.0 }, c);
    }

    [Fact]
    public void RealValuedProductStaysWithinTheRoundingBound()
    {
        // Non-integer data: the error of any summation order is bounded by k·u·Σ|a||b| (u = unit roundoff).
        var rng = new System.Random(3);
        int m = 53, n = 67, k = 301;
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var c = new float[m * n];
        Gemm.Multiply(false, true, m, n, k, 1f, a, k, b, k, 0f, c, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double exact = 0, magnitude = 0;
                for (int p = 0; p < k; p++) { exact += (double)a[i * k + p] * b[j * k + p]; magnitude += Math.Abs((double)a[i * k + p] * b[j * k + p]); }
                double bound = k * Math.Pow(2, -24) * magnitude;
                Assert.True(Math.Abs(c[i * n + j] - exact) <= bound, $"C[{i}, {j}] = {c[i * n + j]}, exact {exact}, bound {bound:E2}");
            }
    }

    [Fact]
    public void RejectsBuffersTooSmallForTheirLayout()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 3, 4, 5, 1f, new float[14], 5, new float[20], 4, 0f, new float[12], 4));
        Assert.Contains("gemm: A is stored as 3×5 with leading dimension 5, which needs 15 elements, but the span holds 14", ex.Message);
        ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 3, 4, 5, 1f, new float[15], 5, new float[20], 4, 0f, new float[12], 3));
        Assert.Contains("ldc = 3 is smaller than n = 4", ex.Message);
        ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, -1, 4, 5, 1f, new float[15], 5, new float[20], 4, 0f, new float[12], 4));
        Assert.Contains("sizes must be non-negative", ex.Message);
    }
}
