using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Training;

/// <summary>
/// The per-epoch records of a run (Keras's <c>History</c>), in epoch order, saveable as JSON (read back exactly:
/// numbers are written in their shortest round-trip form) or CSV (for spreadsheets and plotting). Both files are
/// written atomically.
/// </summary>
public sealed class TrainingHistory
{
    readonly List<EpochRecord> _epochs = new();

    public TrainingHistory(int? topK = null) => TopK = topK;

    /// <summary>The k of the top-k columns, or null when top-k accuracy is not measured.</summary>
    public int? TopK { get; }

    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    public int Count => _epochs.Count;

    public EpochRecord this[int index] => _epochs[index];

    /// <summary>The last record, or null before the first epoch ended.</summary>
    public EpochRecord? Last => _epochs.Count == 0 ? null : _epochs[^1];

    /// <summary>One metric over the epochs (null where an epoch did not measure it).</summary>
    public double?[] Series(string metric) => _epochs.Select(e => e.Get(metric)).ToArray();

    internal void Add(EpochRecord record)
    {
        if (record.Epoch != _epochs.Count + 1)
            throw new InvalidOperationException($"training history: expected the record of epoch {_epochs.Count + 1}, got epoch {record.Epoch}.");
        _epochs.Add(record);
    }

    /// <summary>The column names of the JSON objects and CSV header, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["epoch", "loss", "acc", "topk_acc", "val_loss", "val_acc", "val_topk_acc", "lr", "seconds", "samples_per_second"];

    static double?[] Values(EpochRecord e) =>
        [e.Epoch, e.Loss, e.Accuracy, e.TopKAccuracy, e.ValLoss, e.ValAccuracy, e.ValTopKAccuracy, e.Lr, e.Seconds, e.SamplesPerSecond];

    // ---- JSON ----

    /// <summary><c>{"top_k": 5, "epochs": [{"epoch": 1, "loss": 0.61, "acc": 0.78, ..., "val_loss": null, ...}]}</c></summary>
    public string ToJson(bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            WriteJson(json);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        if (TopK is { } k) json.WriteNumber("top_k", k);
        else json.WriteNull("top_k");
        json.WriteStartArray("epochs");
        foreach (var e in _epochs)
        {
            json.WriteStartObject();
            var values = Values(e);
            for (int i = 0; i < Columns.Count; i++) JsonNumbers.Write(json, Columns[i], values[i]);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote; <paramref name="source"/> names the text in error messages.</summary>
    public static TrainingHistory FromJson(string json, string source = "training history")
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return FromJson(doc.RootElement, source);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e);
        }
    }

    internal static TrainingHistory FromJson(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: the history must be a JSON object.");
        int? topK = root.TryGetProperty("top_k", out var k) && k.ValueKind != JsonValueKind.Null ? JsonNumbers.Int(k, $"{source}: top_k") : null;
        var history = new TrainingHistory(topK);
        if (!root.TryGetProperty("epochs", out var epochs) || epochs.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{source}: the history has no 'epochs' array.");
        foreach (var e in epochs.EnumerateArray())
        {
            string where = $"{source}: epoch record {history.Count + 1}";
            if (e.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where} is not an object.");
            double? Get(string name) => e.TryGetProperty(name, out var v) ? JsonNumbers.Read(v, $"{where}: '{name}'") : null;
            double Need(string name) => Get(name) ?? throw new InvalidDataException($"{where} has no '{name}'.");
            int epoch = (int)Need("epoch");
            if (epoch != history.Count + 1) throw new InvalidDataException($"{where} says epoch {epoch}; records must number the epochs 1, 2, 3, ...");
            history.Add(new EpochRecord(epoch, Need("loss"), Get("acc"), Get("topk_acc"), Get("val_loss"), Get("val_acc"),
                Get("val_topk_acc"), Need("lr"), Need("seconds"), Need("samples_per_second")));
        }
        return history;
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>, replacing it atomically.</summary>
    public void SaveJson(string path) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(ToJson())));

    public static TrainingHistory LoadJson(string path) => FromJson(File.ReadAllText(path), $"'{path}'");

    // ---- CSV ----

    /// <summary>
    /// A header (<see cref="Columns"/>, with <c>topk</c> spelled <c>top5</c> etc. when k is known) and one line per
    /// epoch; values use the invariant culture and round-trip; an unmeasured value is an empty field.
    /// </summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        string topk = TopK is { } k ? $"top{k}" : "topk";
        text.AppendJoin(',', Columns.Select(c => c.Replace("topk", topk))).Append('\n');
        foreach (var e in _epochs)
            text.AppendJoin(',', Values(e).Select(v => v is { } d ? d.ToString("R", CultureInfo.InvariantCulture) : "")).Append('\n');
        return text.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/>, replacing it atomically.</summary>
    public void SaveCsv(string path) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(ToCsv())));

    internal TrainingHistory Clone()
    {
        var copy = new TrainingHistory(TopK);
        foreach (var e in _epochs) copy.Add(e);
        return copy;
    }
}

/// <summary>Doubles in JSON: finite values as numbers, ±∞ and NaN as strings (as Python's json module and the optimizer checkpoint do), absent as null.</summary>
internal static class JsonNumbers
{
    public static void Write(Utf8JsonWriter json, string name, double? value)
    {
        if (value is not { } v) json.WriteNull(name);
        else if (double.IsFinite(v)) json.WriteNumber(name, v);
        else json.WriteString(name, v.ToString(CultureInfo.InvariantCulture));
    }

    public static double? Read(JsonElement v, string where) => v.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new InvalidDataException($"{where} should be a number, got {v.ValueKind}: {v.GetRawText()}."),
    };

    public static int Int(JsonElement v, string where) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i
            : throw new InvalidDataException($"{where} should be an integer, got {v.GetRawText()}.");
}
