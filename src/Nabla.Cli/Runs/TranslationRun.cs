using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Cli.Commands;
using Nabla.IO;
using Nabla.Models.Translation;
using Nabla.Optim.Schedules;
using Nabla.Text;
using Spectre.Console;

namespace Nabla.Cli.Runs;

/// <summary>
/// `nabla train translate --arch seq2seq|seq2seq-attn|transformer --data fra-eng`: a translation model on the
/// shipped English→French pairs (sentences of at most 10 tokens, a seeded held-out 10 % split by distinct English
/// source). Each epoch trains with teacher forcing (<see cref="Seq2SeqTraining"/>), scores greedy BLEU on a fixed
/// sample of held-out sources, and rewrites the checkpoint and sidecar; at the end the whole held-out set is
/// translated by greedy search and by beam search and scored by corpus BLEU, and ten held-out sentences (evenly
/// spaced through the set, not chosen by score) are kept as examples. Details: docs/TRANSLATION.md.
/// </summary>
public static class TranslationRun
{
    public const string Model = "translate";

    /// <summary>Held-out sources scored after every epoch (greedy); the whole set is scored once at the end.</summary>
    public const int SampleSources = 500;

    public static bool Handles(string? model) => string.Equals(model, Model, StringComparison.OrdinalIgnoreCase);

    /// <summary>Options of `nabla train` that a translation run cannot take, or null.</summary>
    public static string? Problem(TrainCommand.Settings s)
    {
        var foreign = new (string Name, bool Given)[]
        {
            ("--resize", s.Resize is not null), ("--augment", s.Augment), ("--init", s.Init is not null), ("--schedule", s.Schedule is not null),
            ("--cell", s.Cell is not null), ("--num-steps", s.NumSteps is not null), ("--sampling", s.Sampling is not null),
        };
        if (foreign.FirstOrDefault(o => o.Given).Name is { } name)
            return $"train: {name} does not apply to translate (it warms up and anneals the rate per batch, and builds its models with --arch, --embed, --hidden, --layers, --heads, --ffn).";
        var arch = s.Arch ?? TranslationRecipe.Seq2SeqAttention;
        if (TranslationRecipe.Find(arch) is null)
            return $"train: --arch: unknown architecture '{arch}'; the architectures are {string.Join(", ", TranslationRecipe.Names)}.";
        bool transformer = string.Equals(arch, TranslationRecipe.Transformer, StringComparison.OrdinalIgnoreCase);
        if (!transformer && (s.Heads is not null ? "--heads" : s.Ffn is not null ? "--ffn" : null) is { } option)
            return $"train: {option} applies to --arch transformer, not {arch}.";
        if (s.Ffn is < 1) return $"--ffn must be at least 1, got {s.Ffn}.";
        if (transformer && s.Embed is { } e && e != (s.Hidden ?? TranslationRecipe.Find(arch)!.Hidden))
            return $"train: the transformer's embedding width is its model width; give --hidden only (got --embed {e}).";
        int hidden = s.Hidden ?? TranslationRecipe.Find(arch)!.Hidden, heads = s.Heads ?? TranslationRecipe.Find(arch)!.Heads;
        if (transformer && (heads < 1 || hidden % heads != 0))
            return $"train: --heads {heads} must be at least 1 and divide the model width --hidden {hidden} (each head gets hidden / heads features).";
        if (s.Beam is < 1) return $"--beam must be at least 1, got {s.Beam}.";
        if (s.Warmup is < 0) return $"--warmup must be 0 or more batches, got {s.Warmup}.";
        if (s.Clip is { } c && !(c >= 0 && double.IsFinite(c))) return $"--clip must be a finite number ≥ 0, got {c}.";
        if (s.Dropout is { } d && !(d >= 0 && d < 1)) return $"--dropout must lie in [0, 1), got {d}.";
        return null;
    }

    /// <summary>Everything a run needs besides the pairs.</summary>
    public sealed record Options(TranslationRecipe Recipe, string Data, string Out, int Seed, int BeamSize, int? Limit, int? Threads, double Momentum, double? WeightDecay);

