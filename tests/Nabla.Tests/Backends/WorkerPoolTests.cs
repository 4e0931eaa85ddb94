using Nabla.Backends.Cpu;
using Nabla.Tests.Support;

namespace Nabla.Tests.Backends;

[Collection(GlobalThreadCountCollection.Name)]
public class WorkerPoolTests
{
    /// <summary>Counts how often each part ran, and on how many distinct threads.</summary>
    struct CountingJob : IPartJob
    {
        public int[] Hits;
        public int[] ThreadIds;

        public readonly void Run(int part)
        {
            Interlocked.Increment(ref Hits[part]);
            ThreadIds[part] = Environment.CurrentManagedThreadId;
            // Long enough that a second thread gets a chance to claim parts.
            Thread.SpinWait(2000);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    public void Every_part_runs_exactly_once(int parts)
    {
        for (int round = 0; round < 200; round++)
        {
            var job = new CountingJob { Hits = new int[parts], ThreadIds = new int[parts] };
            WorkerPool.Run(parts, ref job);
            Assert.All(job.Hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void More_parts_than_cores_use_no_more_threads_than_cores()
    {
        var job = new CountingJob { Hits = new int[64], ThreadIds = new int[64] };
        WorkerPool.Run(64, ref job);
        Assert.All(job.Hits, h => Assert.Equal(1, h));
        Assert.True(job.ThreadIds.Distinct().Count() <= Environment.ProcessorCount);
    }

    [Fact]
    public void Zero_parts_does_nothing()
    {
        var job = new CountingJob { Hits = [], ThreadIds = [] };
        WorkerPool.Run(0, ref job);
    }

    struct ThrowingJob : IPartJob
    {
        public int[] Hits;

        public readonly void Run(int part)
        {
            Interlocked.Increment(ref Hits[part]);
            if (part == 1) throw new InvalidOperationException("part 1 failed");
        }
    }

    [Fact]
    public void An_exception_in_a_part_reaches_the_caller_after_every_part_ran()
    {
        var job = new ThrowingJob { Hits = new int[4] };
        var error = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(4, ref job));
        Assert.Equal("part 1 failed", error.Message);
        Assert.All(job.Hits, h => Assert.Equal(1, h));

        // The pool is usable afterwards.
        var next = new CountingJob { Hits = new int[4], ThreadIds = new int[4] };
        WorkerPool.Run(4, ref next);
        Assert.All(next.Hits, h => Assert.Equal(1, h));
    }

    struct NestingJob : IPartJob
    {
        public int[] Outer;
        public int[][] Inner;
        public bool[] InsideWorker;

        public readonly void Run(int part)
        {
            InsideWorker[part] = Gemm.InsideWorker;
            var inner = new CountingJob { Hits = Inner[part], ThreadIds = new int[Inner[part].Length] };
            WorkerPool.Run(inner.Hits.Length, ref inner);
            // A nested call runs inline: every inner part on the thread of the outer part.
            Assert.All(inner.ThreadIds, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
            Interlocked.Increment(ref Outer[part]);
        }
    }

    [Fact]
    public void A_call_from_inside_a_part_runs_inline_and_marks_the_thread_as_a_worker()
    {
        var job = new NestingJob
        {
            Outer = new int[3],
            Inner = [new int[5], new int[5], new int[5]],
            InsideWorker = new bool[3],
        };
        WorkerPool.Run(3, ref job);
        Assert.All(job.Outer, h => Assert.Equal(1, h));
        Assert.All(job.Inner, hits => Assert.All(hits, h => Assert.Equal(1, h)));
        Assert.All(job.InsideWorker, Assert.True);
        Assert.False(Gemm.InsideWorker);
    }

    [Fact]
    public void An_exception_in_an_inline_run_also_waits_for_every_part()
    {
        // A call made from inside a part runs inline (as does one made while another thread's job runs).
        var job = new ThrowingJob { Hits = new int[4] };
        bool outer = Gemm.InsideWorker;
        Gemm.InsideWorker = true;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(4, ref job));
            Assert.Equal("part 1 failed", error.Message);
        }
        finally { Gemm.InsideWorker = outer; }
        Assert.All(job.Hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Calls_from_several_threads_at_once_all_complete()
    {
        var failures = 0;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (int round = 0; round < 300; round++)
            {
                var job = new CountingJob { Hits = new int[5], ThreadIds = new int[5] };
                WorkerPool.Run(5, ref job);
                if (job.Hits.Any(h => h != 1)) Interlocked.Increment(ref failures);
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Equal(0, failures);
    }

    /// <summary>
    /// A threaded product allocates nothing on the calling thread once warm: the job is a struct on the stack and
    /// the packing buffers are the thread's own (the "no per-call allocation").
    /// </summary>
    [Fact]
    public void A_threaded_product_allocates_nothing_once_warm()
    {
        const int n = 256;
        var a = new float[n * n]; var b = new float[n * n]; var c = new float[n * n];
        for (int i = 0; i < a.Length; i++) { a[i] = i % 7; b[i] = i % 5; }
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = 2;
        try
        {
            for (int i = 0; i < 3; i++) Gemm.Multiply(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) Gemm.Multiply(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally { Gemm.MaxThreads = saved; }
    }
}
