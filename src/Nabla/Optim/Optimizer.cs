using Nabla.Autograd;

namespace Nabla.Optim;

/// <summary>
/// Base of every optimizer, with PyTorch's semantics: parameter groups whose missing options come from the
/// optimizer's defaults, per-parameter state created lazily at the first update, <see cref="Step()"/> that
/// skips parameters without a gradient, <see cref="ZeroGrad"/>, and a state dict that resumes training exactly.
/// Parameters are plain leaf tensors (float32 or float64, contiguous); updates are written in place into
/// their storage under <see cref="NoGrad"/>, one fused pass per parameter.
/// </summary>
public abstract class Optimizer
{
    readonly List<ParamGroup> _groups = new();
    readonly Dictionary<Tensor, ParamState> _state = new(ReferenceEqualityComparer.Instance);
    readonly Dictionary<string, double> _defaults;

    /// <summary>The optimizer's name as PyTorch spells it (used in every error message).</summary>
    public string Name { get; }

    public IReadOnlyList<ParamGroup> ParamGroups => _groups;

    /// <summary>The hyper-parameters a group gets when it does not set them.</summary>
    public IReadOnlyDictionary<string, double> Defaults => _defaults;

    protected Optimizer(string name, IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, double> defaults)
    {
        Name = name;
        _defaults = new Dictionary<string, double>(defaults);
        ArgumentNullException.ThrowIfNull(groups);
        var list = groups.ToList();
        // Check the constructor's own arguments first, so a bad default is reported even when groups override it.
        var probe = new ParamGroup();
        foreach (var (k, v) in _defaults) probe.SetDefault(k, v);
        Validate(probe, "");
        if (list.Count == 0 || list.All(g => g is not null && g.Params.Count == 0))
            throw new ArgumentException($"{Name}: optimizer got an empty parameter list.");
        foreach (var g in list) AddParamGroup(g);
    }

    /// <summary>Wraps a flat parameter list as one group (for the derived constructors).</summary>
    protected static IEnumerable<ParamGroup> OneGroup(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return [new ParamGroup(parameters)];
    }