    /// <summary>The command-line entry point (called from <see cref="TrainCommand"/> after validation).</summary>
    public static int Run(TrainCommand.Settings s, IAnsiConsole console, ErrorConsole errors)
    {
        var recipe = TranslationRecipe.Find(s.Arch ?? TranslationRecipe.Seq2SeqAttention)!;
        string optimizer = (s.Optimizer ?? recipe.Optimizer).ToLowerInvariant();
        bool transformer = recipe.Arch == TranslationRecipe.Transformer;
        recipe = recipe with
        {
            Optimizer = optimizer,
            Lr = s.Lr ?? (optimizer == recipe.Optimizer ? recipe.Lr : OptimizerFactory.DefaultLr(optimizer)),
            Epochs = s.Epochs ?? recipe.Epochs,
            BatchSize = s.BatchSize ?? recipe.BatchSize,
            Hidden = s.Hidden ?? recipe.Hidden,
            Embed = transformer ? s.Hidden ?? recipe.Hidden : s.Embed ?? recipe.Embed,
            Layers = s.Layers ?? recipe.Layers,
            Heads = s.Heads ?? recipe.Heads,
            FeedForward = transformer ? s.Ffn ?? recipe.FeedForward : 0,
            Dropout = s.Dropout ?? recipe.Dropout,
            Clip = s.Clip ?? recipe.Clip,
            WarmupSteps = s.Warmup ?? recipe.WarmupSteps,
        };
        string data = s.Data ?? "fra-eng";
        var pairs = string.Equals(data, "fra-eng", StringComparison.OrdinalIgnoreCase) ? TranslationPairs.FraEng() : TranslationPairs.Read(data);
        var options = new Options(recipe, data, s.Out ?? Path.Combine("runs", $"translate-{recipe.Arch}"), s.Seed, s.Beam ?? 4, s.Limit, s.Threads,
            s.Momentum ?? 0, s.WeightDecay);
        var log = s.Json ? errors.Console : console;
        var result = Train(options, pairs, log, warning => errors.Console.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]"));
        if (s.Json)
        {
            console.Profile.Out.Writer.WriteLine(JsonLine(result));
            return 0;
        }
        var c = result.Config;
        console.MarkupLine(Markup.Escape($"translate ({c.Arch}): {c.Epochs} epoch(s) in {c.Seconds:0} s; held-out corpus BLEU greedy {c.BleuGreedy:0.000}, " +
            $"beam {c.BeamSize} {c.BleuBeam:0.000} ({c.HeldOutSources} sources, all references)"));
        foreach (var e in c.Examples) console.MarkupLine(Markup.Escape($"  {e.Source}  →  {e.Translation}   (BLEU {e.Bleu:0.000})"));
        console.MarkupLine($"checkpoint  {Markup.Escape(result.Checkpoint)}");
        console.MarkupLine($"sidecar     {Markup.Escape(Path.ChangeExtension(result.Checkpoint, ".json"))}");
        return 0;
    }

    /// <summary>What a run leaves: the sidecar as last written and the checkpoint's path.</summary>
    public sealed record Result(TranslationRunConfig Config, string Checkpoint, string? Plot);

    /// <summary>Builds the data and model of <paramref name="o"/>, trains, scores and writes the run's files.</summary>
    public static Result Train(Options o, IReadOnlyList<(string Source, string Target)> pairs, IAnsiConsole log, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(o);
        int threadsBefore = Threading.NumThreads;
        if (o.Threads is { } threads) Threading.NumThreads = threads;
        try
        {
            return TrainCore(o, pairs, log, warn);
        }
        finally
        {
            Threading.NumThreads = threadsBefore;
        }
    }

