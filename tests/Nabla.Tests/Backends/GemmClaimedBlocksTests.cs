using Nabla.Backends.Cpu;
using Nabla.Tests.Support;

namespace Nabla.Tests.Backends;

/// <summary>
/// Large row-split products whose row blocks the workers claim one at a time (GemmBlocked.Dynamic.cs): exact
/// against the naive loop on integer data, and bit-identical to one thread on real-valued data. The shapes have
/// at least four row blocks per worker, several k-slices (a block's slices must be added in order, whichever
/// worker claims them) and more than one column block (each worker starts at its own). The claimed path runs only with two or more cores.
/// </summary>
[Collection(GlobalThreadCountCollection.Name)]
public class GemmClaimedBlocksTests
{
    [Theory]
    [MemberData(nameof(GemmKernelTests.Paths), MemberType = typeof(GemmKernelTests))]
    public void Claimed_blocks_match_the_naive_loop(string name)
    {
        var path = Enum.Parse<GemmPath>(name);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                GemmKernelTests.CheckExact(path, ta, tb, 1600, 24, 100, 1f, 0f, 1);
        GemmKernelTests.CheckExact(path, false, false, 1600, 24, 100, 2.0, -1.0, 2);
        // Three k-slices, stored then added, with C's old values scaled by beta or dropped.
        GemmKernelTests.CheckExact(path, false, true, 600, 24, 2100, 1f, 0f, 3);
        GemmKernelTests.CheckExact(path, true, false, 600, 24, 2100, 1.0, 1.0, 4);
        // Two column blocks (n beyond NC = 512), the second one ragged.
        GemmKernelTests.CheckExact(path, false, false, 1100, 600, 20, 1f, 0f, 5);
        GemmKernelTests.CheckExact(path, true, true, 520, 520, 1030, 1.0, 1.0, 6);
    }

    [Fact]
    public void Claimed_blocks_sum_in_the_order_of_one_thread()
    {
        var rng = new System.Random(6);
        int saved = Gemm.MaxThreads;
        try
        {
            // The last shape has three column blocks and two k-slices: each worker starts at its own column block and
            // the two meet in a shared one.
            foreach (var (m, n, k) in new[] { (1600, 96, 300), (600, 70, 2100), (2048, 64, 1030), (1400, 1100, 1030) })
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
}
