using Nabla.Backends.Cpu;

namespace Nabla.Tests.Backends;

/// <summary>The per-thread free lists behind backward-pass recycling: exact lengths, last in first out, ageing by pass.</summary>
public class BufferPoolTests
{
    // Lengths no other test's tensors have, so buffers other tests left on this thread do not interfere.
    const int Length = 40_961;

    [Fact]
    public void A_returned_buffer_is_lent_again_for_its_exact_length_only()
    {
        var buffer = new float[Length];
        BufferPool<float>.Return(buffer);
        Assert.Null(BufferPool<float>.TryRent(Length + 1));
        Assert.Same(buffer, BufferPool<float>.TryRent(Length));
        Assert.Null(BufferPool<float>.TryRent(Length));
    }

    [Fact]
    public void The_buffer_handed_back_last_is_lent_first()
    {
        float[] first = new float[Length], second = new float[Length];
        BufferPool<float>.Return(first);
        BufferPool<float>.Return(second);
        Assert.Same(second, BufferPool<float>.TryRent(Length));
        Assert.Same(first, BufferPool<float>.TryRent(Length));
    }

    [Fact]
    public void Buffers_below_the_threshold_are_not_kept()
    {
        // The test assembly lowers the threshold for every other test; changing it here only makes other tests
        // running meanwhile recycle a little less, which is correct either way.
        int saved = BufferPool.MinBytes;
        BufferPool.MinBytes = BufferPool.DefaultMinBytes;
        try
        {
            int small = BufferPool.DefaultMinBytes / sizeof(double) - 1;
            BufferPool<double>.Return(new double[small]);
            Assert.Null(BufferPool<double>.TryRent(small));
            Assert.True(BufferPool<double>.Keeps(small + 1));
            Assert.False(BufferPool<double>.Keeps(0));
        }
        finally { BufferPool.MinBytes = saved; }
    }

    [Fact]
    public void A_buffer_no_pass_takes_is_dropped_at_the_end_of_the_next_pass()
    {
        var buffer = new long[Length];
        BufferPool<long>.Return(buffer);
        BufferPool<long>.EndPass();                  // handed back during this pass: kept
        BufferPool<long>.EndPass();                  // a whole pass went by without it: dropped
        Assert.Null(BufferPool<long>.TryRent(Length));
    }

    [Fact]
    public void A_buffer_each_pass_takes_and_hands_back_stays()
    {
        var buffer = new long[Length];
        BufferPool<long>.Return(buffer);
        for (int pass = 0; pass < 3; pass++)
        {
            BufferPool<long>.EndPass();
            var lent = BufferPool<long>.TryRent(Length);
            Assert.Same(buffer, lent);
            BufferPool<long>.Return(lent!);
        }
        Assert.Same(buffer, BufferPool<long>.TryRent(Length));
    }

    [Fact]
    public void Pools_are_per_thread()
    {
        var buffer = new float[Length + 2];
        BufferPool<float>.Return(buffer);
        float[]? seenElsewhere = null;
        var thread = new Thread(() => seenElsewhere = BufferPool<float>.TryRent(Length + 2));
        thread.Start();
        thread.Join();
        Assert.Null(seenElsewhere);
        Assert.Same(buffer, BufferPool<float>.TryRent(Length + 2));
    }
}
