using System.Collections;

namespace Nabla.NN;

/// <summary>
/// A chain of modules: <see cref="Forward"/> feeds each module's output to the next. Children are named
/// "0", "1", ... (or explicitly), so parameters are named <c>0.weight</c>, <c>2.bias</c> as in PyTorch.
/// </summary>
public class Sequential : Module, IReadOnlyList<Module>
{
    public Sequential() { }

    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) Add(m);
    }

    /// <summary>A chain with explicit child names (PyTorch's Sequential(OrderedDict(...))).</summary>
    public Sequential(params (string Name, Module Module)[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (name, m) in modules) Add(name, m);
    }

    /// <summary>Appends <paramref name="module"/> under the name of its position (PyTorch's append).</summary>
    public Sequential Add(Module module)
    {
        return Add(Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
    }

    /// <summary>Appends <paramref name="module"/> under an explicit name.</summary>
    public Sequential Add(string name, Module module)
    {
        if (ModuleSlots.ContainsKey(name))
            throw new ArgumentException($"Sequential: there is already a module named '{name}'.");
        RegisterModule(name, module);
        return this;
    }

    public int Count => ModuleSlots.Count;

    /// <summary>The module at <paramref name="index"/> (negative counts from the end); setting replaces it under the same name.</summary>
    public Module this[int index]
    {
        get => ModuleSlots.GetAt(Position(index)).Value;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            RegisterModule(ModuleSlots.GetAt(Position(index)).Key, value);
        }
    }

    int Position(int index)
    {
        int n = Count;
        if (index < -n || index >= n)
            throw new IndexOutOfRangeException($"Sequential: index {index} is out of range for {n} modules.");
        return index < 0 ? index + n : index;
    }

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var module in ModuleSlots.Values) x = module.Forward(x);
        return x;
    }

    public IEnumerator<Module> GetEnumerator() => ModuleSlots.Values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
