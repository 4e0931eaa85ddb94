using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Nabla.Cli.Runs;
using Nabla.Models.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Nabla.Cli.Commands;

// `nabla train char-lm|word-lm|gpt`: a recurrent language model trained by truncated BPTT (LanguageModelTrainer) on
// The Time Machine, any UTF-8 text file, or the Penn Treebank, or a GPT-style Transformer (gpt) by the same trainer;
// perplexity per epoch (validation too for PTB, test at the end), a perplexity curve, the checkpoint with its
// vocabulary and sidecar for `nabla generate`.
public sealed partial class TrainCommand
{
    public sealed partial class Settings
    {
        [CommandOption("--heads <N>")]
        [Description("gpt and translate --arch transformer: attention heads per layer; must divide --hidden (default 4).")]
        public int? Heads { get; set; }

        [CommandOption("--ffn <N>")]
        [Description("gpt and translate --arch transformer: width of each layer's feed-forward net (default 320 for gpt, 1024 for translate).")]
        public int? Ffn { get; set; }

        /// <summary>The checks of the language-model options (after the shared ones).</summary>
        string? LanguageModelProblem()
        {
            var recipe = LanguageModelRecipe.Find(Model)!;
            string recurrent = string.Join(", ", LanguageModelRecipe.RecurrentNames);
            if (recipe.IsTransformer)
            {
                if (Cell is not null) return $"train: --cell applies to the recurrent language models ({recurrent}), not to {recipe.Name}, a Transformer; size it with --hidden (d_model), --layers, --heads and --ffn.";
                if (Embed is not null) return $"train: --embed applies to the recurrent language models ({recurrent}), not to {recipe.Name}, whose embeddings are --hidden (d_model) wide.";
                if ((Positive("--heads", Heads) ?? Positive("--ffn", Ffn)) is { } bad) return bad;
                int hidden = Hidden ?? recipe.Hidden, heads = Heads ?? recipe.Heads;
                if (hidden > 0 && heads > 0 && hidden % heads != 0) return $"train: --hidden {hidden} (d_model) must be divisible by --heads {heads}.";
            }
            else if ((Heads is not null ? "--heads" : Ffn is not null ? "--ffn" : null) is { } option)
                return $"train: {option} applies to the Transformer language model gpt, not to the recurrent {recipe.Name}.";
            if (Cell is { } cell && !RecurrentCells.IsKnown(cell))
                return $"--cell: unknown cell '{cell}'; the cells are {string.Join(", ", RecurrentCells.Names)}.";
            if (Sampling is { } sampling && !LanguageModelRecipe.SamplingNames.Contains(sampling.ToLowerInvariant()))
                return $"--sampling: unknown sampling '{sampling}'; the schemes are {string.Join(", ", LanguageModelRecipe.SamplingNames)}.";
            if ((Positive("--hidden", Hidden) ?? Positive("--layers", Layers) ?? Positive("--num-steps", NumSteps)) is { } p) return p;
            if (Embed is < 0) return $"--embed must be 0 (one-hot) or more, got {Embed}.";
            if (Dropout is { } d && !(d >= 0 && d < 1)) return $"--dropout must lie in [0, 1), got {N(d)}.";
            if (Clip is { } c && !(c >= 0 && double.IsFinite(c))) return $"--clip must be a finite number ≥ 0 (0 turns clipping off), got {N(c)}.";
            return null;
        }
    }

