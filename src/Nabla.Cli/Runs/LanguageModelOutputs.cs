using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Models.Text;
using Nabla.Text;

namespace Nabla.Cli.Runs;

/// <summary>
/// The files of a language-model run in its --out folder, rewritten atomically after every epoch (a stopped run
/// keeps its last finished epoch): <c>MODEL.safetensors</c> (model and optimizer state, PyTorch names), the
/// vocabulary <c>MODEL.vocab.json</c> (written once), the sidecar <c>MODEL.json</c> and the perplexity curve
/// <c>MODEL-perplexity.png</c>.
/// </summary>
public sealed class LanguageModelOutputs(string folder, string model, LanguageModelConfig config, Vocabulary vocabulary, Action<string> warn)
    : ILanguageModelCallback
{
    readonly DateTime _started = DateTime.UtcNow;
    bool _vocabularyWritten;

    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The model's name, which names its files.</summary>
    public string Model { get; } = model;

    public string Checkpoint => Path.Combine(Folder, Model + ".safetensors");
    public string Sidecar => Path.ChangeExtension(Checkpoint, ".json");
    public string VocabularyFile => Path.Combine(Folder, Model + ".vocab.json");
    public string Plot => Path.Combine(Folder, Model + "-perplexity.png");
    public bool HasPlot { get; private set; } = true;

    /// <summary>The trainer whose model and optimizer are saved; set after it is built.</summary>
    public LanguageModelTrainer? Trainer { get; set; }

    /// <summary>A title suffix for the plot, e.g. " on The Time Machine".</summary>
    public string PlotTitle { get; init; } = model;

    public LanguageModelConfig Config { get; private set; } = config;

    public void OnEpochEnd(LanguageModelEpoch record, int epochs)
    {
        var trainer = Trainer ?? throw new InvalidOperationException("LanguageModelOutputs: the trainer was not set.");
        Directory.CreateDirectory(Folder);
        if (!_vocabularyWritten)
        {
            vocabulary.Save(VocabularyFile);
            _vocabularyWritten = true;
        }
        trainer.SaveCheckpoint(Checkpoint, new Dictionary<string, string> { ["model"] = Model });
        Config = Config with
        {
            Epochs = record.Epoch,
            TrainPerplexity = record.TrainPerplexity,
            ValPerplexity = record.ValPerplexity,
            TokensPerSecond = Math.Round(record.TokensPerSecond, 1),
            Seconds = (DateTime.UtcNow - _started).TotalSeconds,
        };
        Config.Save(Sidecar);
        if (HasPlot && !PlotRenderer.TryDraw(() => PerplexityPlot.Save(Plot, trainer.History, PlotTitle), "the perplexity curve", warn))
            HasPlot = false;
    }

    /// <summary>Records the test perplexity measured after the last epoch.</summary>
    public void SetTestPerplexity(double perplexity)
    {
        Config = Config with { TestPerplexity = perplexity, Seconds = (DateTime.UtcNow - _started).TotalSeconds };
        Config.Save(Sidecar);
    }

    /// <summary>The one-line JSON result of `nabla train char-lm|word-lm --json`.</summary>
    public string JsonLine(double seconds)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", Config.Model);
            json.WriteNumber("epochs", Config.Epochs);
            RunOutputs.Number(json, "train_perplexity", Config.TrainPerplexity);
            RunOutputs.Number(json, "val_perplexity", Config.ValPerplexity);
            RunOutputs.Number(json, "test_perplexity", Config.TestPerplexity);
            json.WriteNumber("seconds", Math.Round(seconds, 3));
            json.WriteString("checkpoint", Checkpoint);
            json.WriteNumber("tokens_per_second", Config.TokensPerSecond);
            json.WriteString("cell", Config.Cell);
            json.WriteNumber("vocab_size", Config.VocabSize);
            json.WriteNumber("parameters", Config.Parameters);
            json.WriteString("vocabulary", VocabularyFile);
            if (HasPlot) json.WriteString("plot", Plot);
            else json.WriteNull("plot");
            json.WriteString("data", Config.Data);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
