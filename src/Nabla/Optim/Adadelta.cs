using System.Numerics;

namespace Nabla.Optim;

/// <summary>
/// Adadelta as torch.optim.Adadelta (1.13): v = ρ·v + (1 − ρ)·g²; Δ = √(u + eps) / √(v + eps) · g;
/// u = ρ·u + (1 − ρ)·Δ²; p −= lr · Δ (lr defaults to 1.0, the paper's rule).
/// </summary>
public sealed class Adadelta : Optimizer
{
    public Adadelta(IEnumerable<Tensor> parameters, double lr = 1.0, double rho = 0.9, double eps = 1e-6,
        double weightDecay = 0, bool maximize = false)
        : this(OneGroup(parameters), lr, rho, eps, weightDecay, maximize) { }

    public Adadelta(IEnumerable<ParamGroup> groups, double lr = 1.0, double rho = 0.9, double eps = 1e-6,
        double weightDecay = 0, bool maximize = false)
        : base("Adadelta", groups, new Dictionary<string, double>
        {
            ["lr"] = lr, ["rho"] = rho, ["eps"] = eps, ["weight_decay"] = weightDecay, ["maximize"] = maximize ? 1 : 0,
        })
    { }

    protected override void Validate(ParamGroup g, string where)
    {
        RequireNonNegative(g, "lr", "learning rate", where);
        RequireInRange(g, "rho", "rho value", where, 0, 1, highInclusive: true);
        RequireNonNegative(g, "eps", "epsilon value", where);
        RequireNonNegative(g, "weight_decay", "weight_decay value", where);
    }

    protected override void Update(ParamGroup group, Tensor param, Tensor grad, ParamState state)
    {
        var squareAvg = state.Buffer("square_avg", param);
        var accDelta = state.Buffer("acc_delta", param);
        state.Step++;
        if (param.DType == DType.Float32) Run<float>(group, param, grad, squareAvg, accDelta);
        else Run<double>(group, param, grad, squareAvg, accDelta);
    }

    static void Run<T>(ParamGroup g, Tensor param, Tensor grad, Tensor squareAvg, Tensor accDelta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rule = new Rule<T>
        {
            WeightDecay = FusedUpdate.Splat<T>(g.WeightDecay), HasWeightDecay = g.WeightDecay != 0,
            Rho = FusedUpdate.Splat<T>(g.Rho), OneMinusRho = FusedUpdate.Splat<T>(1 - g.Rho),
            Eps = FusedUpdate.Splat<T>(g.Eps), NegLr = FusedUpdate.Splat<T>(-g.Lr), Maximize = g.Maximize,
        };
        FusedUpdate.Run(rule, param.Span<T>(), grad.Span<T>(), squareAvg.Span<T>(), accDelta.Span<T>(), default);
    }

    struct Rule<T> : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector<T> WeightDecay, Rho, OneMinusRho, Eps, NegLr;
        public bool HasWeightDecay, Maximize;

        public readonly void Apply(ref Vector<T> p, Vector<T> g, ref Vector<T> squareAvg, ref Vector<T> accDelta, ref Vector<T> s2)
        {
            var d = Maximize ? -g : g;
            if (HasWeightDecay) d += WeightDecay * p;
            squareAvg = squareAvg * Rho + OneMinusRho * d * d;
            var std = Vector.SquareRoot(squareAvg + Eps);
            var delta = Vector.SquareRoot(accDelta + Eps) / std * d;
            accDelta = accDelta * Rho + OneMinusRho * delta * delta;
            p += NegLr * delta;
        }
    }
}
