using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.IO;
using Nabla.Models.Text;

namespace Nabla.Cli.Runs;

/// <summary>
/// The JSON sidecar of a language-model checkpoint (<c>char-lm.safetensors</c> → <c>char-lm.json</c>), the text
/// models' counterpart of <see cref="RunConfig"/>: what `nabla generate` needs to rebuild the model (cell, sizes,
/// the vocabulary file beside it, the tokenizer and the cleaning the training text had), how it was trained and
/// its perplexities. Keys are snake_case; unknown keys are ignored on reading.
/// </summary>
public sealed record LanguageModelConfig
{
    public const string CurrentFormat = "nabla-lm/1";

    public string Format { get; init; } = CurrentFormat;

    // What generate needs to rebuild the model and read a prefix.
    public required string Model { get; init; }
    /// <summary>"rnn", "gru", "lstm", or "transformer" for gpt (then HiddenSize is d_model).</summary>
    public required string Cell { get; init; }
    public required int HiddenSize { get; init; }
    /// <summary>gpt only: attention heads, feed-forward width, window length (position table), tied head.</summary>
    public int NumHeads { get; init; }
    public int DimFeedforward { get; init; }
    public int MaxLen { get; init; }
    public bool TieWeights { get; init; }
    public required int NumLayers { get; init; }
    /// <summary>Embedding width; 0 for one-hot inputs.</summary>
    public required int EmbedSize { get; init; }
    public double Dropout { get; init; }
    public required int VocabSize { get; init; }
    /// <summary>The vocabulary file, relative to the checkpoint's folder.</summary>
    public required string Vocabulary { get; init; }
    /// <summary>"char" or "word".</summary>
    public required string Tokenizer { get; init; }
    /// <summary>"timemachine" (lowercase letters and spaces, the notes' cleaning) or "none".</summary>
    public string Cleaning { get; init; } = "none";
    public long Parameters { get; init; }

    // How it was trained.
    public string Data { get; init; } = "";
    public string Optimizer { get; init; } = "";
    public double Lr { get; init; }
    public double Momentum { get; init; }
    public double? WeightDecay { get; init; }
    public string Schedule { get; init; } = "none";
    public int BatchSize { get; init; }
    public int NumSteps { get; init; }
    public string Sampling { get; init; } = "";
    public double? Clip { get; init; }
    public int Epochs { get; init; }
    public int Seed { get; init; }
    public int? Limit { get; init; }
    public int? Threads { get; init; }
    public string Checkpoint { get; init; } = "";

    // How it scored.
    public double? TrainPerplexity { get; init; }
    public double? ValPerplexity { get; init; }
    public double? TestPerplexity { get; init; }
    public double TokensPerSecond { get; init; }
    public double Seconds { get; init; }

    static JsonSerializerOptions Options => SidecarJson.Options;

    public string ToJson() => SidecarJson.Serialize(this);

    public void Save(string path) => SidecarJson.Save(path, this);

    /// <summary>The model this sidecar describes, freshly initialised (load the checkpoint into it).</summary>
    public ILanguageModel CreateModel(Generator? generator = null) => IsTransformer
        ? new GptLanguageModel(VocabSize, MaxLen, HiddenSize, NumHeads, NumLayers, DimFeedforward, Dropout, TieWeights, generator: generator)
        : new RnnLanguageModel(VocabSize, Cell, HiddenSize, NumLayers, EmbedSize, Dropout, generator: generator);

    [JsonIgnore]
    public bool IsTransformer => Cell == LanguageModelRecipe.TransformerCell;

    /// <summary>The model in words, e.g. "lstm 1×256" or "transformer 2×128 (4 heads)".</summary>
    [JsonIgnore]
    public string Shape => IsTransformer ? $"transformer {NumLayers}×{HiddenSize} ({NumHeads} heads, feed-forward {DimFeedforward}, max_len {MaxLen})" : $"{Cell} {NumLayers}×{HiddenSize}";

    /// <summary>Reads and checks a sidecar; every problem is an exception naming the file.</summary>
    public static LanguageModelConfig Load(string path, string command)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{command}: the checkpoint's sidecar '{path}' is missing; `nabla train char-lm|word-lm|gpt` writes it next to the " +
                "checkpoint and it describes the model to rebuild. Keep the .json (and the .vocab.json) with the .safetensors file.", path);
        string text = File.ReadAllText(path);
        string? format = SidecarJson.ReadFormat(path, text, command);
        if (format == RunConfig.CurrentFormat)
            throw new InvalidDataException($"{command}: '{path}' describes an image model trained by `nabla train` (format {format}); " +
                $"{command} works with the language models char-lm, word-lm and gpt. Use `nabla eval` for image checkpoints.");
        if (format != CurrentFormat)
            throw new InvalidDataException($"{command}: the sidecar '{path}' has format '{format ?? "(none)"}', expected '{CurrentFormat}'.");
        LanguageModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<LanguageModelConfig>(text, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{command}: the sidecar '{path}' is not a valid language-model description: {e.Message}", e);
        }
        if (config is null) throw new InvalidDataException($"{command}: the sidecar '{path}' holds null, not a language-model description.");
        if (config.IsTransformer && (config.NumHeads < 1 || config.HiddenSize % config.NumHeads != 0 || config.DimFeedforward < 1 || config.MaxLen < 1))
            throw new InvalidDataException($"{command}: the sidecar '{path}' has an impossible transformer configuration (hidden_size {config.HiddenSize}, num_heads {config.NumHeads}, " +
                $"dim_feedforward {config.DimFeedforward}, max_len {config.MaxLen}).");
        if (!(RecurrentCells.IsKnown(config.Cell) || config.IsTransformer) || config.HiddenSize < 1 || config.NumLayers < 1 || config.EmbedSize < 0 || config.VocabSize < 1
            || config.Tokenizer is not ("char" or "word") || !(config.Dropout >= 0 && config.Dropout < 1))
            throw new InvalidDataException($"{command}: the sidecar '{path}' has an impossible configuration (cell '{config.Cell}', hidden_size {config.HiddenSize}, " +
                $"num_layers {config.NumLayers}, embed_size {config.EmbedSize}, vocab_size {config.VocabSize}, tokenizer '{config.Tokenizer}', dropout {config.Dropout}).");
        return config;
    }
}
