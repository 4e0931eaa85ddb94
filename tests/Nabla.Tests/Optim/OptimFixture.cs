using System.Text.Json;
using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.Optim;

/// <summary>A parameter group as the fixture describes it: parameter names and the options it overrides.</summary>
public sealed record GroupSpec(string[] Params, Dictionary<string, double> Options);

public sealed record OptimizerCase(string Name, GroupSpec[] Groups, Dictionary<string, Tensor> Init, Dictionary<string, Tensor> Consts,
    Dictionary<string, Tensor>[] Trajectory);

public sealed record ScheduleCase(string Name, GroupSpec[] Groups, Dictionary<string, Tensor> Init, Dictionary<string, Tensor> Consts,
    double[][] Lrs, Dictionary<string, Tensor> Final, double[]? Metrics);

public sealed record ClipCase(string Name, Tensor[] Grads, Tensor[] Clipped, double? TotalNorm);

/// <summary>Reads tests/Nabla.Tests/Golden/optim.json (written by tools/golden/optim.py).</summary>
public static class OptimFixture
{
    static readonly Lazy<(OptimizerCase[] Opt, ScheduleCase[] Sched, ClipCase[] Clip)> Data = new(Load);

    public static IReadOnlyList<OptimizerCase> Optimizers => Data.Value.Opt;
    public static IReadOnlyList<ScheduleCase> Schedules => Data.Value.Sched;
    public static IReadOnlyList<ClipCase> Clipping => Data.Value.Clip;

    static (OptimizerCase[], ScheduleCase[], ClipCase[]) Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "optim.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var opt = root.GetProperty("optimizers").EnumerateArray().Select(e => new OptimizerCase(
            e.GetProperty("name").GetString()!, Groups(e), Tensors(e.GetProperty("init")), Tensors(e.GetProperty("consts")),
            e.GetProperty("trajectory").EnumerateArray().Select(Tensors).ToArray())).ToArray();
        var sched = root.GetProperty("schedules").EnumerateArray().Select(e => new ScheduleCase(
            e.GetProperty("name").GetString()!, Groups(e), Tensors(e.GetProperty("init")), Tensors(e.GetProperty("consts")),
            e.GetProperty("lrs").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray(),
            Tensors(e.GetProperty("final")),
            e.TryGetProperty("metrics", out var m) ? m.EnumerateArray().Select(x => x.GetDouble()).ToArray() : null)).ToArray();
        var clip = root.GetProperty("clipping").EnumerateArray().Select(e => new ClipCase(
            e.GetProperty("name").GetString()!,
            e.GetProperty("grads").EnumerateArray().Select(GoldenFixture.ReadTensor).ToArray(),
            e.GetProperty("clipped").EnumerateArray().Select(GoldenFixture.ReadTensor).ToArray(),
            e.GetProperty("total_norm").ValueKind == JsonValueKind.Null ? null : e.GetProperty("total_norm").GetDouble())).ToArray();
        return (opt, sched, clip);
    }

    static GroupSpec[] Groups(JsonElement e) => e.GetProperty("groups").EnumerateArray().Select(g => new GroupSpec(
        g.GetProperty("params").EnumerateArray().Select(x => x.GetString()!).ToArray(),
        g.GetProperty("options").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()))).ToArray();

    static Dictionary<string, Tensor> Tensors(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => GoldenFixture.ReadTensor(p.Value));
}

/// <summary>
/// The fixture's training problem in Nabla: loss = Σ(w·a − b)² + Σ exp(0.1·v)·c, with fresh leaf
/// parameters w, v, z (z gets no gradient) copied from the recorded initial values.
/// </summary>
public sealed class OptimProblem
{
    public readonly Dictionary<string, Tensor> P;
    readonly Dictionary<string, Tensor> _k;

    public OptimProblem(Dictionary<string, Tensor> init, Dictionary<string, Tensor> consts)
    {
        P = init.ToDictionary(kv => kv.Key, kv => kv.Value.Clone().RequiresGrad_());
        _k = consts;
    }

    public Tensor Loss()
    {
        var d = P["w"] * _k["a"] - _k["b"];
        return (d * d).Sum() + ((P["v"] * 0.1).Exp() * _k["c"]).Sum();
    }

    /// <summary>One training step: zero the grads, back-propagate the loss, step the optimizer.</summary>
    public void TrainStep(Optimizer opt)
    {
        opt.ZeroGrad();
        Loss().Backward();
        opt.Step();
    }

    public List<ParamGroup> Groups(GroupSpec[] specs) => specs.Select(s =>
    {
        var g = new ParamGroup(s.Params.Select(n => P[n]));
        foreach (var (k, v) in s.Options) g[k] = v;
        return g;
    }).ToList();

    /// <summary>Copies the current parameter values into a new problem (the resume tests).</summary>
    public OptimProblem Fork() => new(P.ToDictionary(kv => kv.Key, kv => kv.Value.Detach()), _k);
}
