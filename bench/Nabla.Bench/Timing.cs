using System.Diagnostics;

namespace Nabla.Bench;

/// <summary>
/// The peer script's timing rule (warm-up calls, then repeat until both a minimum time and count are reached),
/// with one addition: the warm-up also lasts at least <c>warmupSeconds</c>. PyTorch's kernels are compiled ahead
/// of time, so its 3 warm-up calls reach steady state; .NET compiles each method again, optimised, on a background
/// thread once it has run 30 times, and during the first second that thread competes with the kernels for the two
/// cores (1024³ products: 173-179 GFLOP/s in the first second of a process, 202-211 after; with tiered compilation
/// off, 191 in the first second). Half a second of warm-up lets it finish before the clock starts.
/// </summary>
internal static class Timing
{
    public static double SecondsPerCall(Action step, int warmup = 3, double minSeconds = 2.0, int minCalls = 5, double warmupSeconds = 0.5)
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
