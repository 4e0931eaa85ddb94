using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.IO;
using Nabla.Models.Translation;

namespace Nabla.Cli.Runs;

/// <summary>One epoch of a translation run: loss per target token, greedy BLEU on the progress sample of held-out sources, wall time.</summary>
public sealed record TranslationEpochRecord(int Epoch, double LossPerToken, double? SampleBleu, double Seconds);

/// <summary>A held-out source with its references, the model's beam-search translation and its best sentence BLEU (notes' k = 2) over the references.</summary>
public sealed record TranslationExampleRecord(string Source, string Translation, IReadOnlyList<string> References, double Bleu);

/// <summary>
/// The JSON sidecar of a translation checkpoint (<c>translate-transformer.safetensors</c> → <c>.json</c>): what
/// `nabla translate` needs to rebuild the model (architecture, sizes, the two vocabulary files beside it, the
/// longest sentence it was built for), how it was trained, and how it scored. Keys are snake_case.
/// </summary>
public sealed record TranslationRunConfig
{
    public const string CurrentFormat = "nabla-translate/1";

    public string Format { get; init; } = CurrentFormat;

    // What translate needs to rebuild the model.
    public required string Arch { get; init; }
    public required int SourceVocabSize { get; init; }
    public required int TargetVocabSize { get; init; }
    public required string SourceVocabulary { get; init; }
    public required string TargetVocabulary { get; init; }
    public required int Embed { get; init; }
    public required int Hidden { get; init; }
    public required int Layers { get; init; }
    public int Heads { get; init; }
    public int FeedForward { get; init; }
    public double Dropout { get; init; }
    /// <summary>Tokens per sentence the data kept (words and punctuation, without &lt;eos&gt;).</summary>
    public int MaxTokens { get; init; }
    /// <summary>The decoding limit: max_tokens + 1 (the &lt;eos&gt;).</summary>
    public int NumSteps { get; init; }
    /// <summary>The longest sequence the Transformer's positional table covers.</summary>
    public int MaxLength { get; init; }
    public long Parameters { get; init; }

    // How it was trained.
    public string Data { get; init; } = "";
    public int TrainPairs { get; init; }
    public int HeldOutPairs { get; init; }
    public int HeldOutSources { get; init; }
    public double HeldOutFraction { get; init; }
    public int MinFreq { get; init; }
    public string Optimizer { get; init; } = "";
    public double Lr { get; init; }
    public int WarmupSteps { get; init; }
    public int BatchSize { get; init; }
    public double Clip { get; init; }
    public int Epochs { get; init; }
    public int Seed { get; init; }
    public int? Threads { get; init; }
    public string Checkpoint { get; init; } = "";
    public IReadOnlyList<TranslationEpochRecord> History { get; init; } = [];

    // How it scored on the held-out set (corpus BLEU; multi-reference: all translations of a source).
    public int SampleSources { get; init; }
    public double? BleuGreedy { get; init; }
    public double? BleuGreedySingleReference { get; init; }
    public double? BleuBeam { get; init; }
    public double? BleuBeamSingleReference { get; init; }
    public int BeamSize { get; init; }
    public IReadOnlyList<TranslationExampleRecord> Examples { get; init; } = [];
    public double Seconds { get; init; }

    static JsonSerializerOptions Options => SidecarJson.Options;

    public string ToJson() => SidecarJson.Serialize(this);

    public void Save(string path) => SidecarJson.Save(path, this);

    /// <summary>The model this sidecar describes, freshly initialised (load the checkpoint into it).</summary>
    public TranslationModel CreateModel(Generator? generator = null) => Arch switch
    {
        TranslationRecipe.Seq2Seq => EncoderDecoder.Create(SourceVocabSize, TargetVocabSize, Embed, Hidden, Layers, Dropout, generator: generator),
        TranslationRecipe.Seq2SeqAttention => EncoderDecoder.CreateWithAttention(SourceVocabSize, TargetVocabSize, Embed, Hidden, Layers, Dropout, generator: generator),
        TranslationRecipe.Transformer => new TransformerTranslator(SourceVocabSize, TargetVocabSize, Hidden, Heads, Layers, Layers, FeedForward, Dropout,
            maxLength: MaxLength, generator: generator),
        _ => throw new InvalidDataException($"translation sidecar: unknown architecture '{Arch}'; the architectures are {string.Join(", ", TranslationRecipe.Names)}."),
    };

    /// <summary>Reads and checks a sidecar; every problem is an exception naming the file.</summary>
    public static TranslationRunConfig Load(string path, string command)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{command}: the checkpoint's sidecar '{path}' is missing; `nabla train translate` writes it next to the " +
                "checkpoint and it describes the model to rebuild. Keep the .json and both .vocab.json files with the .safetensors file.", path);
        string text = File.ReadAllText(path);
        string? format = SidecarJson.ReadFormat(path, text, command);
        if (format != CurrentFormat)
            throw new InvalidDataException($"{command}: the sidecar '{path}' has format '{format ?? "(none)"}', expected '{CurrentFormat}' " +
                "(a checkpoint of `nabla train translate`).");
        TranslationRunConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<TranslationRunConfig>(text, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{command}: the sidecar '{path}' is not a valid translation-model description: {e.Message}", e);
        }
        if (config is null) throw new InvalidDataException($"{command}: the sidecar '{path}' holds null, not a translation-model description.");
        bool transformer = config.Arch == TranslationRecipe.Transformer;
        if (TranslationRecipe.Find(config.Arch) is null || config.SourceVocabSize < 1 || config.TargetVocabSize < 1 || config.Hidden < 1 || config.Layers < 1
            || config.Embed < 1 || config.NumSteps < 2 || !(config.Dropout >= 0 && config.Dropout < 1)
            || (transformer && (config.Heads < 1 || config.Hidden % config.Heads != 0 || config.FeedForward < 1 || config.MaxLength < config.NumSteps)))
            throw new InvalidDataException($"{command}: the sidecar '{path}' has an impossible configuration (arch '{config.Arch}', vocabularies {config.SourceVocabSize}/{config.TargetVocabSize}, " +
                $"embed {config.Embed}, hidden {config.Hidden}, layers {config.Layers}, heads {config.Heads}, feed-forward {config.FeedForward}, dropout {config.Dropout}, " +
                $"num_steps {config.NumSteps}, max_length {config.MaxLength}).");
        return config;
    }
}
