using System.Numerics;

namespace Nabla.Optim;

/// <summary>
/// Adagrad as torch.optim.Adagrad (1.13): sum += g², p −= clr · g / (√sum + eps) with the decayed rate
/// clr = lr / (1 + (step − 1) · lr_decay); the accumulator starts at initial_accumulator_value.
/// </summary>
public sealed class Adagrad : Optimizer
{
    public Adagrad(IEnumerable<Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : this(OneGroup(parameters), lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize) { }

    public Adagrad(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : base("Adagrad", groups, new Dictionary<string, double>
        {
            ["lr"] = lr, ["lr_decay"] = lrDecay, ["weight_decay"] = weightDecay,
            ["initial_accumulator_value"] = initialAccumulatorValue, ["eps"] = eps, ["maximize"] = maximize ? 1 : 0,
        })
    { }

    protected override void Validate(ParamGroup g, string where)
    {
        RequireNonNegative(g, "lr", "learning rate", where);
        RequireNonNegative(g, "lr_decay", "lr_decay value", where);
        RequireNonNegative(g, "weight_decay", "weight_decay value", where);
        RequireNonNegative(g, "initial_accumulator_value", "initial_accumulator_value", where);
        RequireNonNegative(g, "eps", "epsilon value", where);
    }

    protected override void Update(ParamGroup group, Tensor param, Tensor grad, ParamState state)
    {
        var sum = state.Buffer("sum", param, group.InitialAccumulatorValue);
        state.Step++;
        double clr = group.Lr / (1 + (state.Step - 1) * group.LrDecay);
        if (param.DType == DType.Float32) Run<float>(group, clr, param, grad, sum);
        else Run<double>(group, clr, param, grad, sum);
    }

    static void Run<T>(ParamGroup g, double clr, Tensor param, Tensor grad, Tensor sum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rule = new Rule<T>
        {
            WeightDecay = FusedUpdate.Splat<T>(g.WeightDecay), HasWeightDecay = g.WeightDecay != 0,
            Eps = FusedUpdate.Splat<T>(g.Eps), NegClr = FusedUpdate.Splat<T>(-clr), Maximize = g.Maximize,
        };
        FusedUpdate.Run(rule, param.Span<T>(), grad.Span<T>(), sum.Span<T>(), default, default);
    }

    struct Rule<T> : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector<T> WeightDecay, Eps, NegClr;
        public bool HasWeightDecay, Maximize;

        public readonly void Apply(ref Vector<T> p, Vector<T> g, ref Vector<T> sum, ref Vector<T> s1, ref Vector<T> s2)
        {
            var d = Maximize ? -g : g;
            if (HasWeightDecay) d += WeightDecay * p;
            sum += d * d;
            var std = Vector.SquareRoot(sum) + Eps;
            p += NegClr * d / std;
        }
    }
}
