using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Nabla.NN;

/// <summary>
/// Modules under string keys, kept in insertion order; the keys are the child names (<c>encoders.left.weight</c>).
/// It has no Forward. <see cref="ModuleDict"/> is the untyped dictionary.
/// </summary>
public class ModuleDict<T> : Module, IReadOnlyDictionary<string, T> where T : Module
{
    public ModuleDict() { }

    public ModuleDict(IEnumerable<KeyValuePair<string, T>> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (key, m) in modules) Add(key, m);
    }

    public ModuleDict(params (string Key, T Module)[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (key, m) in modules) Add(key, m);
    }

    public int Count => ModuleSlots.Count;

    /// <summary>Adds a module under a new key; an existing key is an error (use the indexer to replace).</summary>
    public ModuleDict<T> Add(string key, T module)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (ModuleSlots.ContainsKey(key))
            throw new ArgumentException($"ModuleDict: the key '{key}' is already present; assign through the indexer to replace it.");
        RegisterModule(key, module);
        return this;
    }

    /// <summary>The module under <paramref name="key"/>; setting adds it at the end or replaces it in place.</summary>
    public T this[string key]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(key);
            if (ModuleSlots.TryGetValue(key, out var m)) return (T)m;
            throw new KeyNotFoundException($"ModuleDict: no module under key '{key}'; the keys are [{string.Join(", ", ModuleSlots.Keys)}].");
        }
        set => RegisterModule(key, value);
    }

    /// <summary>Removes the module under <paramref name="key"/> (PyTorch's pop/del); false when absent.</summary>
    public bool Remove(string key) => ModuleSlots.Remove(key);

    public bool ContainsKey(string key) => ModuleSlots.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out T value)
    {
        if (ModuleSlots.TryGetValue(key, out var m)) { value = (T)m; return true; }
        value = null;
        return false;
    }

    public IEnumerable<string> Keys => ModuleSlots.Keys;
    public IEnumerable<T> Values => ModuleSlots.Values.Cast<T>();

    public override Tensor Forward(Tensor input) =>
        throw NoSingleInputForward("call the modules it holds from the owner's Forward.");

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() =>
        ModuleSlots.Select(kv => new KeyValuePair<string, T>(kv.Key, (T)kv.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Modules of any type under string keys (PyTorch's nn.ModuleDict).</summary>
public sealed class ModuleDict : ModuleDict<Module>
{
    public ModuleDict() { }

    public ModuleDict(IEnumerable<KeyValuePair<string, Module>> modules) : base(modules) { }

    public ModuleDict(params (string Key, Module Module)[] modules) : base(modules) { }
}
