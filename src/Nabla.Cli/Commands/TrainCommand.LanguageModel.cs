using System.Diagnostics;
using System.Globalization;
using Nabla.Cli.Runs;
using Nabla.Models.Text;
using Spectre.Console;

namespace Nabla.Cli.Commands;

// `nabla train char-lm|word-lm`: a recurrent language model trained by truncated BPTT (LanguageModelTrainer) on
// The Time Machine, any UTF-8 text file, or the Penn Treebank; perplexity per epoch (validation too for PTB, test
// at the end), a perplexity curve, the checkpoint with its vocabulary and sidecar for `nabla generate`.
public sealed partial class TrainCommand
{
    public sealed partial class Settings
    {
        /// <summary>The checks of the language-model options (after the shared ones).</summary>
        string? LanguageModelProblem()
        {
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
        var model = new RnnLanguageModel(data.Vocabulary.Count, (s.Cell ?? recipe.Cell).ToLowerInvariant(), s.Hidden ?? recipe.Hidden,
            s.Layers ?? recipe.Layers, s.Embed ?? recipe.Embed, s.Dropout ?? recipe.Dropout, generator: generator);
        var optimizer = OptimizerFactory.Create(optimizerName, model.Parameters(), lr, s.Momentum ?? 0, s.WeightDecay);

        var config = new LanguageModelConfig
        {
            Model = recipe.Name,
            Cell = model.Cell,
            HiddenSize = model.HiddenSize,
            NumLayers = model.NumLayers,
            EmbedSize = model.EmbedSize,
            Dropout = model.DropoutP,
            VocabSize = model.VocabSize,
            Vocabulary = recipe.Name + ".vocab.json",
            Tokenizer = data.Tokenizer,
            Cleaning = data.Cleaning,
            Parameters = model.NumParameters(),
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
        { PlotTitle = $"{recipe.Name} ({model.Cell}) on {corpus}" };
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

        log.MarkupLine(Markup.Escape($"{recipe.Name}: {model.Cell} {model.NumLayers}×{model.HiddenSize}, " +
            $"{(model.EmbedSize == 0 ? "one-hot inputs" : $"embedding {model.EmbedSize}")}, dropout {N(model.DropoutP)}; {config.Parameters:N0} parameters; " +
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