    /// <summary>Adds a group (fine-tuning: unfreeze layers later), filling its missing options from the defaults.</summary>
    public void AddParamGroup(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group, nameof(group));
        string where = $"param group {_groups.Count}: ";
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < group.Params.Count; i++)
        {
            var p = group.Params[i] ?? throw new ArgumentException($"{Name}: {where}parameter {i} is null.");
            if (!p.DType.IsFloating())
                throw new ArgumentException($"{Name}: {where}can only optimize floating-point tensors, parameter {i} of shape {p.ShapeText} is {p.DType.TorchName()}.");
            if (!p.IsLeaf)
                throw new ArgumentException($"{Name}: {where}can't optimize a non-leaf tensor (parameter {i} of shape {p.ShapeText} was produced by {p.GradFnName}); pass the leaf itself or a Detach()ed copy with RequiresGrad set.");
            if (!p.IsContiguous)
                throw new ArgumentException($"{Name}: {where}parameter {i} of shape {p.ShapeText} with strides {Backends.Cpu.Layout.Format(p._strides)} is not contiguous; updates are fused over dense storage, so pass a contiguous tensor.");
            if (!seen.Add(p))
                throw new ArgumentException($"{Name}: {where}parameter {i} of shape {p.ShapeText} appears twice in the group.");
            if (_groups.Any(g => g.Params.Contains(p, ReferenceEqualityComparer.Instance)))
                throw new ArgumentException($"{Name}: some parameters appear in more than one parameter group (parameter {i} of shape {p.ShapeText} of the new group).");
        }
        foreach (var (k, v) in _defaults) group.SetDefault(k, v);
        Validate(group, where);
        _groups.Add(group);
    }

    /// <summary>Throws an ArgumentException naming the optimizer when one of the group's hyper-parameters is invalid.</summary>
    protected abstract void Validate(ParamGroup group, string where);

    /// <summary>Applies one update to <paramref name="param"/> given its (dense, same-dtype) gradient and its state.</summary>
    protected abstract void Update(ParamGroup group, Tensor param, Tensor grad, ParamState state);

    /// <summary>One optimization step over every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = new NoGrad();
        // Index loops: enumerating IReadOnlyList through the interface would allocate an enumerator per group.
        for (int gi = 0; gi < _groups.Count; gi++)
        {
            var group = _groups[gi];
            for (int pi = 0; pi < group.Params.Count; pi++)
            {
                var p = group.Params[pi];
                if (p.Grad is not { } grad) continue;
                grad = CheckGrad(p, grad);
                if (!_state.TryGetValue(p, out var state)) _state[p] = state = new ParamState();
                Update(group, p, grad, state);
            }
        }
    }

    /// <summary>Re-evaluates the loss with <paramref name="closure"/> (which should zero the grads and call Backward), then steps; returns the loss.</summary>
    public Tensor Step(Func<Tensor> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        var loss = closure();
        Step();
        return loss;
    }

    Tensor CheckGrad(Tensor p, Tensor grad)
    {
        if (!grad._shape.AsSpan().SequenceEqual(p._shape))
            throw new InvalidOperationException($"{Name}: the gradient of shape {grad.ShapeText} does not match its parameter of shape {p.ShapeText}.");
        if (grad.DType != p.DType)
            throw new InvalidOperationException($"{Name}: the gradient is {grad.DType.TorchName()} but its parameter of shape {p.ShapeText} is {p.DType.TorchName()}.");
        return grad.IsContiguous ? grad : grad.DenseCopy();
    }

    /// <summary>Forgets every gradient (PyTorch's zero_grad(set_to_none=True)); with false, zeroes them in place instead.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var group in _groups)
            foreach (var p in group.Params)
            {
                if (setToNone) p.Grad = null;
                else p.Grad?.FillInPlace(0);
            }
    }

    /// <summary>The state of <paramref name="param"/>, or null before its first update.</summary>
    public ParamState? GetState(Tensor param) => _state.GetValueOrDefault(param);

    /// <summary>A deep copy of the state and of every group's options (safe to keep while training goes on).</summary>
    public OptimizerStateDict StateDict()
    {
        var groups = new List<ParamGroupState>();
        var state = new Dictionary<int, ParamState>();
        int index = 0;
        foreach (var g in _groups)
        {
            var ids = new int[g.Params.Count];
            for (int i = 0; i < ids.Length; i++, index++)
            {
                ids[i] = index;
                if (_state.TryGetValue(g.Params[i], out var s)) state[index] = s.Clone();
            }
            groups.Add(new ParamGroupState(new Dictionary<string, double>(g.Options), ids));
        }
        return new OptimizerStateDict { Optimizer = Name, ParamGroups = groups, State = state };
    }

    /// <summary>
    /// Restores a state dict: group options are replaced by the saved ones and state buffers are copied
    /// (converted to each parameter's dtype). Everything is checked before anything changes.
    /// </summary>
    public void LoadStateDict(OptimizerStateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (stateDict.Optimizer != Name)
            throw new ArgumentException($"{Name}: cannot load a state dict saved by {stateDict.Optimizer}.");
        var saved = stateDict.ParamGroups;
        if (saved.Count != _groups.Count)
            throw new ArgumentException($"{Name}: loaded state dict has {saved.Count} parameter groups but the optimizer has {_groups.Count}.");
        var idMap = new Dictionary<int, Tensor>();
        for (int gi = 0; gi < saved.Count; gi++)
        {
            if (saved[gi].Params.Length != _groups[gi].Params.Count)
                throw new ArgumentException($"{Name}: parameter group {gi} of the loaded state dict has {saved[gi].Params.Length} parameters but the optimizer's group has {_groups[gi].Params.Count}.");
            for (int i = 0; i < saved[gi].Params.Length; i++) idMap[saved[gi].Params[i]] = _groups[gi].Params[i];
            var probe = new ParamGroup();
            probe.ReplaceOptions(saved[gi].Options);
            Validate(probe, $"loaded param group {gi}: ");
        }
        var newState = new Dictionary<Tensor, ParamState>(ReferenceEqualityComparer.Instance);
        foreach (var (id, s) in stateDict.State)
        {
            if (!idMap.TryGetValue(id, out var p))
                throw new ArgumentException($"{Name}: the loaded state dict has state for parameter {id}, which none of its groups lists.");
            var copy = new ParamState { Step = s.Step };
            foreach (var (key, buffer) in s.Buffers)
            {
                if (!buffer._shape.AsSpan().SequenceEqual(p._shape))
                    throw new ArgumentException($"{Name}: loaded state '{key}' of parameter {id} has shape {buffer.ShapeText} but the parameter has shape {p.ShapeText}.");
                copy.Buffers[key] = buffer.Detach().To(p.DType).DenseCopy();
            }
            newState[p] = copy;
        }
        for (int gi = 0; gi < saved.Count; gi++) _groups[gi].ReplaceOptions(saved[gi].Options);
        _state.Clear();
        foreach (var (p, s) in newState) _state[p] = s;
    }

    // Shared validation helpers: each throws naming the optimizer, the group and the value.

    protected internal void RequireNonNegative(ParamGroup g, string key, string what, string where)
    {
        double v = g[key];
        if (!(v >= 0)) throw new ArgumentException($"{Name}: {where}invalid {what}: {v} (must be >= 0).");
    }

    protected internal void RequireInRange(ParamGroup g, string key, string what, string where, double low, double high, bool highInclusive)
    {
        double v = g[key];
        bool ok = v >= low && (highInclusive ? v <= high : v < high);
        if (!ok) throw new ArgumentException($"{Name}: {where}invalid {what}: {v} (must be in [{low}, {high}{(highInclusive ? "]" : ")")}).");
    }
}
