using System.Text.Json;

namespace Nabla.Tests.Support;

/// <summary>One recorded PyTorch computation: inputs, output, upstream gradient and input gradients.</summary>
public sealed record GoldenCase(string Name, Tensor[] Inputs, Tensor Output, Tensor? Upstream, Tensor?[]? Grads)
{
    public override string ToString() => Name;
}

/// <summary>Reads the JSON fixtures written by tools/golden (see tools/golden/common.py for the format).</summary>
public static class GoldenFixture
{
    static readonly Dictionary<string, IReadOnlyList<GoldenCase>> Cache = new();

    public static IReadOnlyList<GoldenCase> Load(string name)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(name, out var cached)) return cached;
            var path = Path.Combine(AppContext.BaseDirectory, "Golden", name + ".json");
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var cases = doc.RootElement.GetProperty("cases").EnumerateArray().Select(ReadCase).ToList();
            Cache[name] = cases;
            return cases;
        }
    }

    /// <summary>
    /// The cases of a fixture written in its own layout (not inputs / output / grads), by name, as raw JSON for the
    /// test to read.
    /// </summary>
    public static Dictionary<string, JsonElement> RawCases(string fixture) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", fixture + ".json"))).RootElement
            .GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);

    /// <summary>Case names for xunit's MemberData.</summary>
    public static IEnumerable<object[]> Names(string fixture) => Load(fixture).Select(c => new object[] { c.Name });

    public static GoldenCase Get(string fixture, string name) => Load(fixture).Single(c => c.Name == name);

    static GoldenCase ReadCase(JsonElement e)
    {
        var inputs = e.GetProperty("inputs").EnumerateArray().Select(ReadTensor).ToArray();
        var output = ReadTensor(e.GetProperty("output"));
        Tensor? upstream = e.TryGetProperty("upstream", out var u) ? ReadTensor(u) : null;
        Tensor?[]? grads = e.TryGetProperty("grads", out var g)
            ? g.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? null : ReadTensor(x)).ToArray()
            : null;
        return new GoldenCase(e.GetProperty("name").GetString()!, inputs, output, upstream, grads);
    }

    public static Tensor ReadTensor(JsonElement e)
    {
        var dtype = DTypes.Parse(e.GetProperty("dtype").GetString()!);
        var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var values = e.GetProperty("data").EnumerateArray().Select(ReadNumber).ToArray();
        // Tensor.From reads an empty shape as "1-D", so a 0-d fixture is reshaped to [] explicitly.
        var flat = new[] { values.Length };
        var tensor = dtype switch
        {
            DType.Float32 => Tensor.From(values.Select(v => (float)v).ToArray(), flat),
            DType.Float64 => Tensor.From(values, flat),
            DType.Int64 => Tensor.From(values.Select(v => (long)v).ToArray(), flat),
            _ => Tensor.From(values.Select(v => v != 0).ToArray(), flat),
        };
        return tensor.Reshape(shape);
    }

    static double ReadNumber(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, System.Globalization.CultureInfo.InvariantCulture),
        },
        _ => throw new FormatException($"Unexpected JSON value {e}"),
    };
}
