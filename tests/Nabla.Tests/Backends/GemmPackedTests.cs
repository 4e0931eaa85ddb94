using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nabla.Backends.Cpu;
using Nabla.Tests.Support;

namespace Nabla.Tests.Backends;

/// <summary>
/// The pre-packed right-hand operand (<see cref="Gemm.PackB{T}(bool,int,int,ReadOnlySpan{T},int)"/>): against a
/// naive loop on integer data (exact), and bit for bit against the unpacked product on real data, for every
/// blocked kernel, both transposes, across tile and k-slice edges, reused for many products.
/// </summary>
[Collection(GlobalThreadCountCollection.Name)]
public class GemmPackedTests
{
    public static IEnumerable<object[]> Paths()
    {
        yield return [nameof(GemmPath.Auto)];
        yield return [nameof(GemmPath.Portable)];
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported) yield return [nameof(GemmPath.Avx2)];
        if (Vector512.IsHardwareAccelerated) yield return [nameof(GemmPath.Avx512)];
    }

    static T[] RandomInts<T>(System.Random rng, int length) where T : INumber<T>
    {
        var data = new T[length];
        for (int i = 0; i < length; i++) data[i] = T.CreateChecked(rng.Next(-4, 5));
        return data;
    }

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

    /// <summary>Packs op(B) once, then multiplies it by <paramref name="uses"/> different A matrices (padded leading dimensions).</summary>
    static void CheckExact<T>(GemmPath path, bool ta, bool tb, int m, int n, int k, T alpha, T beta, int seed, int uses = 2)
        where T : unmanaged, INumber<T>
    {
        var rng = new System.Random(seed);
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
        var b = RandomInts<T>(rng, Math.Max(1, tb ? n : k) * ldb);
        using var packed = Gemm.PackB<T>(path, tb, k, n, b, ldb);
        Assert.Equal((k, n), (packed.K, packed.N));
        for (int use = 0; use < uses; use++)
        {
            var a = RandomInts<T>(rng, Math.Max(1, ta ? k : m) * lda);
            var c = RandomInts<T>(rng, Math.Max(1, m) * ldc);
            var expected = (T[])c.Clone();
            Naive(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
            Gemm.Multiply(ta, m, alpha, a, lda, packed, beta, c, ldc);
            for (int i = 0; i < c.Length; i++)
                Assert.True(expected[i] == c[i],
                    $"packed {path} {typeof(T).Name} ta={ta} tb={tb} m={m} n={n} k={k} use {use}: C[{i / ldc}, {i % ldc}] expected {expected[i]}, got {c[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void SizesAcrossTileEdges_Float32(string path) => Sweep<float>(Enum.Parse<GemmPath>(path));

    [Theory]
    [MemberData(nameof(Paths))]
    public void SizesAcrossTileEdges_Float64(string path) => Sweep<double>(Enum.Parse<GemmPath>(path));

    static void Sweep<T>(GemmPath path) where T : unmanaged, INumber<T>
    {
        // m sweeps both the 12-row and the 8-row AVX-512 tiles (which one runs depends on m), n every panel edge.
        for (int s = 0; s <= 70; s++)
        {
            bool ta = (s & 1) != 0, tb = (s & 2) != 0;
            CheckExact(path, ta, tb, s, s, s, T.One, T.Zero, s);
            CheckExact(path, tb, ta, s, 33, 17, T.One, T.One, s + 100);
            CheckExact(path, !ta, tb, 13, s, 29, T.One, T.Zero, s + 200);
            CheckExact(path, ta, !tb, 32, 21, s, T.One, T.Zero, s + 300);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void AllTransposesWithAlphaBetaAcrossKSlicesAndThreads(string name)
    {
        var path = Enum.Parse<GemmPath>(name);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                CheckExact(path, ta, tb, 25, 35, 19, 2f, 0f, 1);
                CheckExact(path, ta, tb, 30, 17, 41, -1.0, 3.0, 3);
                // k over several KC slices, beta = 0 (the first slice stores) and beta ≠ 0.
                CheckExact(path, ta, tb, 29, 45, 2100, 1f, 0f, 4);
                CheckExact(path, ta, tb, 7, 20, 1530, 0.5, -1.0, 5);
                // The recurrent shapes, big enough to be split over threads: by columns (n > m) and by rows.
                CheckExact(path, ta, tb, 32, 1024, 64, 1f, 1f, 6, uses: 1);
                CheckExact(path, ta, tb, 300, 70, 60, 1.0, 0.0, 7, uses: 1);
            }
    }

    [Fact]
    public void MatchesTheUnpackedProductBitForBit()
    {
        // Real-valued data, so the summation order shows: packing B beforehand must not change a single bit,
        // for the step products of an LSTM (h·W_hhᵀ and dG·W_hh) with 1 and 2 threads.
        var rng = new System.Random(9);
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Gemm.MaxThreads = threads;
                foreach (var (m, n, k, tb) in new[] { (32, 1024, 256, true), (32, 256, 1024, false), (5, 96, 300, true), (1, 40, 33, false) })
                {
                    var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
                    var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
                    int ldb = tb ? k : n;
                    var expected = new float[m * n];
                    Gemm.Multiply(false, tb, m, n, k, 1f, a, k, b, ldb, 0f, expected, n);
                    using var packed = Gemm.PackB<float>(tb, k, n, b, ldb);
                    var c = new float[m * n];
                    Gemm.Multiply(false, m, 1f, a, k, packed, 0f, c, n);
                    if (m == 1) continue;   // the unpacked m = 1 product is a dot-product kernel with its own order
                    Assert.True(expected.AsSpan().SequenceEqual(c), $"{m}×{n}×{k} tb={tb} threads={threads}: packed differs from unpacked");
                }
            }
        }
        finally { Gemm.MaxThreads = saved; }
    }

    [Fact]
    public void RejectsBadOperandsAndUseAfterDispose()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.PackB<float>(false, 5, 4, new float[19], 4));
        Assert.Contains("gemm: B is stored as 5×4 with leading dimension 4, which needs 20 elements, but the span holds 19", ex.Message);
        Assert.Throws<NotSupportedException>(() => Gemm.PackB<long>(false, 2, 2, new long[4], 2));
        ex = Assert.Throws<ArgumentException>(() => Gemm.PackB<float>(GemmPath.Gemv, false, 2, 2, new float[4], 2));
        Assert.Contains("only the blocked kernels take a packed operand, not Gemv", ex.Message);

        var packed = Gemm.PackB<float>(false, 5, 4, new float[20], 4);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, 3, 1f, new float[14], 5, packed, 0f, new float[12], 4));
        Assert.Contains("gemm: A is stored as 3×5 with leading dimension 5, which needs 15 elements, but the span holds 14", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, 3, 1f, new float[15], 5, packed, 0f, new float[12], 3));
        Assert.Contains("ldc = 3 is smaller than n = 4", ex.Message);
        packed.Dispose();
        packed.Dispose();   // idempotent
        var gone = Assert.Throws<ObjectDisposedException>(() => Gemm.Multiply(false, 3, 1f, new float[15], 5, packed, 0f, new float[12], 4));
        Assert.Contains("already released", gone.Message);
    }
}
