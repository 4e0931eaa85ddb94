using System.Collections;
using System.Globalization;

namespace Nabla.NN;

/// <summary>
/// A list of modules registered as children "0", "1", ... It has no Forward: the owner decides how to call them.
/// The type parameter keeps the elements typed (e.g. <c>ModuleList&lt;TransformerBlock&gt;</c>) so their
/// multi-input Forward overloads stay reachable; <see cref="ModuleList"/> is the untyped list.
/// </summary>
public class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    public ModuleList() { }

    public ModuleList(IEnumerable<T> modules) => AddRange(modules);

    public int Count => ModuleSlots.Count;

    /// <summary>Appends a module (PyTorch's append).</summary>
    public ModuleList<T> Add(T module)
    {
        RegisterModule(Count.ToString(CultureInfo.InvariantCulture), module);
        return this;
    }

    /// <summary>Appends several modules (PyTorch's extend).</summary>
    public ModuleList<T> AddRange(IEnumerable<T> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules.ToList()) Add(m);
        return this;
    }

    /// <summary>Inserts before <paramref name="index"/> (0..Count; negative counts from the end); later modules are renumbered.</summary>
    public void Insert(int index, T module)
    {
        ArgumentNullException.ThrowIfNull(module);
        int n = Count;
        if (index < -n || index > n)
            throw new IndexOutOfRangeException($"ModuleList: insert index {index} is out of range for {n} modules.");
        if (index < 0) index += n;
        var items = this.ToList();
        items.Insert(index, module);
        Renumber(items);
    }

    /// <summary>Removes the module at <paramref name="index"/>; later modules are renumbered (as PyTorch's del does).</summary>
    public void RemoveAt(int index)
    {
        var items = this.ToList();
        items.RemoveAt(Position(index));
        Renumber(items);
    }

    void Renumber(List<T> items)
    {
        ModuleSlots.Clear();
        foreach (var m in items) Add(m);
    }

    /// <summary>The module at <paramref name="index"/> (negative counts from the end); setting replaces it.</summary>
    public T this[int index]
    {
        get => (T)ModuleSlots.GetAt(Position(index)).Value;
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
            throw new IndexOutOfRangeException($"ModuleList: index {index} is out of range for {n} modules.");
        return index < 0 ? index + n : index;
    }

    public override Tensor Forward(Tensor input) =>
        throw NoSingleInputForward("call the modules it holds from the owner's Forward.");

    public IEnumerator<T> GetEnumerator() => ModuleSlots.Values.Cast<T>().GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A list of modules of any type (PyTorch's nn.ModuleList).</summary>
public sealed class ModuleList : ModuleList<Module>
{
    public ModuleList() { }

    public ModuleList(IEnumerable<Module> modules) : base(modules) { }

    public ModuleList(params Module[] modules) : base(modules) { }
}
