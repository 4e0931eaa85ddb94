namespace Nabla.Backends.Cpu;

/// <summary>A kernel over a range [lo, hi) of independent items (planes, channels, images, batch rows).</summary>
internal interface IRangeJob
{
    void Run(int lo, int hi);
}

/// <summary>
/// Runs a range kernel over [0, count) as contiguous, even ranges, one per <see cref="WorkerPool"/> part. The job is
/// a struct holding raw addresses or references, copied into the split's own struct on the caller's stack: unlike a
/// lambda, whose captured locals are a heap closure allocated on entry to the method that declares them (on the
/// one-thread path as well), nothing here allocates.
/// </summary>
internal static class RangeSplit
{
    /// <summary>Runs <c>job.Run(lo, hi)</c> over <paramref name="parts"/> ranges of [0, <paramref name="count"/>); one part runs the whole range on this thread.</summary>
    public static void Run<TJob>(int count, int parts, ref TJob job) where TJob : struct, IRangeJob
    {
        if (parts <= 1)
        {
            job.Run(0, count);
            return;
        }
        var split = new Split<TJob> { Job = job, Count = count, Parts = parts };
        WorkerPool.Run(parts, ref split);
    }

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> even ranges over <paramref name="count"/> items.</summary>
    public static (int Lo, int Hi) Range(int count, int parts, int part) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));

    struct Split<TJob> : IPartJob where TJob : struct, IRangeJob
    {
        public TJob Job;
        public int Count, Parts;

        public void Run(int part)
        {
            var (lo, hi) = Range(Count, Parts, part);
            if (lo < hi) Job.Run(lo, hi);
        }
    }
}
