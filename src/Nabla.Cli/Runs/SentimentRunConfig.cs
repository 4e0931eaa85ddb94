using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.IO;

namespace Nabla.Cli.Runs;

/// <summary>
/// The JSON sidecar of a sentiment run (<c>sentiment-bilstm.safetensors</c> → <c>sentiment-bilstm.json</c>): what
/// rebuilds the model (architecture, vocabulary file, padding id), how the data was split and the model trained,
/// and how it scored — on the training sentences, on the validation slice carved from them, and on the held-out
/// test sentences. Its format differs from the image runs' <see cref="RunConfig"/>, so `nabla eval` refuses it
/// with a message instead of misreading it.
/// </summary>
public sealed record SentimentRunConfig
{
    public const string CurrentFormat = "nabla-train-sentiment/1";

    public string Format { get; init; } = CurrentFormat;

    // What rebuilds the model.
    public required string Model { get; init; }
    public string Architecture { get; init; } = "";
    public int VocabSize { get; init; }
    public string Vocabulary { get; init; } = "";
    public int PadId { get; init; }
    public int NumClasses { get; init; } = 2;
    public IReadOnlyList<string> Classes { get; init; } = ["negative", "positive"];
    public int EmbedSize { get; init; }
    public int Hidden { get; init; }
    public int Layers { get; init; }
    public long Parameters { get; init; }

    // The data and its split.
    public string Dataset { get; init; } = "uci-sentiment-labelled-sentences";
    public string Data { get; init; } = "";
    public string Split { get; init; } = "stratified";
    public double TestFraction { get; init; }
    public double ValidationFraction { get; init; }
    public int TrainSentences { get; init; }
    public int ValidationSentences { get; init; }
    public int TestSentences { get; init; }
    public int MinFreq { get; init; }
    public string Tokenizer { get; init; } = "lowercase; letters, digits and ' kept; , . ! ? as tokens; other symbols dropped";

    // How it was trained.
    public string Optimizer { get; init; } = "";
    public double Lr { get; init; }
    public double WeightDecay { get; init; }
    public int BatchSize { get; init; }
    public double EmbeddingDropout { get; init; }
    public double Dropout { get; init; }
    public double OutputDropout { get; init; }
    public string Pretrained { get; init; } = "none";
    public int Seed { get; init; }
    public int? Threads { get; init; }
    public string Checkpoint { get; init; } = "";

    // How it scored: the checkpoint holds the weights of BestEpoch (best validation SelectBy: "accuracy" or "loss";
    // training stopped after Patience epochs without a better one).
    public string SelectBy { get; init; } = "loss";
    public int? Patience { get; init; }
    public int Epochs { get; init; }
    public int? BestEpoch { get; init; }
    public double? TrainLoss { get; init; }
    public double? TrainAccuracy { get; init; }
    public double? ValidationLoss { get; init; }
    public double? ValidationAccuracy { get; init; }
    public double? TestLoss { get; init; }
    public double? TestAccuracy { get; init; }
    public double Seconds { get; init; }

    static JsonSerializerOptions Options => SidecarJson.Options;

    public string ToJson() => SidecarJson.Serialize(this);

    public void Save(string path) => SidecarJson.Save(path, this);

    public static SentimentRunConfig Load(string path) =>
        JsonSerializer.Deserialize<SentimentRunConfig>(File.ReadAllText(path), Options)
        ?? throw new InvalidDataException($"sentiment: the sidecar '{path}' holds null, not a run description.");
}
