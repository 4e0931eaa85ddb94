using System.Diagnostics.CodeAnalysis;

namespace Nabla.NN;

/// <summary>
/// Base class of every neural-network building block: it owns named parameters, buffers and child modules,
/// registered explicitly (no reflection) so that names and their order follow PyTorch exactly.
/// </summary>
/// <remarks>
/// <para>Registration order is the PyTorch order: a module's own parameters first, then its buffers, then each
/// child in turn. Names join with dots (<c>features.3.bias</c>), so state dicts map one to one onto PyTorch's.</para>
/// <para><b>Inputs.</b> Every module has <see cref="Forward(Tensor)"/>, which is what <see cref="Sequential"/>
/// chains. A module that takes several inputs keeps <c>Forward(Tensor)</c> for its most common single-input use
/// (self-attention: query = key = value) and adds typed overloads next to it, for example
/// <c>Forward(Tensor query, Tensor key, Tensor value)</c> or <c>Forward(Tensor input, (Tensor H, Tensor C) state)</c>.
/// A module with no sensible single-input form (such as <see cref="ModuleList"/>) throws
/// <see cref="NotSupportedException"/> from it, as PyTorch raises for a module without forward.</para>
/// <para><b>Parameters</b> are plain leaf tensors with <see cref="Tensor.RequiresGrad"/> set; layers should
/// read them back through the registry (<see cref="Param"/>) if they may be replaced, e.g. for weight tying.</para>
/// </remarks>
public abstract partial class Module
{
    // Slots may hold null: PyTorch keeps `register_parameter("bias", None)` as a name that is skipped everywhere.
    readonly OrderedDictionary<string, Tensor?> _parameters = new();
    readonly OrderedDictionary<string, Tensor?> _buffers = new();
    readonly HashSet<string> _nonPersistent = new();
    readonly OrderedDictionary<string, Module> _modules = new();

    /// <summary>Whether the module is in training mode (dropout active, batch statistics updated). New modules train.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The computation of the module on one input. See the class remarks for modules with several inputs.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>The name printed in <see cref="ToString"/> and in error messages: the class name without generic arity.</summary>
    public virtual string TypeName
    {
        get
        {
            var name = GetType().Name;
            int tick = name.IndexOf('`');
            return tick < 0 ? name : name[..tick];
        }
    }

    /// <summary>
    /// Registers <paramref name="parameter"/> under <paramref name="name"/> and marks it as a parameter
    /// (<see cref="Tensor.RequiresGrad"/> = <paramref name="requiresGrad"/>). Null registers an absent parameter
    /// (e.g. no bias): the name is reserved but skipped. Registering an existing parameter name replaces it in place.
    /// </summary>
    [return: NotNullIfNotNull(nameof(parameter))]
    public Tensor? RegisterParameter(string name, Tensor? parameter, bool requiresGrad = true)
    {
        CheckName(name, "register_parameter", "parameter");
        CheckFree(name, "register_parameter", "parameter", _parameters);
        if (parameter is not null)
        {
            if (!parameter.IsLeaf)
                throw new ArgumentException($"register_parameter: parameter '{name}' of {TypeName} must be a leaf tensor, but this one of shape {parameter.ShapeText} was produced by {parameter.GradFnName}; create it directly or call Detach() first.");
            if (requiresGrad && !parameter.DType.IsFloating())
                throw new ArgumentException($"register_parameter: parameter '{name}' of {TypeName} is {parameter.DType.TorchName()} of shape {parameter.ShapeText}; only floating-point parameters can require gradients (pass requiresGrad: false).");
            parameter.RequiresGrad = requiresGrad;
        }
        _parameters[name] = parameter;
        return parameter;
    }

    /// <summary>
    /// Registers a buffer: state that is not trained (BatchNorm running statistics). Persistent buffers are part
    /// of <see cref="StateDict"/>; non-persistent ones are not. Null reserves the name. An existing buffer name is replaced.
    /// </summary>
    [return: NotNullIfNotNull(nameof(buffer))]
    public Tensor? RegisterBuffer(string name, Tensor? buffer, bool persistent = true)
    {
        CheckName(name, "register_buffer", "buffer");
        CheckFree(name, "register_buffer", "buffer", _buffers);
        _buffers[name] = buffer;
        if (persistent) _nonPersistent.Remove(name);
        else _nonPersistent.Add(name);
        return buffer;
    }

