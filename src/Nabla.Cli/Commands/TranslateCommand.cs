using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Nabla.Autograd;
using Nabla.Cli.Runs;
using Nabla.IO;
using Nabla.Models.Translation;
using Nabla.NN;
using Nabla.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Nabla.Cli.Commands;

/// <summary>
/// `nabla translate CHECKPOINT "he's calm ."`: rebuilds the translation model its sidecar describes, loads the
/// weights and both vocabularies beside it, preprocesses the sentence as the training pairs were (lowercase, a
/// space before , . ! ?), decodes it by beam search (greedy with --beam 1) and prints the French. With
/// --attention, draws the decoder's attention over the source for every generated token as a PNG heat map (the
/// Bahdanau weights of seq2seq-attn; the last decoder layer's cross-attention, averaged over heads, of the Transformer).
/// </summary>
/// <remarks>Unknown English words are read as &lt;unk&gt;, as in training, and listed on stderr.</remarks>
public sealed class TranslateCommand(IAnsiConsole console, ErrorConsole errors) : Command<TranslateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<CHECKPOINT>")]
        [Description("A .safetensors file written by `nabla train translate`, with its .json sidecar and both .vocab.json files next to it.")]
        public string Checkpoint { get; set; } = "";

        [CommandArgument(1, "<SENTENCE>")]
        [Description("The English sentence to translate, e.g. \"he's calm .\".")]
        public string Sentence { get; set; } = "";

        [CommandOption("--beam <N>")]
        [Description("Beam size (default 4); 1 is greedy search.")]
        [DefaultValue(4)]
        public int Beam { get; set; } = 4;

        [CommandOption("--attention <PNG>")]
        [Description("Write a heat map of the attention weights (rows: French tokens, columns: English tokens) to this PNG file.")]
        public string? Attention { get; set; }

        [CommandOption("--json")]
        [Description("Print one JSON line: source, tokens, translation, log_prob, beam, arch, checkpoint, attention.")]
        public bool Json { get; set; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Sentence)) return ValidationResult.Error("translate: the sentence is empty; give the English text to translate, e.g. \"he's calm .\".");
            if (Beam < 1) return ValidationResult.Error($"--beam must be at least 1, got {Beam}.");
            if (Attention is { Length: 0 }) return ValidationResult.Error("--attention needs the path of the PNG to write.");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        string checkpoint = Path.GetFullPath(s.Checkpoint);
        if (!File.Exists(checkpoint))
            throw new FileNotFoundException($"translate: the checkpoint '{s.Checkpoint}' does not exist.", checkpoint);
        var config = TranslationRunConfig.Load(Path.ChangeExtension(checkpoint, ".json"), "translate");
        var sourceVocab = LoadVocabulary(checkpoint, config.SourceVocabulary, config.SourceVocabSize, "source");
        var targetVocab = LoadVocabulary(checkpoint, config.TargetVocabulary, config.TargetVocabSize, "target");
        var model = config.CreateModel();
        try
        {
            Checkpoint.Load(checkpoint, model);
        }
        catch (StateDictException e)
        {
            throw new InvalidDataException($"translate: '{checkpoint}' does not hold the weights of the {config.Arch} model its sidecar describes. {e.Message}", e);
        }
        model.Eval();

        var words = TranslationPairs.Words(s.Sentence);
        if (words.Length == 0) throw new ArgumentException($"translate: the sentence {Quote(s.Sentence)} has no words.");
        var unknown = words.Where(w => !sourceVocab.Contains(w)).Distinct().ToList();
        if (unknown.Count > 0)
            errors.Console.MarkupLine($"[yellow]{Markup.Escape($"note: {unknown.Count} word(s) are not in the training vocabulary and were read as {Vocabulary.Unk}: {string.Join(", ", unknown.Select(Quote))}.")}[/]");
        var ids = Text.Padding.AppendEos(sourceVocab.Encode(words), sourceVocab[Vocabulary.Eos]);
        // Beyond the trained length the GRU models still run; the Transformer stops at its positional table (MaxLength).
        if (words.Length > config.MaxTokens)
            errors.Console.MarkupLine($"[yellow]{Markup.Escape($"note: the sentence has {words.Length} tokens; the model was trained on sentences of at most {config.MaxTokens}.")}[/]");
        var source = Tensor.From([.. ids.Select(i => (long)i)], 1, ids.Length);
        var options = new SearchOptions(targetVocab[Vocabulary.Bos], targetVocab[Vocabulary.Eos], Math.Max(config.NumSteps, 2 * words.Length + 2));
        Hypothesis best;
        using (new NoGrad())
            best = model.Beam(source, s.Beam, options).Best;
        var tokens = targetVocab.Decode(best.Tokens);
        string translation = string.Join(' ', tokens);

        string? heatmap = null;
        if (s.Attention is { } png)
        {
            heatmap = Path.GetFullPath(png);
            var sourceTokens = words.Append(Vocabulary.Eos).ToList();
            var targetTokens = tokens.Concat(best.Ended ? [Vocabulary.Eos] : []).ToList();
            var weights = AttentionOf(model, source, best, options.BosId);
            AttentionHeatmap.Save(heatmap, weights, sourceTokens, targetTokens, $"{config.Arch}: \"{s.Sentence.Trim()}\" → \"{translation}\"");
        }

        if (s.Json)
        {
            console.Profile.Out.Writer.WriteLine(JsonLine(s, config, checkpoint, words, translation, best, heatmap));
            return 0;
        }
        console.Profile.Out.Writer.WriteLine(translation);
        if (heatmap is not null) errors.Console.MarkupLine($"attention heat map  {Markup.Escape(heatmap)}");
        return 0;
    }

    /// <summary>
    /// The attention weights [generated tokens (with &lt;eos&gt; when it ended), source tokens] of the decoder while it
    /// reads &lt;bos&gt; + the translation: a teacher-forced pass over the chosen tokens gives the same weights as the search did.
    /// </summary>
    static double[,] AttentionOf(TranslationModel model, Tensor source, Hypothesis best, int bosId)
    {
        var fed = new long[best.Length];
        fed[0] = bosId;
        for (int t = 1; t < fed.Length; t++) fed[t] = best.Tokens[t - 1];
        var input = Tensor.From(fed, 1, fed.Length);
        Tensor weights;
        using (new NoGrad())
        {
            switch (model)
            {
                case TransformerTranslator transformer:
                    weights = transformer.CrossAttentionWeights(source, input);
                    break;
                case EncoderDecoder { Decoder: Seq2SeqAttentionDecoder decoder } gru:
                    gru.Forward(source, input);
                    weights = decoder.AttentionWeights!;
                    break;
                default:
                    throw new InvalidOperationException("translate: --attention needs a model with attention (--arch seq2seq-attn or transformer); " +
                        "the plain GRU encoder-decoder reads only the encoder's final state.");
            }
        }
        int rows = weights.Size(1), cols = weights.Size(2);
        var values = weights.Reshape(rows * cols).To(DType.Float64).ToArray<double>();
        var grid = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) grid[r, c] = values[r * cols + c];
        return grid;
    }

    static string Quote(string text) => "\"" + text + "\"";

    static Vocabulary LoadVocabulary(string checkpoint, string file, int expected, string side)
    {
        string path = Path.Combine(Path.GetDirectoryName(checkpoint)!, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"translate: the {side} vocabulary '{path}' named by the sidecar is missing; keep both .vocab.json files with the checkpoint.", path);
        var vocabulary = Vocabulary.Load(path);
        if (vocabulary.Count != expected)
            throw new InvalidDataException($"translate: the {side} vocabulary '{path}' has {vocabulary.Count} tokens but the sidecar says the model has {expected}; the files belong to different runs.");
        return vocabulary;
    }

    static string JsonLine(Settings s, TranslationRunConfig config, string checkpoint, string[] words, string translation, Hypothesis best, string? heatmap)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("source", s.Sentence);
            json.WriteString("tokens", string.Join(' ', words));
            json.WriteString("translation", translation);
            json.WriteNumber("log_prob", Math.Round(best.LogProb, 6));
            json.WriteBoolean("ended", best.Ended);
            json.WriteNumber("beam", s.Beam);
            json.WriteString("arch", config.Arch);
            json.WriteString("checkpoint", checkpoint);
            if (heatmap is not null) json.WriteString("attention", heatmap);
            else json.WriteNull("attention");
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
