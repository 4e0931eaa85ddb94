namespace Nabla.NN;

public abstract partial class Module
{
    // Names whose tensor is computed from other parameters each time a layer reads it through Param():
    // weight norm's weight = g·v/‖v‖. PyTorch recomputes such an attribute in a forward pre-hook; layers here read
    // their parameters through the registry at the start of Forward, which is the same point in the computation,
    // and needs no hook machinery around every Forward call.
    readonly Dictionary<string, Func<Tensor>> _computed = new();

    /// <summary>Makes <see cref="Param"/>(<paramref name="name"/>) return <paramref name="compute"/>() instead of a stored tensor; null removes it.</summary>
    internal void SetComputedParameter(string name, Func<Tensor>? compute)
    {
        if (compute is null) _computed.Remove(name);
        else _computed[name] = compute;
    }

    internal bool HasComputedParameter(string name) => _computed.ContainsKey(name);

    /// <summary>The current value of a computed name.</summary>
    internal Tensor ComputeParameter(string name) => _computed[name]();

    /// <summary>Deletes a parameter slot (PyTorch's <c>del module._parameters[name]</c>); false when there was none.</summary>
    internal bool RemoveParameter(string name) => _parameters.Remove(name);

    /// <summary>Whether a parameter slot named <paramref name="name"/> is registered directly on this module (it may hold null).</summary>
    internal bool HasParameterSlot(string name) => _parameters.ContainsKey(name);

    /// <summary>The tensor in a parameter slot of this module, without consulting computed names.</summary>
    internal Tensor? StoredParameter(string name) => _parameters.GetValueOrDefault(name);
}
