using Nabla.Backends.Cpu;

namespace Nabla.Tests.Backends;

/// <summary>RangeSplit covers [0, count) exactly once, in contiguous non-empty ranges, whatever the number of parts.</summary>
public class RangeSplitTests
{
    /// <summary>Counts the visits of every item and records the ranges it was handed.</summary>
    struct RecordingJob : IRangeJob
    {
        public int[] Hits;
        public System.Collections.Concurrent.ConcurrentBag<(int Lo, int Hi)> Ranges;

        public readonly void Run(int lo, int hi)
        {
            Ranges.Add((lo, hi));
            for (int i = lo; i < hi; i++) Interlocked.Increment(ref Hits[i]);
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 3)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(7, 2)]
    [InlineData(31, 4)]
    [InlineData(100, 7)]
    public void Every_item_is_visited_once_in_at_most_parts_ranges(int count, int parts)
    {
        var job = new RecordingJob { Hits = new int[count], Ranges = [] };
        RangeSplit.Run(count, parts, ref job);
        Assert.All(job.Hits, h => Assert.Equal(1, h));
        Assert.True(job.Ranges.Count <= Math.Max(1, parts));
        // Several parts never hand out an empty range; the one-part path hands out the whole (possibly empty) one.
        if (parts > 1) Assert.All(job.Ranges, r => Assert.True(r.Lo < r.Hi));
    }

    [Fact]
    public void Ranges_are_even_and_in_order()
    {
        Assert.Equal((0, 3), RangeSplit.Range(10, 3, 0));
        Assert.Equal((3, 6), RangeSplit.Range(10, 3, 1));
        Assert.Equal((6, 10), RangeSplit.Range(10, 3, 2));
    }
}
