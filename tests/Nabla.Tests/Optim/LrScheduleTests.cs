using Nabla.Optim;
using Nabla.Optim.Schedules;
using Nabla.Tests.Support;

namespace Nabla.Tests.Optim;

/// <summary>
/// LR schedules against PyTorch 1.13: SGD (lr 0.02, momentum 0.9) trained 30 steps with the schedule stepped
/// after each optimizer step; every lr it sets is compared, then the final parameters.
/// </summary>
public class LrScheduleTests
{
    /// <summary>A schedule behind one face: Step (with the epoch's metric for the plateau schedule) and GetLastLr.</summary>
    public sealed record Sched(Action<double> Step, Func<double[]> LastLr, Func<SchedulerStateDict> Save, Action<SchedulerStateDict> Load);

    static Sched Wrap(LRScheduler s) => new(_ => s.Step(), s.GetLastLr, s.StateDict, s.LoadStateDict);
    static Sched Wrap(ReduceLROnPlateau s) => new(s.Step, s.GetLastLr, s.StateDict, s.LoadStateDict);

    public static readonly Dictionary<string, Func<Optimizer, Sched>> Twins = new()
    {
        ["step_lr"] = o => Wrap(new StepLR(o, stepSize: 3, gamma: 0.5)),
        ["step_lr_two_groups"] = o => Wrap(new StepLR(o, stepSize: 4)),
        ["multi_step_lr"] = o => Wrap(new MultiStepLR(o, milestones: [9, 2, 5, 5], gamma: 0.3)),
        ["exponential_lr"] = o => Wrap(new ExponentialLR(o, gamma: 0.9)),
        ["cosine_annealing_lr"] = o => Wrap(new CosineAnnealingLR(o, tMax: 7, etaMin: 0.001)),
        ["cosine_annealing_lr_default"] = o => Wrap(new CosineAnnealingLR(o, tMax: 10)),
        ["linear_lr_warmup"] = o => Wrap(new LinearLR(o, startFactor: 0.25, totalIters: 6)),
        ["linear_lr_default"] = o => Wrap(new LinearLR(o)),
        ["linear_lr_decay"] = o => Wrap(new LinearLR(o, startFactor: 1.0, endFactor: 0.1, totalIters: 10)),
        ["plateau_min"] = o => Wrap(new ReduceLROnPlateau(o, factor: 0.5, patience: 2, threshold: 1e-2, cooldown: 1, minLr: 0.004)),
        ["plateau_max_abs"] = o => Wrap(new ReduceLROnPlateau(o, PlateauMode.Max, factor: 0.3, patience: 1, threshold: 0.05,
            ThresholdMode.Abs, cooldown: 0, minLrs: [0.001, 0.0005])),
        ["plateau_cooldown"] = o => Wrap(new ReduceLROnPlateau(o, factor: 0.5, patience: 1, cooldown: 2, eps: 1e-4)),
        ["plateau_default"] = o => Wrap(new ReduceLROnPlateau(o)),
    };

    public static IEnumerable<object[]> Cases => OptimFixture.Schedules.Select(c => new object[] { c.Name });

    static ScheduleCase Case(string name) => OptimFixture.Schedules.Single(c => c.Name == name);