    static Result TrainCore(Options o, IReadOnlyList<(string Source, string Target)> pairs, IAnsiConsole log, Action<string> warn)
    {
        var r = o.Recipe;
        var clock = Stopwatch.StartNew();
        var data = TranslationData.Build(o.Limit is { } limit ? pairs.Take(limit).ToList() : pairs, seed: o.Seed);
        var heldOut = data.HeldOutBySource();
        var generator = new Generator(unchecked((ulong)o.Seed));
        string name = $"translate-{r.Arch}";
        string folder = Path.GetFullPath(o.Out);
        string checkpoint = Path.Combine(folder, name + ".safetensors");
        string sidecar = Path.ChangeExtension(checkpoint, ".json");
        string plot = Path.Combine(folder, name + "-curves.png");
        var config = new TranslationRunConfig
        {
            Arch = r.Arch, SourceVocabSize = data.SourceVocab.Count, TargetVocabSize = data.TargetVocab.Count,
            SourceVocabulary = name + ".source.vocab.json", TargetVocabulary = name + ".target.vocab.json",
            Embed = r.Embed, Hidden = r.Hidden, Layers = r.Layers, Heads = r.Heads, FeedForward = r.FeedForward, Dropout = r.Dropout,
            MaxTokens = data.MaxTokens, NumSteps = data.NumSteps, MaxLength = 128,
            Data = o.Data, TrainPairs = data.TrainPairs.Count, HeldOutPairs = data.HeldOutPairs.Count, HeldOutSources = heldOut.Count,
            HeldOutFraction = 0.1, MinFreq = 2, Optimizer = r.Optimizer, Lr = r.Lr, WarmupSteps = r.WarmupSteps, BatchSize = r.BatchSize,
            Clip = r.Clip, Seed = o.Seed, Threads = o.Threads, Checkpoint = Path.GetFileName(checkpoint), BeamSize = o.BeamSize,
            SampleSources = Math.Min(SampleSources, heldOut.Count),
        };
        var model = config.CreateModel(generator);
        config = config with { Parameters = model.NumParameters() };
        var optimizer = OptimizerFactory.Create(r.Optimizer, model.Parameters(), r.Lr, o.Momentum, o.WeightDecay);
        int batchesPerEpoch = (data.Train.Count + r.BatchSize - 1) / r.BatchSize;
        int totalSteps = batchesPerEpoch * r.Epochs;
        var schedule = new LambdaLR(optimizer, step => TranslationRecipe.LrFactor(step, r.WarmupSteps, totalSteps));

        Directory.CreateDirectory(folder);
        data.SourceVocab.Save(Path.Combine(folder, config.SourceVocabulary));
        data.TargetVocab.Save(Path.Combine(folder, config.TargetVocabulary));
        log.WriteLine($"{name}: {TranslationRecipe.Find(r.Arch)!.Description}; {config.Parameters:N0} parameters; vocabularies {data.SourceVocab.Count} (en) / " +
            $"{data.TargetVocab.Count} (fr); {data.TrainPairs.Count:N0} training pairs, {data.HeldOutPairs.Count:N0} held-out pairs ({heldOut.Count:N0} sources); " +
            $"{r.Optimizer} lr {N(r.Lr)} (warm-up {r.WarmupSteps} batches, cosine), batch {r.BatchSize}, {r.Epochs} epoch(s), {Threading.NumThreads} thread(s)");

        var sample = heldOut.Take(config.SampleSources).ToList();
        var history = new List<TranslationEpochRecord>();
        for (int epoch = 1; epoch <= r.Epochs; epoch++)
        {
            var watch = Stopwatch.StartNew();
            var trained = Seq2SeqTraining.TrainEpoch(model, data, optimizer, epoch, r.BatchSize, r.Clip, o.Seed, schedule, (batch, loss) =>
            {
                if (batch % 100 == 0)
                    log.WriteLine($"  epoch {epoch} batch {batch}/{batchesPerEpoch}  loss/token {loss:0.000}  {watch.Elapsed.TotalSeconds:0} s");
            });
            double sampleBleu = Seq2SeqTraining.Score(model, data, sample).MultiReference;
            history.Add(new TranslationEpochRecord(epoch, trained.LossPerToken, sampleBleu, watch.Elapsed.TotalSeconds));
            log.WriteLine($"epoch {epoch}/{r.Epochs}  loss/token {trained.LossPerToken:0.0000}  greedy BLEU on {sample.Count} held-out sources {sampleBleu:0.0000}  " +
                $"|  {watch.Elapsed.TotalSeconds:0} s");
            config = config with { Epochs = epoch, History = [.. history], Seconds = clock.Elapsed.TotalSeconds };
            Save(model, optimizer, checkpoint, sidecar, config);
            PlotRenderer.TryDraw(() => TranslationPlot.Save(plot, history, $"{name} on fra-eng"), "the learning curves", warn);
        }

        log.WriteLine($"{name}: translating the {heldOut.Count:N0} held-out sources (greedy, then beam {o.BeamSize})");
        var greedy = Seq2SeqTraining.Score(model, data, heldOut);
        var beam = Seq2SeqTraining.Score(model, data, heldOut, o.BeamSize);
        var examples = new List<TranslationExampleRecord>();
        for (int k = 0; k < Math.Min(10, heldOut.Count); k++)
        {
            int i = k * heldOut.Count / Math.Min(10, heldOut.Count);
            // One sentence has too few 4-grams for corpus BLEU; the notes score single sentences with their BLEU (k = 2).
            double score = heldOut[i].References.Max(reference => Bleu.Sentence(beam.Translations[i], reference, k: 2));
            examples.Add(new TranslationExampleRecord(string.Join(' ', heldOut[i].Source), string.Join(' ', beam.Translations[i]),
                [.. heldOut[i].References.Select(t => string.Join(' ', t))], score));
        }
        config = config with
        {
            BleuGreedy = greedy.MultiReference, BleuGreedySingleReference = greedy.SingleReference, BleuBeam = beam.MultiReference, BleuBeamSingleReference = beam.SingleReference,
            Examples = examples, Seconds = clock.Elapsed.TotalSeconds,
        };
        config.Save(sidecar);
        log.WriteLine($"{name}: held-out corpus BLEU greedy {greedy.MultiReference:0.0000} (single reference {greedy.SingleReference:0.0000}), beam {o.BeamSize} {beam.MultiReference:0.0000} " +
            $"(single reference {beam.SingleReference:0.0000}); {clock.Elapsed.TotalSeconds:0} s in all");
        return new Result(config, checkpoint, File.Exists(plot) ? plot : null);
    }

