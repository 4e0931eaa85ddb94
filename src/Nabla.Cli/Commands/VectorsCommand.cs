using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Cli.Runs;
using Nabla.IO;
using Nabla.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Nabla.Cli.Commands;

/// <summary>
/// `nabla vectors word2vec|glove|fasttext`: trains word vectors on a corpus (the Penn Treebank by default, as the
/// notes' 14.3 does for word2vec), prints the nearest words of a few queries and the notes' analogies (14.7), and
/// writes the vectors in the GloVe text format with a JSON sidecar and a PNG of the loss per epoch.
/// </summary>
/// <remarks>
/// Query or analogy words missing from the vocabulary are listed on stderr and skipped (the defaults are the notes'
/// examples, not all of which a small corpus holds); an explicit list whose words are all missing is an error.
/// </remarks>
public sealed class VectorsCommand(IAnsiConsole console, ErrorConsole errors) : Command<VectorsCommand.Settings>
{
    public static readonly string[] Methods = ["word2vec", "glove", "fasttext"];

    /// <summary>The notes' examples (14.7): similar tokens of these words, and a : b :: c : ?.</summary>
    public const string DefaultQueries = "chip,baby,beautiful,stock,monday", DefaultAnalogies = "man:woman:son,beijing:china:tokyo,bad:worst:big,do:did:go";

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<METHOD>")]
        [Description("word2vec (skip-gram, negative sampling), glove (weighted least squares on co-occurrence counts) or fasttext (skip-gram over words and character n-grams).")]
        public string Method { get; set; } = "";

        [CommandOption("--corpus <NAME|FILE>")]
        [Description("ptb (the shipped Penn Treebank training split, default), timemachine (the shipped book) or a UTF-8 text file, a sentence per line.")]
        [DefaultValue("ptb")]
        public string Corpus { get; set; } = "ptb";

        [CommandOption("--limit <N>")]
        [Description("Train on the first N sentences only.")]
        public int? Limit { get; set; }

        [CommandOption("--dim <N>")]
        [Description("Vector width (default 100).")]
        [DefaultValue(100)]
        public int Dim { get; set; } = 100;

        [CommandOption("--epochs <N>")]
        [Description("Passes over the corpus (default: word2vec and fasttext 5, glove 50).")]
        public int? Epochs { get; set; }

        [CommandOption("--window <N>")]
        [Description("Context words on each side (default: 5 for word2vec and fasttext, 10 for glove).")]
        public int? Window { get; set; }

        [CommandOption("--min-count <N>")]
        [Description("Words seen fewer times get no vector of their own (default: word2vec and glove 5, fasttext 2).")]
        public int? MinCount { get; set; }

        [CommandOption("--x-max <X>")]
        [Description("glove only: the co-occurrence count from which a pair gets full weight (default 100, the paper's; 10 suits a corpus the size of PTB).")]
        public double? XMax { get; set; }

        [CommandOption("--seed <N>")]
        [Description("Seed of the initial vectors and of all sampling (default 0); the same seed gives the same vectors.")]
        [DefaultValue(0)]
        public int Seed { get; set; }

        [CommandOption("--query <WORDS>")]
        [Description("Comma-separated words whose nearest words are printed (default: the notes' chip, baby, beautiful, and stock, monday).")]
        public string? Query { get; set; }

        [CommandOption("--analogy <A:B:C,...>")]
        [Description("Comma-separated analogies a:b:c, each answered with the word d for which a : b is as c : d (default: the notes' four).")]
        public string? Analogy { get; set; }

        [CommandOption("--top <K>")]
        [Description("Nearest words printed per query (default 3).")]
        [DefaultValue(3)]
        public int Top { get; set; } = 3;

        [CommandOption("--out <DIR>")]
        [Description("Output folder (default runs/vectors-METHOD): vectors.txt, vectors.json, loss.png.")]
        public string? Out { get; set; }

        [CommandOption("--json")]
        [Description("Print the sidecar as one JSON line instead of the tables.")]
        public bool Json { get; set; }

