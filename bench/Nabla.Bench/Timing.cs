using System.Diagnostics;

namespace Nabla.Bench;

/// <summary>
/// The peer script's timing rule (warm-up calls, then repeat until both a minimum time and count are reached),
/// with one addition: the warm-up also lasts at least <c>warmupSeconds</c>, so both sides are timed in their steady
/// state. PyTorch's kernels are compiled ahead of time and its allocator reuses freed blocks after one call, so its 3
/// warm-up calls suffice (a 0.5 s warm-up changed none of its GEMM figures). A .NET process is not there yet after 3
/// calls: each method is compiled again, optimised, on a background thread once it has run 30 times, and that thread
/// competes with the kernels for the two cores; and the GC heap is still growing, so new outputs land on freshly
/// committed pages (2048² products: 3,433 page faults per call in the first second, none from the fourth). Measured
/// on 1024³ products: 173-179 GFLOP/s in a process's first second, 202-211 after.
/// </summary>
internal static class Timing
{
    public static double SecondsPerCall(Action step, int warmup = 3, double minSeconds = 2.0, int minCalls = 5, double warmupSeconds = 1.0)
    {
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < warmup || warm.Elapsed.TotalSeconds < warmupSeconds; i++) step();
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (true)
        {
            step();
            calls++;
            double elapsed = clock.Elapsed.TotalSeconds;
            if (elapsed > minSeconds && calls >= minCalls) return elapsed / calls;
        }
    }
}