    int TrainLanguageModel(Settings s)
    {
        var recipe = LanguageModelRecipe.Find(s.Model)!;
        string optimizerName = (s.Optimizer ?? recipe.Optimizer).ToLowerInvariant();
        double lr = s.Lr ?? (optimizerName == recipe.Optimizer ? recipe.Lr : OptimizerFactory.DefaultLr(optimizerName));
        int epochs = s.Epochs ?? recipe.Epochs;
        int batchSize = s.BatchSize ?? recipe.BatchSize;
        int numSteps = s.NumSteps ?? recipe.NumSteps;
        string sampling = (s.Sampling ?? recipe.Sampling).ToLowerInvariant();
        double clip = s.Clip ?? recipe.Clip;
        string schedule = (s.Schedule ?? recipe.Schedule).ToLowerInvariant();
        var log = s.Json ? errors.Console : console;

        // Input first: the text is read and checked before the output folder is touched.
        var data = LanguageModelData.Load(recipe, s.Data, s.Limit);
        long need = (long)batchSize * numSteps + numSteps;
        if (data.Train.Length < need)
            throw new InvalidDataException($"train: the training text of {recipe.Name} has {data.Train.Length:N0} tokens, too few for one batch of " +
                $"--batch-size {batchSize} × --num-steps {numSteps} (it needs at least {need:N0}); lower them or give more text.");

        var generator = new Generator(unchecked((ulong)s.Seed));
        var shape = new LanguageModelConfig
        {
            Model = recipe.Name,
            Cell = (s.Cell ?? recipe.Cell).ToLowerInvariant(),
            HiddenSize = s.Hidden ?? recipe.Hidden,
            NumLayers = s.Layers ?? recipe.Layers,
            EmbedSize = recipe.IsTransformer ? 0 : s.Embed ?? recipe.Embed,
            NumHeads = recipe.IsTransformer ? s.Heads ?? recipe.Heads : 0,
            DimFeedforward = recipe.IsTransformer ? s.Ffn ?? recipe.FeedForward : 0,
            // The window a gpt is trained on (positions past it would be untrained): the batch's num_steps, and with
            // sequential sampling as many again for the previous batch, which the state carries in as context.
            MaxLen = recipe.IsTransformer ? (sampling == "sequential" ? 2 * numSteps : numSteps) : 0,
            Dropout = s.Dropout ?? recipe.Dropout,
            VocabSize = data.Vocabulary.Count,
            Vocabulary = "",
            Tokenizer = data.Tokenizer,
        };
        var model = shape.CreateModel(generator);
        var optimizer = OptimizerFactory.Create(optimizerName, model.Module.Parameters(), lr, s.Momentum ?? 0, s.WeightDecay);

        var config = shape with
        {
            Vocabulary = recipe.Name + ".vocab.json",
            Tokenizer = data.Tokenizer,
            Cleaning = data.Cleaning,
            Parameters = model.Module.NumParameters(),
            Data = data.Source,
            Optimizer = optimizerName,
            Lr = lr,
            Momentum = s.Momentum ?? 0,
            WeightDecay = s.WeightDecay,
            Schedule = schedule,
            BatchSize = batchSize,
            NumSteps = numSteps,
            Sampling = sampling,
            Clip = clip > 0 ? clip : null,
            Seed = s.Seed,
            Limit = s.Limit,
            Threads = s.Threads,
            Checkpoint = recipe.Name + ".safetensors",
        };
        string corpus = data.Tokenizer == "word" ? "the Penn Treebank" : data.Cleaning == "timemachine" ? "The Time Machine" : Path.GetFileName(data.Source);
        var outputs = new LanguageModelOutputs(s.Out ?? Path.Combine("runs", recipe.Name), recipe.Name, config, data.Vocabulary,
            warning => errors.Console.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]"))
        { PlotTitle = $"{recipe.Name} ({config.Cell}) on {corpus}" };
        var progress = new LanguageModelProgress(log, recipe.Name);
        var trainer = new LanguageModelTrainer(model, optimizer, new LanguageModelTrainerOptions
        {
            BatchSize = batchSize,
            NumSteps = numSteps,
            Sampling = sampling == "sequential" ? SequenceSampling.Sequential : SequenceSampling.Random,
            ClipNorm = clip > 0 ? clip : null,
            Generator = new Generator(unchecked((ulong)s.Seed) + 1),
            Scheduler = EpochSchedule.Create(schedule, optimizer, epochs),
            Callbacks = { progress, outputs },
        });
        outputs.Trainer = trainer;

        string inputs = config.IsTransformer ? "learned positions" : config.EmbedSize == 0 ? "one-hot inputs" : $"embedding {config.EmbedSize}";
        log.MarkupLine(Markup.Escape($"{recipe.Name}: {config.Shape}, {inputs}, dropout {N(config.Dropout)}; {config.Parameters:N0} parameters; " +
            $"{corpus}: {data.Train.Length:N0} training tokens, vocabulary {data.Vocabulary.Count:N0}; {optimizerName} lr {N(lr)}" +
            $"{(schedule == "none" ? "" : $" ({schedule} schedule)")}, batch {batchSize} × {numSteps} steps, {sampling} sampling, " +
            $"clip {(clip > 0 ? N(clip) : "off")}, {epochs} epoch(s), {Threading.NumThreads} thread(s)"));

        var clock = Stopwatch.StartNew();
        bool live = !s.Json && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
        if (live)
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
                .Start(ctx =>
                {
                    progress.Attach(ctx);
                    trainer.Fit(data.Train, epochs, data.Valid);
                });
        else trainer.Fit(data.Train, epochs, data.Valid);
        if (data.Test is not null)
        {
            double test = trainer.Perplexity(data.Test);
            outputs.SetTestPerplexity(test);
            log.WriteLine($"test perplexity {N(Math.Round(test, 2))}");
        }
        double seconds = clock.Elapsed.TotalSeconds;

        if (s.Json)
        {
            console.Profile.Out.Writer.WriteLine(outputs.JsonLine(seconds));
            return 0;
        }
        var c = outputs.Config;
        console.MarkupLine($"trained in [bold]{seconds:0.0} s[/]; final train perplexity [bold]{P(c.TrainPerplexity)}[/]" +
            (c.ValPerplexity is not null ? $", validation [bold]{P(c.ValPerplexity)}[/]" : "") +
            (c.TestPerplexity is not null ? $", test [bold]{P(c.TestPerplexity)}[/]" : ""));
        console.MarkupLine($"checkpoint  {Markup.Escape(outputs.Checkpoint)}");
        console.MarkupLine($"vocabulary  {Markup.Escape(outputs.VocabularyFile)}");
        console.MarkupLine($"sidecar     {Markup.Escape(outputs.Sidecar)}");
        if (outputs.HasPlot) console.MarkupLine($"perplexity  {Markup.Escape(outputs.Plot)}");
        string prefix = data.Tokenizer == "word" ? "the company said" : data.Cleaning == "timemachine" ? "time traveller" : "";
        console.MarkupLine($"generate with: nabla generate {Markup.Escape(outputs.Checkpoint)}{(prefix.Length > 0 ? $" --prefix \"{prefix}\"" : " --prefix \"...\"")}");
        return 0;
    }

    static string N(double v) => v.ToString(CultureInfo.InvariantCulture);

    static string P(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
