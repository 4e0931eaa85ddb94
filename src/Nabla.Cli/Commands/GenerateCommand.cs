using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Cli.Runs;
using Nabla.IO;
using Nabla.Models.Text;
using Nabla.NN;
using Nabla.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Nabla.Cli.Commands;

/// <summary>
/// `nabla generate CHECKPOINT --prefix TEXT`: rebuilds the language model its sidecar describes, loads the weights
/// and the vocabulary beside it, warms the state up on the prefix and continues it token by token: greedy (argmax,
/// the notes' predict_ch8), sample (softmax(logits / T)) or topk (the same over the k most likely tokens), seeded.
/// A gpt checkpoint works the same way; it reads the last max_len tokens of a longer prefix (all it can see at once)
/// and then slides its window over the text it writes.
/// </summary>
/// <remarks>
/// A prefix token the vocabulary lacks is an error naming it for character models (the prefix would silently
/// change); word models map unknown words to &lt;unk&gt;, as their training text did (PTB's rare words are
/// &lt;unk&gt;), and say which words they mapped.
/// </remarks>
public sealed class GenerateCommand(IAnsiConsole console, ErrorConsole errors) : Command<GenerateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<CHECKPOINT>")]
        [Description("A .safetensors file written by `nabla train char-lm`, `nabla train word-lm` or `nabla train gpt`, with its .json sidecar and .vocab.json next to it.")]
        public string Checkpoint { get; set; } = "";

        [CommandOption("--prefix <TEXT>")]
        [Description("The text to continue (required); the model reads it first.")]
        public string? Prefix { get; set; }

        [CommandOption("--length <N>")]
        [Description("Tokens (characters or words) to generate after the prefix (default 200).")]
        [DefaultValue(200)]
        public int Length { get; set; } = 200;

        [CommandOption("--strategy <NAME>")]
        [Description("greedy (the most likely token, deterministic), sample (from softmax(logits / temperature)) or topk (sample among the --top-k most likely). Default greedy.")]
        [DefaultValue("greedy")]
        public string Strategy { get; set; } = "greedy";

        [CommandOption("--temperature <T>")]
        [Description("Sampling temperature for sample and topk, > 0: below 1 sharper, above 1 flatter (default 1).")]
        [DefaultValue(1.0)]
        public double Temperature { get; set; } = 1.0;

        [CommandOption("--top-k <K>")]
        [Description("How many of the most likely tokens topk samples from (default 5).")]
        [DefaultValue(5)]
        public int TopK { get; set; } = 5;

        [CommandOption("--seed <N>")]
        [Description("Seed of the sampling (default 0); the same seed gives the same text.")]
        [DefaultValue(0)]
        public int Seed { get; set; }

        [CommandOption("--json")]
        [Description("Print one JSON line: model, prefix, text, generated, strategy, temperature, top_k, seed, checkpoint.")]
        public bool Json { get; set; }

        public override ValidationResult Validate()
        {
            if (Prefix is null) return ValidationResult.Error("generate: --prefix is required: the text the model continues, e.g. --prefix \"time traveller\".");
            if (Prefix.Length == 0) return ValidationResult.Error("generate: --prefix is empty; give at least one character or word to start from.");
            if (Length < 0) return ValidationResult.Error($"--length must be 0 or more, got {Length}.");
            if (!Decoding.Names.Contains(Strategy.ToLowerInvariant()))
                return ValidationResult.Error($"--strategy: unknown strategy '{Strategy}'; the strategies are {string.Join(", ", Decoding.Names)}.");
            if (!(Temperature > 0 && double.IsFinite(Temperature))) return ValidationResult.Error($"--temperature must be a finite number greater than 0, got {Temperature.ToString(CultureInfo.InvariantCulture)}.");
            if (TopK < 1) return ValidationResult.Error($"--top-k must be at least 1, got {TopK}.");
            return ValidationResult.Success();
        }

        public Decoding Decoding => Strategy.ToLowerInvariant() switch
        {
            "sample" => new Decoding(DecodingStrategy.Sample, Temperature),
            "topk" => new Decoding(DecodingStrategy.TopK, Temperature, TopK),
            _ => Decoding.Greedy,
        };
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        string checkpoint = Path.GetFullPath(s.Checkpoint);
        if (!File.Exists(checkpoint))
            throw new FileNotFoundException($"generate: the checkpoint '{s.Checkpoint}' does not exist.", checkpoint);
        var config = LanguageModelConfig.Load(Path.ChangeExtension(checkpoint, ".json"), "generate");
        string vocabPath = Path.Combine(Path.GetDirectoryName(checkpoint)!, config.Vocabulary);
        if (!File.Exists(vocabPath))
            throw new FileNotFoundException($"generate: the vocabulary '{vocabPath}' named by the sidecar is missing; keep the .vocab.json with the checkpoint.", vocabPath);
        var vocabulary = Vocabulary.Load(vocabPath);
        if (vocabulary.Count != config.VocabSize)
            throw new InvalidDataException($"generate: the vocabulary '{vocabPath}' has {vocabulary.Count} tokens but the sidecar says the model has {config.VocabSize}; the files belong to different runs.");

        var model = config.CreateModel();
        try
        {
            Checkpoint.Load(checkpoint, model.Module);
        }
        catch (StateDictException e)
        {
            throw new InvalidDataException($"generate: '{checkpoint}' does not hold the weights of the {config.Shape} model its sidecar describes. {e.Message}", e);
        }

        var tokenizer = LanguageModelData.ForTokenizer(config.Tokenizer);
        var (prefixIds, mapped) = EncodePrefix(s.Prefix!, tokenizer, vocabulary, config);
        if (mapped.Count > 0)
            errors.Console.MarkupLine($"[yellow]{Markup.Escape($"note: {mapped.Count} prefix word(s) are not in the vocabulary and were read as {Vocabulary.Unk}: {string.Join(", ", mapped.Select(Quote))}.")}[/]");

        // A Transformer sees at most max_len tokens at once, so only the prefix's last max_len can shape what follows.
        if (config.IsTransformer && prefixIds.Length > config.MaxLen) prefixIds = prefixIds[^config.MaxLen..];
        var decoding = s.Decoding;
        var ids = TextSampler.Generate(model, prefixIds, s.Length, decoding, new Generator(unchecked((ulong)s.Seed)));
        var generatedTokens = vocabulary.Decode(ids.Skip(prefixIds.Length));
        string generated = Render(tokenizer, generatedTokens, config.Tokenizer == "word");
        string text = config.Tokenizer == "word" ? (s.Prefix!.TrimEnd() + (generated.Length > 0 && !generated.StartsWith('\n') ? " " : "") + generated) : s.Prefix + generated;

        if (s.Json)
        {
            console.Profile.Out.Writer.WriteLine(JsonLine(config, s, checkpoint, text, generated));
            return 0;
        }
        console.Profile.Out.Writer.WriteLine(text);
        return 0;
    }

    /// <summary>The prefix's ids; character models refuse unknown characters, word models map unknown words to &lt;unk&gt; (listed).</summary>
    static (int[] Ids, List<string> Mapped) EncodePrefix(string prefix, ITokenizer tokenizer, Vocabulary vocabulary, LanguageModelConfig config)
    {
        var tokens = tokenizer.Tokenize(prefix);
        if (tokens.Count == 0)
            throw new ArgumentException($"generate: the prefix {Quote(prefix)} holds no {(config.Tokenizer == "word" ? "words" : "characters")}.");
        var mapped = new List<string>();
        if (config.Tokenizer == "word")
        {
            foreach (var t in tokens) if (!vocabulary.Contains(t) && !mapped.Contains(t)) mapped.Add(t);
            return (vocabulary.Encode(tokens), mapped);
        }
        var unknown = tokens.Where(t => !vocabulary.Contains(t)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            string cleaned = config.Cleaning == "timemachine" ? " The model was trained on The Time Machine cleaned to lowercase letters a-z and spaces." : "";
            throw new ArgumentException($"generate: the prefix has {unknown.Count} character(s) the model's vocabulary does not know: " +
                $"{string.Join(", ", unknown.Take(20).Select(Quote))}{(unknown.Count > 20 ? ", ..." : "")} (the vocabulary has {vocabulary.Count} tokens).{cleaned}");
        }
        return (vocabulary.Encode(tokens), mapped);
    }

    /// <summary>Generated tokens as text; word models start a new line for each &lt;eos&gt; (the end of a PTB sentence).</summary>
    static string Render(ITokenizer tokenizer, IReadOnlyList<string> tokens, bool words)
    {
        if (!words) return tokenizer.Detokenize(tokens);
        var sb = new StringBuilder();
        foreach (var t in tokens)
        {
            if (t == Vocabulary.Eos) { sb.Append('\n'); continue; }
            if (sb.Length > 0 && sb[^1] != '\n') sb.Append(' ');
            sb.Append(t);
        }
        return sb.ToString();
    }

    /// <summary>A token in a message: quoted, with invisible characters spelled out.</summary>
    static string Quote(string token) =>
        "'" + token.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "'";

    static string JsonLine(LanguageModelConfig config, Settings s, string checkpoint, string text, string generated)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", config.Model);
            json.WriteString("prefix", s.Prefix);
            json.WriteString("text", text);
            json.WriteString("generated", generated);
            json.WriteString("strategy", s.Strategy.ToLowerInvariant());
            json.WriteNumber("temperature", s.Temperature);
            json.WriteNumber("top_k", s.TopK);
            json.WriteNumber("seed", s.Seed);
            json.WriteString("checkpoint", checkpoint);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
