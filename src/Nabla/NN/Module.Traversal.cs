namespace Nabla.NN;

// Walking the module tree. As in PyTorch, the Named*/Parameters/Buffers/Modules walks visit each module and each
// tensor once even when it is shared (weight tying, a block reused twice): an optimizer must not step a shared
// weight twice. StateDict (Module.State.cs) does not deduplicate, exactly like PyTorch's state_dict.
public abstract partial class Module
{
    /// <summary>The direct children, in registration order (each instance once).</summary>
    public IEnumerable<Module> Children() => NamedChildren().Select(c => c.Module);

    /// <summary>The direct children with their names, in registration order (each instance once).</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var result = new List<(string, Module)>();
        foreach (var (name, child) in _modules)
            if (seen.Add(child)) result.Add((name, child));
        return result;
    }

    /// <summary>This module and all its descendants, depth first in registration order (each instance once).</summary>
    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Module);

    /// <summary>
    /// This module (named <paramref name="prefix"/>, "" by default) and all its descendants with dotted names,
    /// depth first in registration order; a module reachable twice appears once, under its first name.
    /// </summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var result = new List<(string, Module)>();
        CollectModules(prefix, new HashSet<Module>(ReferenceEqualityComparer.Instance), result);
        return result;
    }

    void CollectModules(string prefix, HashSet<Module> seen, List<(string, Module)> result)
    {
        if (!seen.Add(this)) return;
        result.Add((prefix, this));
        foreach (var (name, child) in _modules)
            child.CollectModules(Join(prefix, name), seen, result);
    }

    /// <summary>The parameters of this module (and of its descendants when <paramref name="recurse"/>), each tensor once.</summary>
    public IEnumerable<Tensor> Parameters(bool recurse = true) => NamedParameters("", recurse).Select(p => p.Tensor);

    /// <summary>
    /// The parameters with PyTorch names (<c>weight</c>, <c>0.weight</c>, <c>features.3.bias</c>): per module its own
    /// parameters in registration order, modules depth first. A tensor registered twice appears once, under its first name.
    /// </summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters(string prefix = "", bool recurse = true) =>
        NamedMembers(prefix, recurse, m => m._parameters.Select(kv => (kv.Key, kv.Value)));

    /// <summary>The buffers of this module (and of its descendants when <paramref name="recurse"/>), persistent or not, each tensor once.</summary>
    public IEnumerable<Tensor> Buffers(bool recurse = true) => NamedBuffers("", recurse).Select(b => b.Tensor);

    /// <summary>The buffers with dotted names, in the same order as <see cref="NamedParameters"/>; includes non-persistent buffers.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers(string prefix = "", bool recurse = true) =>
        NamedMembers(prefix, recurse, m => m._buffers.Select(kv => (kv.Key, kv.Value)));

    List<(string Name, Tensor Tensor)> NamedMembers(string prefix, bool recurse, Func<Module, IEnumerable<(string, Tensor?)>> members)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var modules = recurse ? NamedModules(prefix) : [(prefix, this)];
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var result = new List<(string, Tensor)>();
        foreach (var (modulePrefix, module) in modules)
            foreach (var (name, tensor) in members(module))
                if (tensor is not null && seen.Add(tensor)) result.Add((Join(modulePrefix, name), tensor));
        return result;
    }

    /// <summary>The descendant at a dotted path such as <c>"features.3"</c> ("" is this module), like PyTorch's get_submodule.</summary>
    public Module GetSubmodule(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Length == 0) return this;
        var module = this;
        var walked = "";
        foreach (var part in target.Split('.'))
        {
            if (!module._modules.TryGetValue(part, out var child))
            {
                var where = walked.Length == 0 ? module.TypeName : $"{module.TypeName} at '{walked}'";
                throw new ArgumentException($"get_submodule: {where} has no child module named '{part}' (looking up '{target}' in {TypeName}).");
            }
            module = child;
            walked = Join(walked, part);
        }
        return module;
    }

    /// <summary>The parameter at a dotted path such as <c>"features.3.bias"</c>, like PyTorch's get_parameter.</summary>
    public Tensor GetParameter(string target) => GetMember(target, "get_parameter", "parameter", m => m._parameters);

    /// <summary>The buffer at a dotted path such as <c>"bn.running_mean"</c>, like PyTorch's get_buffer.</summary>
    public Tensor GetBuffer(string target) => GetMember(target, "get_buffer", "buffer", m => m._buffers);

    Tensor GetMember(string target, string op, string kind, Func<Module, OrderedDictionary<string, Tensor?>> slots)
    {
        ArgumentNullException.ThrowIfNull(target);
        int dot = target.LastIndexOf('.');
        var owner = dot < 0 ? this : GetSubmodule(target[..dot]);
        var name = target[(dot + 1)..];
        if (!slots(owner).TryGetValue(name, out var tensor))
            throw new ArgumentException($"{op}: {owner.TypeName} has no {kind} named '{name}' (looking up '{target}' in {TypeName}).");
        return tensor ?? throw new ArgumentException($"{op}: the {kind} '{target}' of {TypeName} is registered as absent (null).");
    }

    static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
