using System.Numerics;

namespace Nabla.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay and
/// maximization, exactly as torch.optim.SGD (1.13): with momentum the buffer starts as the first
/// gradient, then buf = momentum·buf + (1 − dampening)·g; Nesterov uses g + momentum·buf.
/// </summary>
public sealed class SGD : Optimizer
{
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this(OneGroup(parameters), lr, momentum, dampening, weightDecay, nesterov, maximize) { }

    public SGD(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base("SGD", groups, new Dictionary<string, double>
        {
            ["lr"] = lr, ["momentum"] = momentum, ["dampening"] = dampening, ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov ? 1 : 0, ["maximize"] = maximize ? 1 : 0,
        })
    { }

    protected override void Validate(ParamGroup g, string where)
    {
        RequireNonNegative(g, "lr", "learning rate", where);
        RequireNonNegative(g, "momentum", "momentum value", where);
        RequireNonNegative(g, "weight_decay", "weight_decay value", where);
        if (g.Nesterov && (g.Momentum <= 0 || g.Dampening != 0))
            throw new ArgumentException($"{Name}: {where}Nesterov momentum requires a momentum and zero dampening (momentum {g.Momentum}, dampening {g.Dampening}).");
    }

    protected override void Update(ParamGroup group, Tensor param, Tensor grad, ParamState state)
    {
        // PyTorch keeps no momentum buffer until the first step with momentum; its absence marks that step.
        bool first = false;
        Tensor? buf = null;
        if (group.Momentum != 0)
        {
            first = !state.Buffers.TryGetValue("momentum_buffer", out buf);
            buf ??= state.Buffer("momentum_buffer", param);
        }
        if (param.DType == DType.Float32) Run<float>(group, param, grad, buf, first);
        else Run<double>(group, param, grad, buf, first);
    }

    static void Run<T>(ParamGroup g, Tensor param, Tensor grad, Tensor? buf, bool first) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rule = new Rule<T>
        {
            WeightDecay = FusedUpdate.Splat<T>(g.WeightDecay), HasWeightDecay = g.WeightDecay != 0,
            Momentum = FusedUpdate.Splat<T>(g.Momentum), HasMomentum = g.Momentum != 0,
            OneMinusDampening = FusedUpdate.Splat<T>(1 - g.Dampening), First = first,
            Nesterov = g.Nesterov, Maximize = g.Maximize, NegLr = FusedUpdate.Splat<T>(-g.Lr),
        };
        FusedUpdate.Run(rule, param.Span<T>(), grad.Span<T>(), FusedUpdate.SpanOf<T>(buf), default, default);
    }

    struct Rule<T> : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector<T> WeightDecay, Momentum, OneMinusDampening, NegLr;
        public bool HasWeightDecay, HasMomentum, First, Nesterov, Maximize;

        public readonly void Apply(ref Vector<T> p, Vector<T> g, ref Vector<T> buf, ref Vector<T> s1, ref Vector<T> s2)
        {
            var d = Maximize ? -g : g;
            if (HasWeightDecay) d += WeightDecay * p;
            if (HasMomentum)
            {
                buf = First ? d : buf * Momentum + OneMinusDampening * d;
                d = Nesterov ? d + Momentum * buf : buf;
            }
            p += NegLr * d;
        }
    }
}
