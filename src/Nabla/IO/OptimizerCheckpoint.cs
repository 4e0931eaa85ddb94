using System.Globalization;
using System.Text.Json;
using Nabla.Optim;

namespace Nabla.IO;

/// <summary>
/// An optimizer's state dict as checkpoint content: per-parameter buffers become tensors named
/// <c>__optimizer__.state.&lt;index&gt;.&lt;buffer&gt;</c>; everything else (optimizer name, each group's options and
/// parameter indices, step counts, buffer names, the model name of each parameter) is one JSON document stored in
/// the metadata under <c>__optimizer__</c>. The layout is documented in docs/CHECKPOINTS.md.
/// </summary>
internal static class OptimizerCheckpoint
{
    public const string TensorPrefix = "__optimizer__.";
    public const string MetadataKey = "__optimizer__";

    public static string TensorKey(int index, string buffer) => $"{TensorPrefix}state.{index}.{buffer}";

    /// <summary>Adds the state buffers to <paramref name="tensors"/> and returns the JSON for the metadata.</summary>
    public static string Encode(OptimizerStateDict state, IReadOnlyList<string?> paramNames, IDictionary<string, Tensor> tensors)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("optimizer", state.Optimizer);
            json.WriteStartArray("param_groups");
            foreach (var group in state.ParamGroups)
            {
                json.WriteStartObject();
                foreach (var (key, value) in group.Options)
                {
                    // JSON has no infinities: they are written as strings (Python's json module does the same).
                    if (double.IsFinite(value)) json.WriteNumber(key, value);
                    else json.WriteString(key, value.ToString(CultureInfo.InvariantCulture));
                }
                json.WriteStartArray("params");
                foreach (var id in group.Params) json.WriteNumberValue(id);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("state");
            foreach (var (index, s) in state.State.OrderBy(kv => kv.Key))
            {
                json.WriteStartObject(index.ToString(CultureInfo.InvariantCulture));
                json.WriteNumber("step", s.Step);
                json.WriteStartArray("buffers");
                // Sorted so the same state always gives the same bytes.
                foreach (var name in s.Buffers.Keys.Order(StringComparer.Ordinal))
                {
                    json.WriteStringValue(name);
                    tensors.Add(TensorKey(index, name), s.Buffers[name]);
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartArray("param_names");
            foreach (var name in paramNames)
            {
                if (name is null) json.WriteNullValue();
                else json.WriteStringValue(name);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Rebuilds the state dict from the metadata JSON and the <c>__optimizer__.</c> tensors, checking that they agree.</summary>
    public static (OptimizerStateDict State, string?[] ParamNames) Decode(string text, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException e) { throw Bad(source, $"the '{MetadataKey}' metadata is not valid JSON ({e.Message})"); }
        using var _ = doc;
        var root = Expect(doc.RootElement, JsonValueKind.Object, $"the '{MetadataKey}' metadata", source);

        string name = Expect(Get(root, "optimizer", source), JsonValueKind.String, "'optimizer'", source).GetString()!;

        var groups = new List<ParamGroupState>();
        foreach (var g in Expect(Get(root, "param_groups", source), JsonValueKind.Array, "'param_groups'", source).EnumerateArray())
        {
            string where = $"param group {groups.Count}";
            Expect(g, JsonValueKind.Object, where, source);
            var options = new Dictionary<string, double>();
            int[]? ids = null;
            foreach (var p in g.EnumerateObject())
            {
                if (p.Name == "params")
                    ids = Expect(p.Value, JsonValueKind.Array, $"'params' of {where}", source).EnumerateArray()
                        .Select(x => Index(x, $"a parameter index of {where}", source)).ToArray();
                else options[p.Name] = Number(p.Value, $"option '{p.Name}' of {where}", source);
            }
            groups.Add(new ParamGroupState(options, ids ?? throw Bad(source, $"{where} has no 'params'")));
        }

        var state = new Dictionary<int, ParamState>();
        var used = new HashSet<string>();
        foreach (var entry in Expect(Get(root, "state", source), JsonValueKind.Object, "'state'", source).EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                throw Bad(source, $"state key '{entry.Name}' is not a parameter index");
            string where = $"the state of parameter {index}";
            Expect(entry.Value, JsonValueKind.Object, where, source);
            var stepJson = Get(entry.Value, "step", source);
            if (stepJson.ValueKind != JsonValueKind.Number || !stepJson.TryGetInt64(out long step) || step < 0)
                throw Bad(source, $"the step of {where} is {stepJson.GetRawText()}, not a non-negative integer");
            var s = new ParamState { Step = step };
            foreach (var b in Expect(Get(entry.Value, "buffers", source), JsonValueKind.Array, $"the buffers of {where}", source).EnumerateArray())
            {
                string buffer = Expect(b, JsonValueKind.String, $"a buffer name of {where}", source).GetString()!;
                string key = TensorKey(index, buffer);
                if (!tensors.TryGetValue(key, out var t))
                    throw Bad(source, $"{where} lists buffer '{buffer}' but the file has no tensor '{key}'");
                if (!t.DType.IsFloating())
                    throw Bad(source, $"optimizer buffer '{key}' is {t.DType.TorchName()}, not a floating-point tensor");
                s.Buffers[buffer] = t;
                used.Add(key);
            }
            state[index] = s;
        }
        foreach (var key in tensors.Keys)
            if (!used.Contains(key))
                throw Bad(source, $"tensor '{key}' belongs to no parameter state listed in the '{MetadataKey}' metadata");

        var names = Array.Empty<string?>();
        if (root.TryGetProperty("param_names", out var namesJson))
            names = Expect(namesJson, JsonValueKind.Array, "'param_names'", source).EnumerateArray()
                .Select(x => x.ValueKind == JsonValueKind.Null ? null : Expect(x, JsonValueKind.String, "a parameter name", source).GetString())
                .ToArray();
        return (new OptimizerStateDict { Optimizer = name, ParamGroups = groups, State = state }, names);
    }

    static JsonElement Get(JsonElement obj, string property, string source) =>
        obj.TryGetProperty(property, out var value) ? value : throw Bad(source, $"the '{MetadataKey}' metadata has no '{property}'");

    static JsonElement Expect(JsonElement e, JsonValueKind kind, string what, string source) =>
        e.ValueKind == kind ? e : throw Bad(source, $"{what} is a JSON {e.ValueKind.ToString().ToLowerInvariant()}, expected {kind.ToString().ToLowerInvariant()}");

    static int Index(JsonElement e, string what, string source) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) && v >= 0 ? v : throw Bad(source, $"{what} is {e.GetRawText()}, not a non-negative integer");

    static double Number(JsonElement e, string what, string source)
    {
        if (e.ValueKind == JsonValueKind.Number) return e.GetDouble();
        if (e.ValueKind == JsonValueKind.String && double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsFinite(v))
            return v;
        throw Bad(source, $"{what} is {e.GetRawText()}, not a number");
    }

    static InvalidDataException Bad(string source, string what) =>
        new($"checkpoint: {source} has corrupt optimizer state: {what}.");
}
