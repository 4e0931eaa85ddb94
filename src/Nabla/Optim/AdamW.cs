namespace Nabla.Optim;

/// <summary>
/// AdamW as torch.optim.AdamW (1.13): Adam with decoupled weight decay, p ← p·(1 − lr·weight_decay) before
/// the Adam step, instead of adding weight_decay·p to the gradient. Its weight_decay defaults to 1e-2.
/// </summary>
public sealed class AdamW : Optimizer
{
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay, amsgrad, maximize) { }

    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base("AdamW", groups, AdamCore.Defaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize))
    { }

    protected override void Validate(ParamGroup g, string where) => AdamCore.Validate(this, g, where);

    protected override void Update(ParamGroup group, Tensor param, Tensor grad, ParamState state) =>
        AdamCore.Update(group, param, grad, state, decoupled: true);
}
