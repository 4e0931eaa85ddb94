namespace Nabla.Bench;

/// <summary>
/// What the garbage collector does during training: for each training workload, collections of each generation per
/// 100 steps, megabytes allocated per step and collection pause per step, after 3 warm-up steps
/// (the "GC counts per 100 steps"). Run with --gc.
/// </summary>
internal static class GcReport
{
    public const int Steps = 100;

    public static Dictionary<string, object> Measure(string key, Func<Action> makeStep)
    {
        var step = makeStep();
        for (int i = 0; i < 3; i++) step();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var pause = GC.GetTotalPauseDuration();
        for (int i = 0; i < Steps; i++) step();
        return new Dictionary<string, object>
        {
            ["workload"] = key,
            ["gen0_per_100_steps"] = GC.CollectionCount(0) - gen0,
            ["gen1_per_100_steps"] = GC.CollectionCount(1) - gen1,
            ["gen2_per_100_steps"] = GC.CollectionCount(2) - gen2,
            ["allocated_mb_per_step"] = Math.Round((GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024.0) / Steps, 2),
            ["gc_pause_ms_per_step"] = Math.Round((GC.GetTotalPauseDuration() - pause).TotalMilliseconds / Steps, 3),
        };
    }
}
