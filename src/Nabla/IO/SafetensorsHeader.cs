using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nabla.IO;

/// <summary>One tensor of a safetensors file: its dtype, shape and byte range in the data buffer.</summary>
internal sealed record SafetensorsEntry(string Name, DType DType, int[] Shape, long Begin, long End);

/// <summary>
/// The JSON header of a safetensors file: writing it (padded with spaces to a multiple of 8 bytes, as the reference
/// implementation does, so the data buffer starts 8-byte aligned) and reading it back with every check a corrupt or
/// hostile file needs before a single tensor is allocated.
/// </summary>
internal static class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    public static string Code(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        _ => "BOOL",
    };

    static DType? FromCode(string code) => code switch
    {
        "F32" => DType.Float32,
        "F64" => DType.Float64,
        "I64" => DType.Int64,
        "BOOL" => DType.Bool,
        _ => null,
    };

    /// <summary>The header bytes for <paramref name="tensors"/> laid out back to back in the given order.</summary>
    public static byte[] Write(IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping writes non-ASCII names as UTF-8, as the reference writer does; the JSON is equally valid.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    if (value is null) throw new ArgumentException($"safetensors: metadata value for '{key}' is null; metadata maps strings to strings.");
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                long bytes = (long)tensor.NumElements * tensor.DType.ElementSize();
                json.WriteStartObject(name);
                json.WriteString("dtype", Code(tensor.DType));
                json.WriteStartArray("shape");
                foreach (var d in tensor._shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    /// <summary>
    /// Parses and validates a header for a data buffer of <paramref name="bufferLength"/> bytes. Entries come back in
    /// data order (the order they were written); the buffer must be covered exactly, without gaps or overlaps.
    /// </summary>
    public static List<SafetensorsEntry> Parse(byte[] header, long bufferLength, string source, out Dictionary<string, string> metadata)
    {
        // JsonDocument accepts invalid UTF-8 inside strings and fails later, when a name is read; check it up front.
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw Safetensors.Corrupt(source, $"the {header.Length}-byte header is not valid UTF-8 text");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw Safetensors.Corrupt(source, $"the {header.Length}-byte header is not valid JSON ({e.Message})");
        }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw Safetensors.Corrupt(source, $"the header is a JSON {Kind(doc.RootElement)}, not an object of tensors");

        metadata = new Dictionary<string, string>();
        var entries = new List<SafetensorsEntry>();
        var names = new HashSet<string>();
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (!names.Add(property.Name))
                throw Safetensors.Corrupt(source, $"the header names '{property.Name}' twice");
            if (property.Name == MetadataKey) metadata = ParseMetadata(property.Value, source);
            else entries.Add(ParseEntry(property.Name, property.Value, source));
        }

        foreach (var e in entries)
            if (e.End > bufferLength)
                throw Safetensors.Corrupt(source, $"tensor '{e.Name}' needs bytes [{e.Begin}, {e.End}) of the data buffer, which has only {bufferLength} bytes (the file is truncated or the offsets are wrong)");

        // Stable sort by position: equal begins only happen for empty tensors, which keep their header order.
        var ordered = entries.Select((e, i) => (e, i)).OrderBy(x => x.e.Begin).ThenBy(x => x.e.End).ThenBy(x => x.i).Select(x => x.e).ToList();
        long position = 0;
        SafetensorsEntry? previous = null;
        foreach (var e in ordered)
        {
            if (e.Begin < position)
                throw Safetensors.Corrupt(source, $"tensor '{e.Name}' at bytes [{e.Begin}, {e.End}) overlaps tensor '{previous!.Name}' at [{previous.Begin}, {previous.End})");
            if (e.Begin > position)
                throw Safetensors.Corrupt(source, $"bytes [{position}, {e.Begin}) of the data buffer belong to no tensor (the next one is '{e.Name}'); tensors must be laid out back to back");
            position = e.End;
            previous = e;
        }
        if (position != bufferLength)
            throw Safetensors.Corrupt(source, $"the data buffer has {bufferLength} bytes but its tensors cover only {position} (trailing bytes after the last tensor)");
        return ordered;
    }

    static Dictionary<string, string> ParseMetadata(JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Safetensors.Corrupt(source, $"'{MetadataKey}' is a JSON {Kind(value)}, not an object of strings");
        var metadata = new Dictionary<string, string>();
        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
                throw Safetensors.Corrupt(source, $"metadata entry '{p.Name}' is a JSON {Kind(p.Value)}; metadata values must be strings");
            if (!metadata.TryAdd(p.Name, p.Value.GetString()!))
                throw Safetensors.Corrupt(source, $"metadata names '{p.Name}' twice");
        }
        return metadata;
    }

    static SafetensorsEntry ParseEntry(string name, JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Safetensors.Corrupt(source, $"the entry of tensor '{name}' is a JSON {Kind(value)}, not an object with dtype, shape and data_offsets");
        string code = Field(name, value, "dtype", JsonValueKind.String, source).GetString()!;
        var dtype = FromCode(code)
            ?? throw Safetensors.Corrupt(source, $"tensor '{name}' has dtype '{code}', which Nabla does not read (supported: F32, F64, I64, BOOL)");

        var shapeJson = Field(name, value, "shape", JsonValueKind.Array, source);
        var shape = new int[shapeJson.GetArrayLength()];
        long numel = 1;
        int k = 0;
        foreach (var d in shapeJson.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long size) || size < 0)
                throw Safetensors.Corrupt(source, $"tensor '{name}' has shape {shapeJson.GetRawText()}, whose dimension {k} is not a non-negative integer");
            if (size > int.MaxValue || (numel *= size) > int.MaxValue)
                throw Safetensors.Corrupt(source, $"tensor '{name}' has shape {shapeJson.GetRawText()}, more than the {int.MaxValue} elements a Nabla tensor can hold");
            shape[k++] = (int)size;
        }

        var offsets = Field(name, value, "data_offsets", JsonValueKind.Array, source);
        long begin = -1, end = -1;
        if (offsets.GetArrayLength() == 2)
        {
            begin = Offset(offsets[0]);
            end = Offset(offsets[1]);
        }
        if (begin < 0 || end < 0)
            throw Safetensors.Corrupt(source, $"tensor '{name}' has data_offsets {offsets.GetRawText()}; expected two non-negative integers [begin, end]");
        if (end < begin)
            throw Safetensors.Corrupt(source, $"tensor '{name}' has data_offsets [{begin}, {end}], which end before they begin");
        long expected = numel * dtype.ElementSize();
        if (end - begin != expected)
            throw Safetensors.Corrupt(source, $"tensor '{name}' of shape {Backends.Cpu.Layout.Format(shape)} and dtype {code} needs {expected} bytes, but its data_offsets [{begin}, {end}] span {end - begin}");
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    static long Offset(JsonElement e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) && v >= 0 ? v : -1;

    static JsonElement Field(string tensor, JsonElement entry, string field, JsonValueKind kind, string source)
    {
        if (!entry.TryGetProperty(field, out var value))
            throw Safetensors.Corrupt(source, $"the entry of tensor '{tensor}' has no '{field}'");
        if (value.ValueKind != kind)
            throw Safetensors.Corrupt(source, $"the '{field}' of tensor '{tensor}' is a JSON {Kind(value)}, expected {(kind == JsonValueKind.Array ? "an array" : "a string")}");
        return value;
    }

    static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();
}
