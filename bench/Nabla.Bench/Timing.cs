using System.Diagnostics;

namespace Nabla.Bench;

/// <summary>The peer script's timing rule: a few warm-up calls, then repeat until both a minimum time and count are reached.</summary>
internal static class Timing
{
    public static double SecondsPerCall(Action step, int warmup = 3, double minSeconds = 2.0, int minCalls = 5)
    {
        for (int i = 0; i < warmup; i++) step();
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
