using Nabla.Autograd;

namespace Nabla.NN;

// State dicts: the ordered name -> tensor map that checkpoints store. Keys and order are PyTorch's, so a
// Nabla state dict and a PyTorch state_dict of the same architecture have identical keys in identical order.
public abstract partial class Module
{
    /// <summary>
    /// The module's state: per module its parameters, then its persistent buffers, in registration order, then each
    /// child recursively. Values are detached views sharing the module's storage (like PyTorch's state_dict); Clone()
    /// them to keep a snapshot. Unlike <see cref="NamedParameters"/>, a shared tensor appears under every name.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var dict = new OrderedDictionary<string, Tensor>();
        foreach (var (key, tensor) in StateEntries()) dict.Add(key, tensor.Detach());
        return dict;
    }

    /// <summary>The live tensors behind <see cref="StateDict"/>, with their keys.</summary>
    List<(string Key, Tensor Tensor)> StateEntries()
    {
        var entries = new List<(string, Tensor)>();
        CollectState("", entries);
        return entries;
    }

    void CollectState(string prefix, List<(string, Tensor)> entries)
    {
        foreach (var (name, p) in _parameters)
            if (p is not null) entries.Add((prefix + name, p));
        foreach (var (name, b) in _buffers)
            if (b is not null && !_nonPersistent.Contains(name)) entries.Add((prefix + name, b));
        foreach (var (name, child) in _modules)
            child.CollectState(prefix + name + ".", entries);
    }

    /// <summary>
    /// Copies the values of <paramref name="stateDict"/> into this module's parameters and buffers, in place and
    /// without recording gradients (values are converted to each tensor's dtype, never aliased).
    /// <para>Every key is checked before anything is written, so a failed load leaves the module untouched. With
    /// <paramref name="strict"/>, missing or unexpected keys are an error; a shape mismatch is always an error (as in
    /// PyTorch). The <see cref="StateDictException"/> lists every problem at once.</para>
    /// </summary>
    /// <returns>The missing and unexpected keys (both empty after a successful strict load).</returns>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var entries = StateEntries();
        var ownKeys = new HashSet<string>(entries.Select(e => e.Key));
        var missing = new List<string>();
        var mismatched = new List<StateDictShapeMismatch>();
        foreach (var (key, target) in entries)
        {
            if (!stateDict.TryGetValue(key, out var source)) { missing.Add(key); continue; }
            if (source is null)
                throw new ArgumentException($"load_state_dict: the value for '{key}' is null (loading into {TypeName}).");
            if (!source._shape.AsSpan().SequenceEqual(target._shape))
                mismatched.Add(new StateDictShapeMismatch(key, source.Shape, target.Shape));
        }
        var unexpected = stateDict.Keys.Where(k => !ownKeys.Contains(k)).ToList();

        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictException(TypeName, strict ? missing : [], strict ? unexpected : [], mismatched);

        using (new NoGrad())
        {
            foreach (var (key, target) in entries)
                if (stateDict.TryGetValue(key, out var source)) target.CopyFrom(source);
        }
        return new LoadStateDictResult(missing, unexpected);
    }
}

/// <summary>What <see cref="Module.LoadStateDict"/> did not match: keys the module has but the dict lacks, and the reverse.</summary>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);

/// <summary>A state-dict entry whose shape differs from the module's tensor of the same name.</summary>
public sealed record StateDictShapeMismatch(string Key, int[] CheckpointShape, int[] ModelShape);