    /// <summary>Registers a child module under <paramref name="name"/> (PyTorch's add_module); an existing child name is replaced in place.</summary>
    public T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name, "register_module", "module");
        ArgumentNullException.ThrowIfNull(module);
        CheckFree(name, "register_module", "module", _modules);
        if (ReferenceEquals(module, this) || module.Modules().Any(m => ReferenceEquals(m, this)))
            throw new ArgumentException($"register_module: registering {module.TypeName} as '{name}' of {TypeName} would make the module tree a cycle.");
        _modules[name] = module;
        return module;
    }

    /// <summary>The parameter registered directly on this module under <paramref name="name"/> (null when registered as absent).</summary>
    /// <remarks>A name computed from other parameters (see <see cref="WeightNorm"/>) is recomputed on every read.</remarks>
    protected Tensor? Param(string name) =>
        _computed.Count > 0 && _computed.TryGetValue(name, out var compute) ? compute()
        : _parameters.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"{TypeName} has no parameter named '{name}'.");

    /// <summary>The buffer registered directly on this module under <paramref name="name"/> (null when registered as absent).</summary>
    protected Tensor? Buffer(string name) =>
        _buffers.TryGetValue(name, out var b) ? b : throw new KeyNotFoundException($"{TypeName} has no buffer named '{name}'.");

    // Containers (Sequential, ModuleList, ModuleDict) index and rebuild their children directly.
    internal OrderedDictionary<string, Module> ModuleSlots => _modules;

    void CheckName(string name, string op, string kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
            throw new ArgumentException($"{op}: the {kind} name of {TypeName} cannot be empty.");
        if (name.Contains('.'))
            throw new ArgumentException($"{op}: the {kind} name '{name}' of {TypeName} cannot contain '.' (dots separate the levels of the module tree).");
    }

    /// <summary>A name belongs to one kind only, as in PyTorch (an attribute cannot be both a parameter and a buffer).</summary>
    void CheckFree<T>(string name, string op, string kind, OrderedDictionary<string, T> own)
    {
        string? taken = null;
        if (!ReferenceEquals(own, _parameters) && _parameters.ContainsKey(name)) taken = "parameter";
        else if (!ReferenceEquals(own, _buffers) && _buffers.ContainsKey(name)) taken = "buffer";
        else if (!ReferenceEquals(own, _modules) && _modules.ContainsKey(name)) taken = "child module";
        if (taken is not null)
            throw new ArgumentException($"{op}: cannot register {kind} '{name}' on {TypeName}: it already has a {taken} with that name.");
    }

    /// <summary>Sets training mode on this module and every descendant (PyTorch's train(mode)); returns this module.</summary>
    public virtual Module Train(bool mode = true)
    {
        IsTraining = mode;
        foreach (var child in Children()) child.Train(mode);
        return this;
    }

    /// <summary>Evaluation mode on the whole subtree, same as <c>Train(false)</c>.</summary>
    public Module Eval() => Train(false);

    /// <summary>Sets <see cref="Tensor.RequiresGrad"/> on every parameter of the subtree: false freezes it, true unfreezes it.</summary>
    public Module RequiresGrad(bool requiresGrad = true)
    {
        foreach (var p in Parameters()) p.RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>Forgets the gradients of every parameter of the subtree (PyTorch's zero_grad(set_to_none=True)).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Grad = null;
    }

    /// <summary>Number of parameter elements in the subtree, each shared tensor counted once; optionally only those that require grad.</summary>
    public long NumParameters(bool trainableOnly = false)
    {
        long total = 0;
        foreach (var p in Parameters())
            if (!trainableOnly || p.RequiresGrad) total += p.NumElements;
        return total;
    }

    /// <summary>Calls <paramref name="fn"/> on every child subtree first and then on this module (PyTorch's apply order, used for initialisation).</summary>
    public Module Apply(Action<Module> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        foreach (var child in Children()) child.Apply(fn);
        fn(this);
        return this;
    }

    /// <summary>The extra text printed inside this module's parentheses (PyTorch's extra_repr), e.g. "in_features=4, out_features=2, bias=True".</summary>
    public virtual string ExtraRepr() => "";

    /// <summary>The module tree, printed exactly like PyTorch's repr.</summary>
    public override string ToString()
    {
        var extra = ExtraRepr();
        var extraLines = extra.Length == 0 ? [] : extra.Split('\n');
        var childLines = _modules.Select(kv => $"({kv.Key}): {Indent(kv.Value.ToString(), 2)}").ToArray();
        var text = TypeName + "(";
        if (extraLines.Length == 1 && childLines.Length == 0) text += extraLines[0];
        else if (extraLines.Length + childLines.Length > 0)
            text += "\n  " + string.Join("\n  ", extraLines.Concat(childLines)) + "\n";
        return text + ")";
    }

    /// <summary>Indents every line but the first (PyTorch's _addindent): the first follows the "(name): " prefix.</summary>
    static string Indent(string text, int spaces)
    {
        var lines = text.Split('\n');
        if (lines.Length == 1) return text;
        var pad = new string(' ', spaces);
        return lines[0] + "\n" + string.Join("\n", lines.Skip(1).Select(l => pad + l));
    }

    /// <summary>The exception for a module that has no single-input <see cref="Forward(Tensor)"/>.</summary>
    protected NotSupportedException NoSingleInputForward(string hint) =>
        new($"forward: {TypeName} has no Forward(Tensor); {hint}");
}