    static void Save(NN.Module model, Optim.Optimizer optimizer, string checkpoint, string sidecar, TranslationRunConfig config)
    {
        Checkpoint.Save(checkpoint, model, optimizer, new Dictionary<string, string> { ["model"] = "translate-" + config.Arch });
        config.Save(sidecar);
    }

    static string JsonLine(Result result)
    {
        var c = result.Config;
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", "translate");
            json.WriteString("arch", c.Arch);
            json.WriteNumber("epochs", c.Epochs);
            RunOutputs.Number(json, "train_loss", c.History.Count > 0 ? c.History[^1].LossPerToken : null);
            RunOutputs.Number(json, "bleu_greedy", c.BleuGreedy);
            RunOutputs.Number(json, "bleu_beam", c.BleuBeam);
            json.WriteNumber("beam_size", c.BeamSize);
            RunOutputs.Number(json, "bleu_greedy_single_reference", c.BleuGreedySingleReference);
            RunOutputs.Number(json, "bleu_beam_single_reference", c.BleuBeamSingleReference);
            json.WriteNumber("held_out_sources", c.HeldOutSources);
            json.WriteNumber("parameters", c.Parameters);
            json.WriteNumber("seconds", Math.Round(c.Seconds, 3));
            json.WriteString("checkpoint", result.Checkpoint);
            if (result.Plot is { } p) json.WriteString("plot", p);
            else json.WriteNull("plot");
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static string N(double v) => v.ToString(CultureInfo.InvariantCulture);
}
