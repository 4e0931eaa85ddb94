using System.Numerics;

namespace Nabla.Optim;

/// <summary>
/// RMSprop as torch.optim.RMSprop (1.13): v = α·v + (1 − α)·g²; the centered variant subtracts the squared
/// running mean of g; p −= lr · g / (√v + eps), or through a momentum buffer buf = μ·buf + g / (√v + eps).
/// </summary>
public sealed class RMSprop : Optimizer
{
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : this(OneGroup(parameters), lr, alpha, eps, weightDecay, momentum, centered, maximize) { }

    public RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : base("RMSprop", groups, new Dictionary<string, double>
        {
            ["lr"] = lr, ["alpha"] = alpha, ["eps"] = eps, ["weight_decay"] = weightDecay, ["momentum"] = momentum,
            ["centered"] = centered ? 1 : 0, ["maximize"] = maximize ? 1 : 0,
        })
    { }

    protected override void Validate(ParamGroup g, string where)
    {
        RequireNonNegative(g, "lr", "learning rate", where);
        RequireNonNegative(g, "eps", "epsilon value", where);
        RequireNonNegative(g, "momentum", "momentum value", where);
        RequireNonNegative(g, "weight_decay", "weight_decay value", where);
        RequireNonNegative(g, "alpha", "alpha value", where);
    }

    protected override void Update(ParamGroup group, Tensor param, Tensor grad, ParamState state)
    {
        var squareAvg = state.Buffer("square_avg", param);
        var buf = group.Momentum > 0 ? state.Buffer("momentum_buffer", param) : null;
        var gradAvg = group.Centered ? state.Buffer("grad_avg", param) : null;
        state.Step++;
        if (param.DType == DType.Float32) Run<float>(group, param, grad, squareAvg, gradAvg, buf);
        else Run<double>(group, param, grad, squareAvg, gradAvg, buf);
    }

    static void Run<T>(ParamGroup g, Tensor param, Tensor grad, Tensor squareAvg, Tensor? gradAvg, Tensor? buf)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rule = new Rule<T>
        {
            WeightDecay = FusedUpdate.Splat<T>(g.WeightDecay), HasWeightDecay = g.WeightDecay != 0,
            Alpha = FusedUpdate.Splat<T>(g.Alpha), OneMinusAlpha = FusedUpdate.Splat<T>(1 - g.Alpha),
            Eps = FusedUpdate.Splat<T>(g.Eps), Momentum = FusedUpdate.Splat<T>(g.Momentum), HasMomentum = g.Momentum > 0,
            NegLr = FusedUpdate.Splat<T>(-g.Lr), Centered = g.Centered, Maximize = g.Maximize,
        };
        FusedUpdate.Run(rule, param.Span<T>(), grad.Span<T>(), squareAvg.Span<T>(), FusedUpdate.SpanOf<T>(gradAvg), FusedUpdate.SpanOf<T>(buf));
    }

    struct Rule<T> : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector<T> WeightDecay, Alpha, OneMinusAlpha, Eps, Momentum, NegLr;
        public bool HasWeightDecay, HasMomentum, Centered, Maximize;

        public readonly void Apply(ref Vector<T> p, Vector<T> g, ref Vector<T> squareAvg, ref Vector<T> gradAvg, ref Vector<T> buf)
        {
            var d = Maximize ? -g : g;
            if (HasWeightDecay) d += WeightDecay * p;
            squareAvg = squareAvg * Alpha + OneMinusAlpha * d * d;
            Vector<T> avg;
            if (Centered)
            {
                gradAvg = gradAvg * Alpha + OneMinusAlpha * d;
                avg = Vector.SquareRoot(squareAvg - gradAvg * gradAvg);
            }
            else avg = Vector.SquareRoot(squareAvg);
            avg += Eps;
            if (HasMomentum)
            {
                buf = buf * Momentum + d / avg;
                p += NegLr * buf;
            }
            else p += NegLr * d / avg;
        }
    }
}