    static void AssertLrs(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Abs(expected[i]), $"{what}, group {i}: lr {expected[i]:R} expected, got {actual[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LrSequenceMatchesPyTorch(string name)
    {
        var c = Case(name);
        var problem = new OptimProblem(c.Init, c.Consts);
        var opt = new SGD(problem.Groups(c.Groups), lr: 0.02, momentum: 0.9);
        var sched = Twins[name](opt);
        AssertLrs(c.Lrs[0], opt.ParamGroups.Select(g => g.Lr).ToArray(), $"{name}: after construction");
        for (int t = 0; t < c.Lrs.Length - 1; t++)
        {
            problem.TrainStep(opt);
            sched.Step(c.Metrics?[t] ?? double.NaN);
            AssertLrs(c.Lrs[t + 1], sched.LastLr(), $"{name}: get_last_lr after step {t + 1}");
            AssertLrs(c.Lrs[t + 1], opt.ParamGroups.Select(g => g.Lr).ToArray(), $"{name}: group lr after step {t + 1}");
        }
        foreach (var (param, expected) in c.Final)
            TensorAssert.Close(expected, problem.P[param], rtol: 1e-5, atol: 1e-6, what: $"{name}: final {param}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResumesFromStateDictsExactly(string name)
    {
        var c = Case(name);
        var problem = new OptimProblem(c.Init, c.Consts);
        var opt = new SGD(problem.Groups(c.Groups), lr: 0.02, momentum: 0.9);
        var sched = Twins[name](opt);
        const int split = 12;
        for (int t = 0; t < split; t++) { problem.TrainStep(opt); sched.Step(c.Metrics?[t] ?? double.NaN); }
        var savedOpt = opt.StateDict();
        var savedSched = sched.Save();
        var resumed = problem.Fork();

        // As in PyTorch: build the optimizer and schedule afresh, then load both state dicts.
        var opt2 = new SGD(resumed.Groups(c.Groups), lr: 0.02, momentum: 0.9);
        var sched2 = Twins[name](opt2);
        opt2.LoadStateDict(savedOpt);
        sched2.Load(savedSched);
        for (int t = split; t < c.Lrs.Length - 1; t++)
        {
            problem.TrainStep(opt);
            sched.Step(c.Metrics?[t] ?? double.NaN);
            resumed.TrainStep(opt2);
            sched2.Step(c.Metrics?[t] ?? double.NaN);
            Assert.Equal(sched.LastLr(), sched2.LastLr());
        }
        foreach (var key in problem.P.Keys) TensorAssert.Equal(problem.P[key], resumed.P[key], $"{name}: {key}");
    }

    [Fact]
    public void EveryCaseHasATwin()
    {
        var names = OptimFixture.Schedules.Select(c => c.Name).ToHashSet();
        Assert.Empty(names.Except(Twins.Keys));
        Assert.Empty(Twins.Keys.Except(names));
    }

    [Fact]
    public void BaseLrsComeFromInitialLr()
    {
        var p = Tensor.Zeros(2).RequiresGrad_();
        var opt = new SGD([p], lr: 0.1);
        var s = new StepLR(opt, stepSize: 1, gamma: 0.5);
        Assert.Equal(0.1, opt.ParamGroups[0]["initial_lr"]);
        s.Step();
        Assert.Equal(0.05, opt.ParamGroups[0].Lr);
        Assert.Equal([0.1], s.BaseLrs);
    }

    [Fact]
    public void BadArgumentsNameTheSchedule()
    {
        var opt = new SGD([Tensor.Zeros(2).RequiresGrad_()], lr: 0.1);
        Assert.Contains("StepLR", Assert.Throws<ArgumentException>(() => new StepLR(opt, 0)).Message);
        Assert.Contains("CosineAnnealingLR", Assert.Throws<ArgumentException>(() => new CosineAnnealingLR(opt, 0)).Message);
        Assert.Contains("LinearLR: starting", Assert.Throws<ArgumentException>(() => new LinearLR(opt, startFactor: 0)).Message);
        Assert.Contains("LinearLR: ending", Assert.Throws<ArgumentException>(() => new LinearLR(opt, endFactor: 1.5)).Message);
        Assert.Contains("ReduceLROnPlateau: factor", Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(opt, factor: 1.0)).Message);
        Assert.Contains("expected 1 min_lrs", Assert.Throws<ArgumentException>(() =>
            new ReduceLROnPlateau(opt, PlateauMode.Min, 0.1, 10, 1e-4, ThresholdMode.Rel, 0, [0.1, 0.2])).Message);
        var step = new StepLR(opt, 2);
        var ex = Assert.Throws<ArgumentException>(() => step.LoadStateDict(new ExponentialLR(opt, 0.5).StateDict()));
        Assert.Equal("StepLR: cannot load a state dict saved by ExponentialLR.", ex.Message);
    }
}
