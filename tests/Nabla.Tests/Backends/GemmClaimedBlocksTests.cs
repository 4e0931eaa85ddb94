using System.Numerics;
using Nabla.Backends.Cpu;

namespace Nabla.Tests.Backends;

/// <summary>
/// Large row-split products whose row blocks the workers claim one at a time (GemmBlocked.Dynamic.cs): exact
/// against the naive loop on integer data, and bit-identical to one thread on real-valued data. The shapes have
/// at least four row blocks per worker, several k-slices (a block's slices must be added in order, whichever
/// worker claims them) and more than one column block. The claimed path runs only with two or more cores.
/// </summary>
public class GemmClaimedBlocksTests
{
    [Theory]
    [MemberData(nameof(GemmKernelTests.Paths), MemberType = typeof(GemmKernelTests))]
    public void Claimed_blocks_match_the_naive_loop(string name)
    {
        var path = Enum.Parse<GemmPath>(name);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                CheckExact(path, ta, tb, 1600, 24, 100, 1f, 0f, 1);
        CheckExact(path, false, false, 1600, 24, 100, 2.0, -1.0, 2);
        // Three k-slices, stored then added, with C's old values scaled by beta or dropped.
        CheckExact(path, false, true, 600, 24, 2100, 1f, 0f, 3);
        CheckExact(path, true, false, 600, 24, 2100, 1.0, 1.0, 4);
        // Two column blocks (n beyond NC = 512), the second one ragged.
        CheckExact(path, false, false, 1100, 600, 20, 1f, 0f, 5);
        CheckExact(path, true, true, 520, 520, 1030, 1.0, 1.0, 6);
    }

    [Fact]
    public void Claimed_blocks_sum_in_the_order_of_one_thread()
    {
        var rng = new System.Random(6);
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (var (m, n, k) in new[] { (1600, 96, 300), (600, 70, 2100), (2048, 64, 1030) })
            {
                var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
                var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
                var c0 = Enumerable.Range(0, m * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
                foreach (float beta in new[] { 0f, 0.5f })
                {
                    var one = (float[])c0.Clone();
                    var two = (float[])c0.Clone();
                    Gemm.MaxThreads = 1;
                    Gemm.Multiply(false, false, m, n, k, 1.5f, a, k, b, n, beta, one, n);
                    Gemm.MaxThreads = 2;
                    Gemm.Multiply(false, false, m, n, k, 1.5f, a, k, b, n, beta, two, n);
                    Assert.True(one.AsSpan().SequenceEqual(two), $"{m}×{n}×{k} beta={beta}: two threads differ from one");
                }
            }
        }
        finally { Gemm.MaxThreads = saved; }
    }

    static void CheckExact<T>(GemmPath path, bool ta, bool tb, int m, int n, int k, T alpha, T beta, int seed)
        where T : unmanaged, INumber<T>
    {
        var rng = new System.Random(seed);
        int lda = ta ? m : k, ldb = tb ? k : n;
        var a = RandomInts<T>(rng, m * k);
        var b = RandomInts<T>(rng, k * n);
        var c = RandomInts<T>(rng, m * n);
        var expected = (T[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                    sum += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                expected[i * n + j] = beta == T.Zero ? alpha * sum : alpha * sum + beta * expected[i * n + j];
            }
        Gemm.Multiply(path, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, n);
        for (int i = 0; i < c.Length; i++)
            Assert.True(expected[i] == c[i],
                $"{path} {typeof(T).Name} ta={ta} tb={tb} {m}×{n}×{k}: C[{i / n}, {i % n}] expected {expected[i]}, got {c[i]}");
    }

    static T[] RandomInts<T>(System.Random rng, int length) where T : INumber<T>
    {
        var data = new T[length];
        for (int i = 0; i < length; i++) data[i] = T.CreateChecked(rng.Next(-3, 4));
        return data;
    }
}
