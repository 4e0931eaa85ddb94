using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Optim.Schedules;

namespace Nabla.Training;

/// <summary>
/// Everything besides model and optimizer that a resumed run needs to continue exactly: progress, the monitor's
/// best value and early-stopping count, the loader identity and next epoch, schedule state, generator states and
/// the history. Stored as JSON in the checkpoint's metadata under <see cref="MetadataKey"/>, so one atomic file
/// holds a consistent snapshot (a separate side file could disagree with its checkpoint after a crash).
/// </summary>
internal sealed class TrainerState
{
    public const string MetadataKey = "nabla.trainer_state";
    public const string Format = "nabla.trainer_state";
    public const int Version = 1;

    public int Epoch;                  // completed epochs
    public long Steps;                 // optimizer steps taken
    public bool StoppedEarly;
    public string MonitorMetric = "";
    public MonitorMode MonitorMode;
    public double? Best;
    public int? BestEpoch;
    public int Wait;
    public int LoaderSeed;
    public bool LoaderShuffle;
    public int LoaderBatches;
    public int LoaderBatchSize;
    public int LoaderSamples;
    public int LoaderNextEpoch;
    public SchedulerStateDict? Scheduler;
    public SchedulerStateDict? PlateauScheduler;
    public List<GeneratorState> Generators = new();
    public TrainingHistory History = new();

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteNumber("epoch", Epoch);
            json.WriteNumber("steps", Steps);
            json.WriteBoolean("stopped_early", StoppedEarly);
            json.WriteStartObject("monitor");
            json.WriteString("metric", MonitorMetric);
            json.WriteString("mode", MonitorMode == MonitorMode.Max ? "max" : "min");
            JsonNumbers.Write(json, "best", Best);
            if (BestEpoch is { } be) json.WriteNumber("best_epoch", be); else json.WriteNull("best_epoch");
            json.WriteNumber("wait", Wait);
            json.WriteEndObject();
            json.WriteStartObject("loader");
            json.WriteNumber("seed", LoaderSeed);
            json.WriteBoolean("shuffle", LoaderShuffle);
            json.WriteNumber("batches", LoaderBatches);
            json.WriteNumber("batch_size", LoaderBatchSize);
            json.WriteNumber("samples", LoaderSamples);
            json.WriteNumber("next_epoch", LoaderNextEpoch);
            json.WriteEndObject();
            WriteScheduler(json, "scheduler", Scheduler);
            WriteScheduler(json, "plateau_scheduler", PlateauScheduler);
            json.WriteStartArray("generators");
            foreach (var g in Generators)
            {
                json.WriteStartObject();
                // 64-bit words as hex strings: JSON readers commonly hold numbers as doubles (53 bits).
                json.WriteString("s0", Hex(g.S0));
                json.WriteString("s1", Hex(g.S1));
                json.WriteString("s2", Hex(g.S2));
                json.WriteString("s3", Hex(g.S3));
                json.WriteBoolean("has_spare_normal", g.HasSpareNormal);
                JsonNumbers.Write(json, "spare_normal", g.SpareNormal);
                json.WriteString("initial_seed", Hex(g.InitialSeed));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WritePropertyName("history");
            History.WriteJson(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static string Hex(ulong v) => v.ToString("x16", CultureInfo.InvariantCulture);

    static void WriteScheduler(Utf8JsonWriter json, string name, SchedulerStateDict? state)
    {
        if (state is null)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartObject(name);
        json.WriteString("name", state.Scheduler);
        json.WriteStartObject("values");
        foreach (var (key, values) in state.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            json.WriteStartArray(key);
            foreach (var v in values)
                if (double.IsFinite(v)) json.WriteNumberValue(v);
                else json.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Parses and checks the JSON; every problem is an InvalidDataException naming <paramref name="source"/>.</summary>
    public static TrainerState FromJson(string text, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return Read(doc.RootElement, source);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the trainer state is not valid JSON ({e.Message}).", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or OverflowException)
        {
            throw new InvalidDataException($"{source}: the trainer state is malformed ({e.Message}).", e);
        }
    }

    static TrainerState Read(JsonElement root, string source)
    {
        string where = $"{source}: trainer state";
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where} is not a JSON object.");
        if (!root.TryGetProperty("format", out var format) || format.GetString() != Format)
            throw new InvalidDataException($"{where} lacks \"format\": \"{Format}\".");
        int version = root.GetProperty("version").GetInt32();
        if (version != Version)
            throw new InvalidDataException($"{where} has version {version}; this Nabla reads version {Version}.");

        var s = new TrainerState
        {
            Epoch = root.GetProperty("epoch").GetInt32(),
            Steps = root.GetProperty("steps").GetInt64(),
            StoppedEarly = root.GetProperty("stopped_early").GetBoolean(),
        };
        var monitor = root.GetProperty("monitor");
        s.MonitorMetric = monitor.GetProperty("metric").GetString() ?? "";
        s.MonitorMode = monitor.GetProperty("mode").GetString() switch
        {
            "min" => MonitorMode.Min,
            "max" => MonitorMode.Max,
            var m => throw new InvalidDataException($"{where}: unknown monitor mode '{m}'."),
        };
        s.Best = JsonNumbers.Read(monitor.GetProperty("best"), $"{where}: monitor best");
        var bestEpoch = monitor.GetProperty("best_epoch");
        s.BestEpoch = bestEpoch.ValueKind == JsonValueKind.Null ? null : bestEpoch.GetInt32();
        s.Wait = monitor.GetProperty("wait").GetInt32();

        var loader = root.GetProperty("loader");
        s.LoaderSeed = loader.GetProperty("seed").GetInt32();
        s.LoaderShuffle = loader.GetProperty("shuffle").GetBoolean();
        s.LoaderBatches = loader.GetProperty("batches").GetInt32();
        s.LoaderBatchSize = loader.GetProperty("batch_size").GetInt32();
        s.LoaderSamples = loader.GetProperty("samples").GetInt32();
        s.LoaderNextEpoch = loader.GetProperty("next_epoch").GetInt32();

        s.Scheduler = ReadScheduler(root.GetProperty("scheduler"), where);
        s.PlateauScheduler = ReadScheduler(root.GetProperty("plateau_scheduler"), where);
        foreach (var g in root.GetProperty("generators").EnumerateArray())
        {
            var spare = JsonNumbers.Read(g.GetProperty("spare_normal"), $"{where}: generator spare normal")
                ?? throw new InvalidDataException($"{where}: a generator's spare normal is null.");
            s.Generators.Add(new GeneratorState(ParseHex(g, "s0", where), ParseHex(g, "s1", where), ParseHex(g, "s2", where),
                ParseHex(g, "s3", where), g.GetProperty("has_spare_normal").GetBoolean(), spare, ParseHex(g, "initial_seed", where)));
        }
        s.History = TrainingHistory.FromJson(root.GetProperty("history"), $"{where}: history");

        if (s.Epoch < 0 || s.Steps < 0 || s.Wait < 0 || s.LoaderNextEpoch < 0)
            throw new InvalidDataException($"{where} has a negative count (epoch {s.Epoch}, steps {s.Steps}, wait {s.Wait}, loader epoch {s.LoaderNextEpoch}).");
        if (s.History.Count != s.Epoch)
            throw new InvalidDataException($"{where} says {s.Epoch} epochs were completed but its history has {s.History.Count} records.");
        if (s.BestEpoch is { } b && (b < 1 || b > s.Epoch || s.Best is null))
            throw new InvalidDataException($"{where} names best epoch {b}, which is not one of its {s.Epoch} completed epochs (or has no best value).");
        return s;
    }

    static ulong ParseHex(JsonElement g, string name, string where) =>
        ulong.TryParse(g.GetProperty(name).GetString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            ? v : throw new InvalidDataException($"{where}: generator word '{name}' is not a hexadecimal 64-bit number.");

    static SchedulerStateDict? ReadScheduler(JsonElement e, string where)
    {
        if (e.ValueKind == JsonValueKind.Null) return null;
        var name = e.GetProperty("name").GetString() ?? throw new InvalidDataException($"{where}: a schedule has no name.");
        var values = new Dictionary<string, double[]>();
        foreach (var p in e.GetProperty("values").EnumerateObject())
            values[p.Name] = p.Value.EnumerateArray()
                .Select(v => JsonNumbers.Read(v, $"{where}: schedule {name} '{p.Name}'") ?? throw new InvalidDataException($"{where}: schedule {name} '{p.Name}' holds null."))
                .ToArray();
        return new SchedulerStateDict(name, values);
    }
}
