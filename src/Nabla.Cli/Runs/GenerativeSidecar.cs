using System.Text;
using System.Text.Json;

namespace Nabla.Cli.Runs;

/// <summary>
/// The JSON sidecar of `nabla train vae|autoencoder|gan|cgan`: what every such run records, the run's own fields,
/// its losses per epoch and the checkpoint it wrote.
/// </summary>
internal static class GenerativeSidecar
{
    public sealed record RunFacts(string Model, string Description, long Parameters, DataSource Source, ImageData Data, string Optimizer,
        double Lr, int BatchSize, int Seed, double Seconds, string Checkpoint);

    /// <param name="history">per epoch: named values (rounded to their digits), after the epoch number.</param>
    /// <param name="own">the run's own fields, written after the common ones.</param>
    public static string Write(RunFacts run, IReadOnlyList<(string Name, double Value, int Digits)[]> history, Action<Utf8JsonWriter> own)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", run.Model);
            json.WriteString("description", run.Description);
            json.WriteNumber("parameters", run.Parameters);
            json.WriteString("data", run.Source.Folder);
            json.WriteBoolean("sample", run.Source.IsSample);
            json.WriteNumber("train_images", run.Data.Train!.Count);
            json.WriteNumber("test_images", run.Data.Test.Count);
            json.WriteString("optimizer", run.Optimizer);
            json.WriteNumber("lr", run.Lr);
            json.WriteNumber("batch_size", run.BatchSize);
            json.WriteNumber("seed", run.Seed);
            json.WriteNumber("epochs", history.Count);
            json.WriteNumber("seconds", Math.Round(run.Seconds, 2));
            own(json);
            json.WriteStartArray("history");
            for (int e = 0; e < history.Count; e++)
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", e + 1);
                foreach (var (name, value, digits) in history[e]) json.WriteNumber(name, Math.Round(value, digits));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("checkpoint", run.Checkpoint);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
