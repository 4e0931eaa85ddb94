namespace Nabla.Optim;

/// <summary>
/// A set of parameters that share hyper-parameters, as PyTorch's param_groups. Options a group does not set
/// are filled from the optimizer's defaults when the group is added, so a group can override only what
/// differs (fine-tuning: a small lr for the body, a large one for the head):
/// <code>new SGD([new ParamGroup(body) { Lr = 1e-4 }, new ParamGroup(head)], lr: 1e-2, momentum: 0.9)</code>
/// Options are kept under PyTorch's key names ("lr", "weight_decay", ...; betas as "beta1"/"beta2",
/// booleans as 0/1) so state dicts and schedulers can treat them uniformly; the typed properties are views
/// of the same store. The optimizer keeps this very object, so changing <see cref="Lr"/> later takes effect
/// at the next step (that is how the LR schedules work).
/// </summary>
public sealed class ParamGroup
{
    readonly List<Tensor> _params;
    readonly Dictionary<string, double> _options = new();

    public ParamGroup(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _params = parameters.ToList();
    }

    public ParamGroup(params Tensor[] parameters) : this((IEnumerable<Tensor>)parameters) { }

    public IReadOnlyList<Tensor> Params => _params;

    /// <summary>Every option of the group under its PyTorch key (after the optimizer filled the defaults).</summary>
    public IReadOnlyDictionary<string, double> Options => _options;

    /// <summary>Raw access by PyTorch key; reading a key the group does not have throws.</summary>
    public double this[string key]
    {
        get => _options.TryGetValue(key, out var v)
            ? v
            : throw new KeyNotFoundException($"param group: no option '{key}' (options set: {string.Join(", ", _options.Keys)}); optimizers fill their defaults when the group is added.");
        set => _options[key] = value;
    }

    public bool Has(string key) => _options.ContainsKey(key);

    public double Lr { get => this["lr"]; set => this["lr"] = value; }
    public double WeightDecay { get => this["weight_decay"]; set => this["weight_decay"] = value; }
    public double Momentum { get => this["momentum"]; set => this["momentum"] = value; }
    public double Dampening { get => this["dampening"]; set => this["dampening"] = value; }
    public double Eps { get => this["eps"]; set => this["eps"] = value; }
    public double Alpha { get => this["alpha"]; set => this["alpha"] = value; }
    public double Rho { get => this["rho"]; set => this["rho"] = value; }
    public double LrDecay { get => this["lr_decay"]; set => this["lr_decay"] = value; }
    public double InitialAccumulatorValue { get => this["initial_accumulator_value"]; set => this["initial_accumulator_value"] = value; }

    public (double Beta1, double Beta2) Betas
    {
        get => (this["beta1"], this["beta2"]);
        set { this["beta1"] = value.Beta1; this["beta2"] = value.Beta2; }
    }

    public bool Nesterov { get => Flag("nesterov"); set => SetFlag("nesterov", value); }
    public bool Maximize { get => Flag("maximize"); set => SetFlag("maximize", value); }
    public bool Amsgrad { get => Flag("amsgrad"); set => SetFlag("amsgrad", value); }
    public bool Centered { get => Flag("centered"); set => SetFlag("centered", value); }

    bool Flag(string key) => this[key] != 0;
    void SetFlag(string key, bool value) => this[key] = value ? 1 : 0;

    internal void SetDefault(string key, double value) => _options.TryAdd(key, value);

    internal void ReplaceOptions(IReadOnlyDictionary<string, double> options)
    {
        _options.Clear();
        foreach (var (k, v) in options) _options[k] = v;
    }
}
