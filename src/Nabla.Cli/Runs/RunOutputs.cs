using System.Text;
using System.Text.Json;
using Nabla.Training;

namespace Nabla.Cli.Runs;

/// <summary>
/// The files of a `nabla train` run in its --out folder, all written atomically after every epoch (so a run that
/// is stopped half-way still leaves a loadable checkpoint of its last finished epoch):
/// <c>MODEL.safetensors</c> (model, optimizer and trainer state; PyTorch parameter names), its sidecar
/// <c>MODEL.json</c>, the curves <c>MODEL-curves.png</c>, and the Trainer's <c>history.json</c>/<c>history.csv</c>.
/// </summary>
public sealed class RunOutputs(string folder, string model, RunConfig config, Action<string> warn) : ITrainingCallback
{
    readonly DateTime _started = DateTime.UtcNow;

    public string Folder { get; } = Path.GetFullPath(folder);
    public string Checkpoint => Path.Combine(Folder, model + ".safetensors");
    public string Sidecar => RunConfig.SidecarPath(Checkpoint);
    public string Plot => Path.Combine(Folder, model + "-curves.png");

    /// <summary>Whether the curves could be drawn (false when the native renderer is missing on this platform).</summary>
    public bool HasPlot { get; private set; } = true;

    /// <summary>The trainer whose state is saved; set after it is built (it owns this callback).</summary>
    public Trainer? Trainer { get; set; }

    /// <summary>The sidecar as last written.</summary>
    public RunConfig Config { get; private set; } = config;

    public void OnEpochEnd(EpochEndInfo info)
    {
        var trainer = Trainer ?? throw new InvalidOperationException("RunOutputs: the trainer was not set.");
        var r = info.Record;
        Directory.CreateDirectory(Folder);
        trainer.SaveCheckpoint(Checkpoint);
        Config = Config with
        {
            Epochs = r.Epoch,
            TrainLoss = r.Loss,
            TrainAccuracy = r.Accuracy,
            TestLoss = r.ValLoss,
            TestAccuracy = r.ValAccuracy,
            Seconds = (DateTime.UtcNow - _started).TotalSeconds,
        };
        Config.Save(Sidecar);
        if (HasPlot && !PlotRenderer.TryDraw(() => CurvePlot.Save(Plot, trainer.History, $"{model} on Fashion-MNIST{(Config.Sample ? " (shipped sample)" : "")}"),
                "the learning curves", warn))
            HasPlot = false;
    }

    /// <summary>The one-line JSON result of `nabla train --json`.</summary>
    public string JsonLine(double seconds)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", Config.Model);
            json.WriteNumber("epochs", Config.Epochs);
            Number(json, "train_loss", Config.TrainLoss);
            Number(json, "test_accuracy", Config.TestAccuracy);
            json.WriteNumber("seconds", Math.Round(seconds, 3));
            json.WriteString("checkpoint", Checkpoint);
            Number(json, "train_accuracy", Config.TrainAccuracy);
            Number(json, "test_loss", Config.TestLoss);
            if (HasPlot) json.WriteString("plot", Plot);
            else json.WriteNull("plot");
            json.WriteString("data", Config.Data);
            json.WriteBoolean("sample", Config.Sample);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }
}
