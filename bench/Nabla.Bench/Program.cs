using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla;
using Nabla.Bench;

// Prints one JSON object with the standard workloads of shared/BENCHMARKS.md plus peak_rss_mb.
// With --gc it prints instead, for each training workload, what the collector did over 100 steps (GcReport).
// Usage: Nabla.Bench [--threads N] [--only KEY] [--gc]
int threads = 2;
string? only = null;
bool gcReport = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out var t) && t > 0:
            threads = t; i++; break;
        case "--only" when i + 1 < args.Length:
            only = args[++i]; break;
        case "--gc":
            gcReport = true; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Usage: Nabla.Bench [--threads N] [--only KEY] [--gc]");
            return 2;
    }
}

var selected = Workloads.All.Where(w => only is null || w.Key == only).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"No workload named '{only}'. Known: {string.Join(", ", Workloads.All.Select(w => w.Key))}");
    return 2;
}

Threading.NumThreads = threads;
Nabla.Random.Seed(0);
if (gcReport)
{
    var reports = Workloads.Training.Where(t => only is null || t.Key == only).Select(t => GcReport.Measure(t.Key, t.MakeStep)).ToList();
    Console.WriteLine(JsonSerializer.Serialize(reports));
    return 0;
}
var results = new Dictionary<string, double>();
foreach (var (key, run) in selected) results[key] = Math.Round(run(), 2);
results["peak_rss_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0), 1);
Console.WriteLine(JsonSerializer.Serialize(results));
return 0;
