using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Nabla.Backends.Cpu;

/// <summary>One piece of a split kernel: <see cref="Run"/> is called once for every part index.</summary>
internal interface IPartJob
{
    void Run(int part);
}

/// <summary>
/// The kernels' fork/join: a few persistent background threads that run the parts of one job beside the
/// calling thread, which runs parts too. Why not <c>Parallel.For</c>: it allocates per call and wakes pool
/// threads that have gone to sleep, which costs tens of microseconds: a large share of a 256³ product
/// (about 0.2 ms on this class of machine). Here a job is a struct on the caller's stack (no allocation), and
/// an idle worker spins for a short while before it blocks, so back-to-back kernels of a training step find
/// it awake.
/// <para>
/// A call made from inside a part (a product inside a convolution worker), or while another thread's job is
/// running, runs its parts one after another on the calling thread: jobs never nest and never wait on each
/// other. <see cref="Gemm.InsideWorker"/> is set while a part runs, so products it makes stay on its thread.
/// The first exception thrown by a part is rethrown on the calling thread after every part has finished.
/// </para>
/// </summary>
internal static unsafe class WorkerPool
{
    /// <summary>How long an idle worker keeps spinning for the next job before it blocks.</summary>
    static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs

    static readonly object Gate = new();
    static readonly SemaphoreSlim Wake = new(0);
    static Thread[] _workers = [];

    // The job being run, written by the caller under Gate before it publishes a new ticket.
    static delegate*<void*, int, void> _invoke;
    static void* _job;
    static int _parts;
    static int _finished;
    static int _sleepers;
    // Job generation (high 32 bits) and next unclaimed part (low 32). A part is claimed by a compare-exchange
    // on the whole ticket, so a worker that wakes late can never claim a part of a newer job with an older
    // job's generation, and the caller cannot move to the next job while a claimed part is still running.
    static long _ticket;
    static Exception? _failure;

    /// <summary>Runs <c>job.Run(p)</c> for p in [0, parts), spread over at most <paramref name="parts"/> threads; returns when all are done.</summary>
    public static void Run<TJob>(int parts, ref TJob job) where TJob : struct, IPartJob
    {
        if (parts <= 0) return;
        if (parts == 1 || Gemm.InsideWorker || !Monitor.TryEnter(Gate))
        {
            RunInline(parts, ref job);
            return;
        }
        try
        {
            // Parts are claimed dynamically, so a job may have more parts than there are cores: one thread per core.
            EnsureWorkers(Math.Min(parts, Environment.ProcessorCount) - 1);
            _invoke = &Invoke<TJob>;
            _job = Unsafe.AsPointer(ref job);
            _parts = parts;
            _finished = 0;
            _failure = null;
            int generation = (int)(Volatile.Read(ref _ticket) >> 32) + 1;
            Interlocked.Exchange(ref _ticket, (long)generation << 32);
            int sleepers = Volatile.Read(ref _sleepers);
            if (sleepers > 0) Wake.Release(Math.Min(sleepers, parts - 1));
            RunParts(generation);
            var spin = new SpinWait();
            while (Volatile.Read(ref _finished) < parts) spin.SpinOnce(sleep1Threshold: -1);
            _job = null;
            if (_failure is { } failure)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    static void RunInline<TJob>(int parts, ref TJob job) where TJob : struct, IPartJob
    {
        bool outer = Gemm.InsideWorker;
        Gemm.InsideWorker = true;
        Exception? failure = null;
        try
        {
            // As on the workers: every part runs even after one throws, and the first exception is rethrown at the end.
            for (int p = 0; p < parts; p++)
            {
                try { job.Run(p); }
                catch (Exception e) { failure ??= e; }
            }
        }
        finally { Gemm.InsideWorker = outer; }
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    static void Invoke<TJob>(void* job, int part) where TJob : struct, IPartJob => Unsafe.AsRef<TJob>(job).Run(part);

    /// <summary>Claims parts of the current job until none are left (caller and workers alike).</summary>
    static void RunParts(int generation)
    {
        bool outer = Gemm.InsideWorker;
        Gemm.InsideWorker = true;
        try
        {
            while (true)
            {
                long ticket = Volatile.Read(ref _ticket);
                if ((int)(ticket >> 32) != generation) return;
                int part = (int)ticket;
                if (part >= Volatile.Read(ref _parts)) return;
                if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket) continue;
                try { _invoke(_job, part); }
                catch (Exception e) { Interlocked.CompareExchange(ref _failure, e, null); }
                finally { Interlocked.Increment(ref _finished); }
            }
        }
        finally { Gemm.InsideWorker = outer; }
    }

    static int Generation() => (int)(Volatile.Read(ref _ticket) >> 32);

    static void EnsureWorkers(int wanted)
    {
        if (_workers.Length >= wanted) return;
        var grown = new Thread[wanted];
        Array.Copy(_workers, grown, _workers.Length);
        // The generation before the job about to be published. A new worker that read it only after the job was
        // published would take that job for an old one and leave all its parts to the caller.
        int seen = Generation();
        for (int i = _workers.Length; i < wanted; i++)
        {
            // Passed as the thread's start argument: a lambda capturing it would allocate its closure on every call.
            grown[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"Nabla worker {i + 1}" };
            grown[i].Start(seen);
        }
        _workers = grown;
    }

    static void WorkerLoop(object? generation)
    {
        int seen = (int)generation!;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            var spin = new SpinWait();
            while (Generation() == seen)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks) { spin.SpinOnce(sleep1Threshold: -1); continue; }
                Interlocked.Increment(ref _sleepers);
                // Re-check after announcing: a job posted between the check and the increment saw no sleeper
                // and released nothing. (An extra release only costs one spurious wake-up.)
                if (Generation() == seen) Wake.Wait();
                Interlocked.Decrement(ref _sleepers);
                start = Stopwatch.GetTimestamp();
            }
            seen = Generation();
            RunParts(seen);
        }
    }
}