        public override ValidationResult Validate()
        {
            if (!Methods.Contains(Method.ToLowerInvariant()))
                return ValidationResult.Error($"vectors: unknown method '{Method}'; the methods are {string.Join(", ", Methods)}.");
            if (Dim < 1) return ValidationResult.Error($"--dim must be at least 1, got {Dim}.");
            if (Epochs is < 1) return ValidationResult.Error($"--epochs must be at least 1, got {Epochs}.");
            if (Window is < 1) return ValidationResult.Error($"--window must be at least 1, got {Window}.");
            if (MinCount is < 1) return ValidationResult.Error($"--min-count must be at least 1, got {MinCount}.");
            if (Limit is < 1) return ValidationResult.Error($"--limit must be at least 1, got {Limit}.");
            if (Top < 1) return ValidationResult.Error($"--top must be at least 1, got {Top}.");
            if (XMax is { } x && !(x > 0 && double.IsFinite(x))) return ValidationResult.Error($"--x-max must be a finite number greater than 0, got {x.ToString(CultureInfo.InvariantCulture)}.");
            if (XMax is not null && !Method.Equals("glove", StringComparison.OrdinalIgnoreCase)) return ValidationResult.Error($"--x-max applies to glove, not to {Method}.");
            if (Analogy is not null && ParseAnalogies(Analogy) is null)
                return ValidationResult.Error($"--analogy: '{Analogy}' is not a comma-separated list of a:b:c triples, e.g. man:woman:son.");
            if (Query is not null && SplitList(Query).Length == 0) return ValidationResult.Error("--query: give at least one word.");
            return ValidationResult.Success();
        }
    }

    /// <summary>What one training run produced, whichever the method.</summary>
    sealed record Trained(WordVectors Vectors, IReadOnlyList<double> Losses, string LossName, string Description);

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        string method = s.Method.ToLowerInvariant();
        string outDir = Path.GetFullPath(s.Out ?? Path.Combine("runs", $"vectors-{method}"));
        var (corpusName, sentences) = VectorsCorpus.Load(s.Corpus, s.Limit);
        if (sentences.Count == 0) throw new ArgumentException($"vectors: the corpus '{s.Corpus}' has no sentences with words.");
        long tokens = sentences.Sum(x => (long)x.Count);
        errors.Console.MarkupLine(Markup.Escape($"training {method} on {corpusName}: {sentences.Count:N0} sentences, {tokens:N0} tokens"));

        var clock = Stopwatch.StartNew();
        var trained = Train(method, s, sentences);
        double seconds = clock.Elapsed.TotalSeconds;
        var vectors = trained.Vectors;

        var (queries, missing) = Present(s.Query is null ? SplitList(DefaultQueries) : SplitList(s.Query), vectors);
        var analogies = ParseAnalogies(s.Analogy ?? DefaultAnalogies)!;
        var answerable = analogies.Where(a => a.All(vectors.Contains)).ToList();
        missing.AddRange(analogies.SelectMany(a => a).Where(w => !vectors.Contains(w)));
        if (s.Query is not null && queries.Count == 0)
            throw new ArgumentException($"vectors: none of the --query words ({s.Query}) has a vector; the {vectors.Words.Count:N0} words of the vocabulary do not include them.");
        if (s.Analogy is not null && answerable.Count == 0)
            throw new ArgumentException($"vectors: every --analogy has a word without a vector ({string.Join(", ", missing.Distinct())}).");
        if (missing.Count > 0)
            errors.Console.MarkupLine($"[yellow]{Markup.Escape($"note: no vector for {string.Join(", ", missing.Distinct())} (not in the corpus at least min-count times); skipped.")}[/]");
        var nearest = queries.Select(q => (Query: q, Words: vectors.Nearest(q, s.Top))).ToList();
        var answers = answerable.Select(a => (Triple: a, Answer: vectors.Analogy(a[0], a[1], a[2])[0])).ToList();

        string vectorsPath = Path.Combine(outDir, "vectors.txt"), sidecarPath = Path.Combine(outDir, "vectors.json"), plotPath = Path.Combine(outDir, "loss.png");
        string sidecar = Sidecar(method, corpusName, sentences.Count, tokens, s, trained, seconds, nearest, answers, vectorsPath);
        Directory.CreateDirectory(outDir);
        vectors.SaveText(vectorsPath);
        AtomicFile.Write(sidecarPath, stream => stream.Write(Encoding.UTF8.GetBytes(sidecar)));
        bool plotted = PlotRenderer.TryDraw(() => VectorsLossPlot.Save(plotPath, trained.Losses, trained.LossName, $"{method} on {Path.GetFileName(corpusName)}"),
            "the loss curve", m => errors.Console.MarkupLine($"[yellow]{Markup.Escape(m)}[/]"));

        if (s.Json)
        {
            console.Profile.Out.Writer.WriteLine(sidecar);
            return 0;
        }
        console.MarkupLine(Markup.Escape($"{trained.Description}: {vectors.Words.Count:N0} words, {seconds:F1} s, {trained.LossName} per epoch " +
            string.Join(" ", trained.Losses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))));
        var table = new Table().AddColumns("word", $"nearest {s.Top} (cosine)");
        foreach (var (q, words) in nearest) table.AddRow(Markup.Escape(q), Markup.Escape(string.Join(", ", words.Select(w => $"{w.Word} {w.Cosine:F3}"))));
        foreach (var (a, answer) in answers) table.AddRow(Markup.Escape($"{a[0]} : {a[1]} :: {a[2]} :"), Markup.Escape($"{answer.Word} {answer.Cosine:F3}"));
        console.Write(table);
        console.MarkupLine(Markup.Escape($"vectors  {vectorsPath}"));
        console.MarkupLine(Markup.Escape($"sidecar  {sidecarPath}"));
        if (plotted) console.MarkupLine(Markup.Escape($"plot     {plotPath}"));
        return 0;
    }

    static Trained Train(string method, Settings s, List<IReadOnlyList<string>> sentences)
    {
        ulong seed = unchecked((ulong)s.Seed);
        switch (method)
        {
            case "word2vec":
            {
                var o = new Word2VecOptions { Dim = s.Dim, Seed = seed };
                o = o with { Epochs = s.Epochs ?? o.Epochs, Window = s.Window ?? o.Window, MinCount = s.MinCount ?? o.MinCount };
                var w2v = Word2Vec.Train(sentences, o);
                return new(w2v.ToWordVectors(), w2v.EpochLosses, "logistic loss per pair",
                    $"word2vec skip-gram (dim {o.Dim}, window {o.Window}, {o.Negatives} negatives, {o.Epochs} epochs, min count {o.MinCount})");
            }
            case "glove":
            {
                var o = new GloVeOptions { Dim = s.Dim, Seed = seed };
                o = o with { Epochs = s.Epochs ?? o.Epochs, Window = s.Window ?? o.Window, MinCount = s.MinCount ?? o.MinCount, XMax = s.XMax ?? o.XMax };
                var glove = GloVe.Train(sentences, o);
                return new(glove.ToWordVectors(), glove.EpochLosses, "weighted squared error per entry",
                    $"GloVe (dim {o.Dim}, window {o.Window}, x max {o.XMax}, alpha {o.Alpha}, {o.Epochs} epochs, min count {o.MinCount}, {glove.Cooccurrences:N0} co-occurrences)");
            }
            default:
            {
                var o = new FastTextOptions { Dim = s.Dim, Seed = seed };
                o = o with { Epochs = s.Epochs ?? o.Epochs, Window = s.Window ?? o.Window, MinCount = s.MinCount ?? o.MinCount };
                var ft = FastText.Train(sentences, o);
                return new(ft.ToWordVectors(), ft.EpochLosses, "logistic loss per pair",
                    $"fastText skip-gram (dim {o.Dim}, window {o.Window}, {o.Negatives} negatives, n-grams {o.MinN}-{o.MaxN} in {o.Buckets:N0} buckets, {o.Epochs} epochs, min count {o.MinCount})");
            }
        }
    }

    static string[] SplitList(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The a:b:c triples of a comma-separated list, or null when one is not three non-empty words.</summary>
    static List<string[]>? ParseAnalogies(string list)
    {
        var triples = SplitList(list).Select(t => t.Split(':', StringSplitOptions.TrimEntries)).ToList();
        return triples.Count > 0 && triples.All(t => t.Length == 3 && t.All(w => w.Length > 0)) ? triples : null;
    }

    static (List<string> Present, List<string> Missing) Present(IEnumerable<string> words, WordVectors vectors)
    {
        var present = new List<string>();
        var missing = new List<string>();
        foreach (var w in words) (vectors.Contains(w) ? present : missing).Add(w);
        return (present, missing);
    }

    static void WriteRounded(Utf8JsonWriter json, string? name, double value, int digits)
    {
        if (name is not null) json.WritePropertyName(name);
        if (double.IsFinite(value)) json.WriteNumberValue(Math.Round(value, digits));
        else json.WriteNullValue();
    }

    static string Sidecar(string method, string corpus, int sentences, long tokens, Settings s, Trained trained, double seconds,
        List<(string Query, IReadOnlyList<(string Word, double Cosine)> Words)> nearest, List<(string[] Triple, (string Word, double Cosine) Answer)> answers, string vectorsPath)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("method", method);
            json.WriteString("description", trained.Description);
            json.WriteString("corpus", corpus);
            json.WriteNumber("sentences", sentences);
            json.WriteNumber("tokens", tokens);
            json.WriteNumber("words", trained.Vectors.Words.Count);
            json.WriteNumber("dim", trained.Vectors.Dim);
            json.WriteNumber("seed", s.Seed);
            json.WriteNumber("seconds", Math.Round(seconds, 2));
            json.WriteString("loss", trained.LossName);
            json.WriteStartArray("epoch_losses");
            // An epoch whose subsampling left no pair to train on has no loss (NaN): null, as JSON has no NaN.
            foreach (var l in trained.Losses) WriteRounded(json, null, l, 6);
            json.WriteEndArray();
            json.WriteStartObject("nearest");
            foreach (var (q, words) in nearest)
            {
                json.WriteStartArray(q);
                foreach (var (w, cos) in words)
                {
                    json.WriteStartObject();
                    json.WriteString("word", w);
                    WriteRounded(json, "cosine", cos, 4);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
            json.WriteStartArray("analogies");
            foreach (var (t, answer) in answers)
            {
                json.WriteStartObject();
                json.WriteString("a", t[0]);
                json.WriteString("b", t[1]);
                json.WriteString("c", t[2]);
                json.WriteString("answer", answer.Word);
                WriteRounded(json, "cosine", answer.Cosine, 4);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("vectors", vectorsPath);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
