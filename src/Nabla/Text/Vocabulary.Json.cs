using System.Text.Json;
using Nabla.IO;

namespace Nabla.Text;

/// <summary>Save and Load: a small JSON document, so a trained model's vocabulary travels beside its checkpoint.</summary>
public sealed partial class Vocabulary
{
    const string Format = "nabla-vocabulary";
    const int Version = 1;

    /// <summary>
    /// Writes {"format", "version", "min_freq", "tokens": [...by id], "frequencies": [...by id]} atomically: a
    /// reader sees the old file or the complete new one, never half of it.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteNumber("min_freq", MinFrequency);
            json.WriteStartArray("tokens");
            foreach (var t in _tokens) json.WriteStringValue(t);
            json.WriteEndArray();
            json.WriteStartArray("frequencies");
            foreach (int f in _frequencies) json.WriteNumberValue(f);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>Reads a file written by <see cref="Save"/>; anything else throws <see cref="InvalidDataException"/> naming the file.</summary>
    public static Vocabulary Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"vocabulary: the file '{path}' does not exist.", path);
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad(path, "the document is not a JSON object");
            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
                throw Bad(path, $"\"format\" is not \"{Format}\"");
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int v) || v != Version)
                throw Bad(path, $"\"version\" is not {Version}");
            int minFreq = root.TryGetProperty("min_freq", out var mf) && mf.ValueKind == JsonValueKind.Number && mf.TryGetInt32(out int m) && m >= 1 ? m
                : throw Bad(path, "\"min_freq\" is missing or not a positive integer");

            var tokens = ReadArray(root, "tokens", path,
                static e => e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s ? (true, s) : (false, ""));
            var freqs = ReadArray(root, "frequencies", path,
                static e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int f) && f >= 0 ? (true, f) : (false, 0));
            if (tokens.Length == 0 || tokens[0] != Unk) throw Bad(path, $"token 0 must be \"{Unk}\"");
            if (freqs.Length != tokens.Length) throw Bad(path, $"{tokens.Length} tokens but {freqs.Length} frequencies");
            var unique = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in tokens)
                if (!unique.Add(t)) throw Bad(path, $"the token {Quote(t)} appears twice");
            return new Vocabulary(tokens, freqs, minFreq);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"vocabulary: '{path}' is not valid JSON ({e.Message}).", e);
        }
    }

    static T[] ReadArray<T>(JsonElement root, string name, string path, Func<JsonElement, (bool Ok, T Value)> read)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Bad(path, $"\"{name}\" is missing or not an array");
        var items = new T[array.GetArrayLength()];
        int i = 0;
        foreach (var e in array.EnumerateArray())
        {
            var (ok, value) = read(e);
            if (!ok) throw Bad(path, $"\"{name}\"[{i}] has the wrong type or value");
            items[i++] = value;
        }
        return items;
    }

    static InvalidDataException Bad(string path, string why) =>
        new($"vocabulary: '{path}' is not a Nabla vocabulary file: {why}.");
}
