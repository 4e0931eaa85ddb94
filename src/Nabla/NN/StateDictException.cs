using System.Text;

namespace Nabla.NN;

/// <summary>
/// Thrown by <see cref="Module.LoadStateDict"/> when a state dict does not fit the module. The message lists every
/// missing key, unexpected key and shape mismatch (not just the first), and the lists are also available as properties.
/// </summary>
public sealed class StateDictException : ArgumentException
{
    public string ModuleType { get; }
    public IReadOnlyList<string> MissingKeys { get; }
    public IReadOnlyList<string> UnexpectedKeys { get; }
    public IReadOnlyList<StateDictShapeMismatch> ShapeMismatches { get; }

    public StateDictException(string moduleType, IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys,
        IReadOnlyList<StateDictShapeMismatch> shapeMismatches)
        : base(Describe(moduleType, missingKeys, unexpectedKeys, shapeMismatches))
    {
        ModuleType = moduleType;
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
    }

    static string Describe(string moduleType, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<StateDictShapeMismatch> mismatches)
    {
        var text = new StringBuilder($"load_state_dict: error(s) in loading the state dict for {moduleType}:");
        if (missing.Count > 0)
            text.Append($"\n  missing keys ({missing.Count}): ").Append(Quote(missing));
        if (unexpected.Count > 0)
            text.Append($"\n  unexpected keys ({unexpected.Count}): ").Append(Quote(unexpected));
        foreach (var m in mismatches)
            text.Append($"\n  size mismatch for \"{m.Key}\": the checkpoint has shape {Format(m.CheckpointShape)}, the model has shape {Format(m.ModelShape)}");
        return text.ToString();
    }

    static string Quote(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => "\"" + k + "\""));

    static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
