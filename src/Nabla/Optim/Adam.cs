using System.Numerics;

namespace Nabla.Optim;

/// <summary>
/// Adam as torch.optim.Adam (1.13): m = β₁·m + (1 − β₁)·g, v = β₂·v + (1 − β₂)·g², and with the bias
/// corrections m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ) the step p −= lr·m̂ / (√v̂ + eps), evaluated in
/// PyTorch's order: p −= (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps). Weight decay is added to the
/// gradient (L2); see <see cref="AdamW"/> for the decoupled form. AMSGrad normalizes by the running max of v.
/// </summary>
public sealed class Adam : Optimizer
{
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay, amsgrad, maximize) { }

    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : base("Adam", groups, AdamCore.Defaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize))
    { }

    protected override void Validate(ParamGroup g, string where) => AdamCore.Validate(this, g, where);

    protected override void Update(ParamGroup group, Tensor param, Tensor grad, ParamState state) =>
        AdamCore.Update(group, param, grad, state, decoupled: false);
}

/// <summary>What Adam and AdamW share: defaults, validation and the fused update (they differ only in how weight decay enters).</summary>
internal static class AdamCore
{
    public static Dictionary<string, double> Defaults(double lr, (double, double) betas, double eps, double weightDecay, bool amsgrad, bool maximize) => new()
    {
        ["lr"] = lr, ["beta1"] = betas.Item1, ["beta2"] = betas.Item2, ["eps"] = eps, ["weight_decay"] = weightDecay,
        ["amsgrad"] = amsgrad ? 1 : 0, ["maximize"] = maximize ? 1 : 0,
    };

    public static void Validate(Optimizer opt, ParamGroup g, string where)
    {
        opt.RequireNonNegative(g, "lr", "learning rate", where);
        opt.RequireNonNegative(g, "eps", "epsilon value", where);
        opt.RequireInRange(g, "beta1", "beta parameter at index 0", where, 0, 1, highInclusive: false);
        opt.RequireInRange(g, "beta2", "beta parameter at index 1", where, 0, 1, highInclusive: false);
        opt.RequireNonNegative(g, "weight_decay", "weight_decay value", where);
    }

    public static void Update(ParamGroup group, Tensor param, Tensor grad, ParamState state, bool decoupled)
    {
        var expAvg = state.Buffer("exp_avg", param);
        var expAvgSq = state.Buffer("exp_avg_sq", param);
        var maxExpAvgSq = group.Amsgrad ? state.Buffer("max_exp_avg_sq", param) : null;
        state.Step++;
        if (param.DType == DType.Float32) Run<float>(group, state.Step, decoupled, param, grad, expAvg, expAvgSq, maxExpAvgSq);
        else Run<double>(group, state.Step, decoupled, param, grad, expAvg, expAvgSq, maxExpAvgSq);
    }

    static void Run<T>(ParamGroup g, long step, bool decoupled, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (beta1, beta2) = g.Betas;
        // The scalar factors are computed in double, as PyTorch computes them in Python, then rounded once.
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        var rule = new Rule<T>
        {
            WeightDecay = FusedUpdate.Splat<T>(g.WeightDecay), HasWeightDecay = g.WeightDecay != 0,
            Decoupled = decoupled, DecayFactor = FusedUpdate.Splat<T>(1 - g.Lr * g.WeightDecay),
            Beta1 = FusedUpdate.Splat<T>(beta1), OneMinusBeta1 = FusedUpdate.Splat<T>(1 - beta1),
            Beta2 = FusedUpdate.Splat<T>(beta2), OneMinusBeta2 = FusedUpdate.Splat<T>(1 - beta2),
            BiasCorrection2Sqrt = FusedUpdate.Splat<T>(Math.Sqrt(biasCorrection2)), Eps = FusedUpdate.Splat<T>(g.Eps),
            NegStepSize = FusedUpdate.Splat<T>(-(g.Lr / biasCorrection1)), Amsgrad = maxExpAvgSq is not null, Maximize = g.Maximize,
        };
        FusedUpdate.Run(rule, param.Span<T>(), grad.Span<T>(), expAvg.Span<T>(), expAvgSq.Span<T>(), FusedUpdate.SpanOf<T>(maxExpAvgSq));
    }

    struct Rule<T> : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector<T> WeightDecay, DecayFactor, Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, BiasCorrection2Sqrt, Eps, NegStepSize;
        public bool HasWeightDecay, Decoupled, Amsgrad, Maximize;

        public readonly void Apply(ref Vector<T> p, Vector<T> g, ref Vector<T> m, ref Vector<T> v, ref Vector<T> vMax)
        {
            var d = Maximize ? -g : g;
            if (Decoupled) p *= DecayFactor;
            else if (HasWeightDecay) d += WeightDecay * p;
            m = m * Beta1 + OneMinusBeta1 * d;
            v = v * Beta2 + OneMinusBeta2 * d * d;
            if (Amsgrad) vMax = Vector.Max(vMax, v);
            var denom = Vector.SquareRoot(Amsgrad ? vMax : v) / BiasCorrection2Sqrt + Eps;
            p += NegStepSize * m / denom;
        }
    }
}
