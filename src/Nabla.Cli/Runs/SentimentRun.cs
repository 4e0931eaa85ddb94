using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Cli.Commands;
using Nabla.Models.Text;
using Nabla.NN;
using Nabla.Text;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli.Runs;

/// <summary>
/// `nabla train sentiment-bilstm` and `nabla train sentiment-textcnn`: the two sentiment classifiers of issue 6 on
/// the shipped UCI "Sentiment Labelled Sentences" (imdb + amazon_cells, 2,000 sentences). The corpus is split
/// 80 / 20 by a seeded stratified split; 10 % of the training part is carved off as a validation slice; the model
/// trains with the <see cref="Trainer"/>, keeps the weights of the epoch with the best validation accuracy (or loss, by
/// the recipe's SelectBy), and only
/// then is scored once on the held-out 20 %. --out gets the checkpoint, its JSON sidecar, the vocabulary, the
/// curves and the history, like the image runs. Details and measurements: docs/SENTIMENT.md.
/// </summary>
public static class SentimentRun
{
    public const string BiLstm = "sentiment-bilstm", TextCnn = "sentiment-textcnn";

    public static IReadOnlyList<string> Models { get; } = [BiLstm, TextCnn];

    /// <summary>Whether <paramref name="model"/> is one of the sentiment classifiers this runner trains.</summary>
    public static bool Handles(string? model) => model is not null && Models.Contains(model.ToLowerInvariant());

    /// <summary>Why the image-only options of <paramref name="s"/> cannot apply to a sentiment run, or null.</summary>
    public static string? Problem(TrainCommand.Settings s)
    {
        if (s.Resize is not null) return $"train: --resize applies to image models, not {s.Model}.";
        if (s.Augment) return $"train: --augment applies to image models, not {s.Model}.";
        if (s.Init is not null) return $"train: --init applies to image models, not {s.Model}.";
        if (s.Limit is not null) return $"train: --limit applies to image models, not {s.Model}.";
        if (s.Vectors is { } v && !SentimentPretraining.Methods.Contains(v.ToLowerInvariant()))
            return $"train: --vectors: unknown method '{v}'; the methods are {string.Join(", ", SentimentPretraining.Methods)}.";
        return null;
    }

    /// <summary>The command-line entry point (called from <see cref="TrainCommand"/> after validation).</summary>
    public static int Run(TrainCommand.Settings s, IAnsiConsole console, ErrorConsole errors)
    {
        string model = s.Model.ToLowerInvariant();
        var recipe = SentimentRecipe.For(model);
        string optimizer = (s.Optimizer ?? recipe.Optimizer).ToLowerInvariant();
        recipe = recipe with
        {
            Optimizer = optimizer,
            Lr = s.Lr ?? (optimizer == recipe.Optimizer ? recipe.Lr : OptimizerFactory.DefaultLr(optimizer)),
            Epochs = s.Epochs ?? recipe.Epochs,
            BatchSize = s.BatchSize ?? recipe.BatchSize,
            WeightDecay = s.WeightDecay ?? recipe.WeightDecay,
            Vectors = s.Vectors?.ToLowerInvariant() ?? recipe.Vectors,
        };
        var log = s.Json ? errors.Console : console;
        var corpus = Corpora.Sentiment(s.Data);   // input first: nothing is written when the data is missing or bad
        var options = new Options(model, recipe, s.Seed, s.Out ?? Path.Combine("runs", model), s.Data ?? "data/sentiment", s.Threads, s.Momentum ?? 0);
        var result = Train(options, corpus, log, warning => errors.Console.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]"));

        if (s.Json)
        {
            console.Profile.Out.Writer.WriteLine(result.JsonLine());
            return 0;
        }
        var c = result.Config;
        console.MarkupLine(Markup.Escape($"{model}: trained {c.Epochs} epoch(s) in {c.Seconds:0.0} s; kept epoch {c.BestEpoch} (best validation {c.SelectBy})"));
        console.MarkupLine($"validation accuracy [bold]{c.ValidationAccuracy:0.0000}[/] on {c.ValidationSentences} sentences; " +
            $"test accuracy [bold]{c.TestAccuracy:0.0000}[/] on {c.TestSentences} held-out sentences");
        console.MarkupLine($"checkpoint  {Markup.Escape(result.Checkpoint)}");
        console.MarkupLine($"sidecar     {Markup.Escape(result.Sidecar)}");
        console.MarkupLine($"vocabulary  {Markup.Escape(result.VocabularyFile)}");
        if (result.Plot is { } plot) console.MarkupLine($"curves      {Markup.Escape(plot)}");
        return 0;
    }

    /// <summary>Everything a run needs besides the corpus.</summary>
    public sealed record Options(string Model, SentimentRecipe Recipe, int Seed, string Out, string Data, int? Threads = null, double Momentum = 0);

    /// <summary>What a run leaves: the sidecar as written, and the files.</summary>
    public sealed record Result(SentimentRunConfig Config, string Checkpoint, string Sidecar, string VocabularyFile, string? Plot, TrainingHistory History)
    {
        /// <summary>The one-line JSON result of `nabla train --json`.</summary>
        public string JsonLine()
        {
            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("model", Config.Model);
                json.WriteNumber("epochs", Config.Epochs);
                RunOutputs.Number(json, "train_loss", Config.TrainLoss);
                RunOutputs.Number(json, "test_accuracy", Config.TestAccuracy);
                json.WriteNumber("seconds", Math.Round(Config.Seconds, 3));
                json.WriteString("checkpoint", Checkpoint);
                if (Config.BestEpoch is { } best) json.WriteNumber("best_epoch", best);
                else json.WriteNull("best_epoch");
                RunOutputs.Number(json, "train_accuracy", Config.TrainAccuracy);
                RunOutputs.Number(json, "validation_accuracy", Config.ValidationAccuracy);
                RunOutputs.Number(json, "test_loss", Config.TestLoss);
                json.WriteNumber("test_sentences", Config.TestSentences);
                json.WriteNumber("seed", Config.Seed);
                json.WriteString("pretrained", Config.Pretrained);
                if (Plot is { } plot) json.WriteString("plot", plot);
                else json.WriteNull("plot");
                json.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    /// <summary>
    /// Splits and encodes <paramref name="corpus"/>, trains the model of <paramref name="o"/>, restores the epoch
    /// with the best validation accuracy or loss (the last epoch when there is no validation slice), scores it on the test
    /// part and writes the run's files. Progress lines go to <paramref name="log"/>.
    /// </summary>
    public static Result Train(Options o, IReadOnlyList<(string Sentence, int Label)> corpus, IAnsiConsole log, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (!Handles(o.Model))
            throw new ArgumentException($"train: {o.Model} is not a sentiment model; the sentiment models are {string.Join(", ", Models)}.");
        int threadsBefore = Threading.NumThreads;
        if (o.Threads is { } threads) Threading.NumThreads = threads;
        try
        {
            return TrainCore(o, corpus, log, warn);
        }
        finally
        {
            Threading.NumThreads = threadsBefore;
        }
    }

    static Result TrainCore(Options o, IReadOnlyList<(string Sentence, int Label)> corpus, IAnsiConsole log, Action<string> warn)
    {
        var r = o.Recipe;
        if (r.SelectBy is not ("accuracy" or "loss"))
            throw new ArgumentException($"train: the recipe's SelectBy must be \"accuracy\" or \"loss\", got \"{r.SelectBy}\".");
        if (r.Patience is < 1)
            throw new ArgumentException($"train: the recipe's Patience must be at least 1 epoch, got {r.Patience}.");
        var clock = Stopwatch.StartNew();
        var data = SentimentData.Create(corpus, new SentimentDataOptions { Seed = o.Seed, ValidationFraction = r.ValidationFraction, MinFreq = r.MinFreq });
        var generator = new Generator(unchecked((ulong)o.Seed));
        var (model, minLength, architecture) = Build(o.Model, r, data, generator);
        string pretrained = "none";
        if (r.Pretrain)
        {
            pretrained = SentimentPretraining.Apply(model, data, r.EmbedSize, o.Seed, log, r.Vectors, r.PretrainEpochs, r.PretrainScaling,
                model is Models.Vision.TextCnn && !r.PretrainTrainable ? name => name == "constant_embedding" : null);
            // The notes' textCNN keeps its second copy of the pretrained vectors fixed.
            if (model is Models.Vision.TextCnn && r.FreezeConstant) model.GetSubmodule("constant_embedding").RequiresGrad(false);
        }
        var parameters = model.Parameters().Where(p => p.RequiresGrad).ToList();
        var optimizer = OptimizerFactory.Create(r.Optimizer, parameters, r.Lr, o.Momentum, r.WeightDecay);

        string folder = Path.GetFullPath(o.Out);
        string checkpoint = Path.Combine(folder, o.Model + ".safetensors");
        string sidecar = Path.ChangeExtension(checkpoint, ".json");
        string vocabFile = Path.Combine(folder, o.Model + ".vocab.json");
        string plotFile = Path.Combine(folder, o.Model + "-curves.png");
        bool hasValidation = data.Validation.Count > 0;
        var config = new SentimentRunConfig
        {
            Model = o.Model, Architecture = architecture, VocabSize = data.Vocab.Count, Vocabulary = Path.GetFileName(vocabFile),
            PadId = data.PadId, NumClasses = data.NumClasses, EmbedSize = r.EmbedSize, Hidden = r.Hidden, Layers = r.Layers,
            Parameters = model.NumParameters(), Data = o.Data, TestFraction = 0.2, ValidationFraction = r.ValidationFraction,
            TrainSentences = data.Train.Count, ValidationSentences = data.Validation.Count, TestSentences = data.Test.Count,
            MinFreq = r.MinFreq, Optimizer = r.Optimizer, Lr = r.Lr, WeightDecay = r.WeightDecay, BatchSize = r.BatchSize,
            EmbeddingDropout = r.EmbeddingDropout, Dropout = r.Dropout, OutputDropout = r.OutputDropout, Pretrained = pretrained,
            Seed = o.Seed, Threads = o.Threads, Checkpoint = Path.GetFileName(checkpoint), SelectBy = r.SelectBy, Patience = r.Patience,
        };

        Trainer trainer = null!;
        var keeper = new BestWeights(model, hasValidation, r.SelectBy == "accuracy", r.Patience, () => trainer);
        var progress = new EpochLines(log, o.Model);
        var writer = new EpochFiles(() => trainer, checkpoint, sidecar, config, clock);
        trainer = new Trainer(model, optimizer, (output, target) => Functional.CrossEntropy(output, target), new TrainerOptions
        {
            Callbacks = { progress, keeper, writer },
            Generators = [generator],
            Checkpoints = new CheckpointOptions(folder, everyEpochs: 0, saveBest: false, saveLast: false, writeHistory: true),
        });

        Directory.CreateDirectory(folder);
        data.Vocab.Save(vocabFile);
        var train = data.Loader(data.Train, r.BatchSize, shuffle: true, seed: o.Seed, minLength: minLength);
        var validation = hasValidation ? data.Loader(data.Validation, 256, minLength: minLength) : null;
        var test = data.Loader(data.Test, 256, minLength: minLength);
        log.WriteLine($"{o.Model}: {architecture}; {config.Parameters:N0} parameters, vocabulary {data.Vocab.Count}; " +
            $"{data.Train.Count} training / {data.Validation.Count} validation / {data.Test.Count} test sentences (seed {o.Seed}); " +
            $"{r.Optimizer} lr {N(r.Lr)}, weight decay {N(r.WeightDecay)}, batch {r.BatchSize}, {r.Epochs} epoch(s), {Threading.NumThreads} thread(s)");

        var history = trainer.Fit(train, validation, r.Epochs);
        keeper.Restore();
        var bestRecord = history.Epochs.First(e => e.Epoch == keeper.BestEpoch);
        var scored = trainer.Evaluate(test);
        config = writer.Config with
        {
            Epochs = history.Count,
            BestEpoch = keeper.BestEpoch,
            TrainLoss = bestRecord.Loss,
            TrainAccuracy = bestRecord.Accuracy,
            ValidationLoss = bestRecord.ValLoss,
            ValidationAccuracy = bestRecord.ValAccuracy,
            TestLoss = scored.Loss,
            TestAccuracy = scored.Accuracy,
            Seconds = clock.Elapsed.TotalSeconds,
        };
        trainer.SaveCheckpoint(checkpoint);
        config.Save(sidecar);
        bool plotted = PlotRenderer.TryDraw(() => CurvePlot.Save(plotFile, history,
            $"{o.Model} on UCI sentiment (dashed: validation slice, not test); test accuracy {config.TestAccuracy:0.000}"), "the learning curves", warn);
        log.WriteLine($"{o.Model}: kept epoch {keeper.BestEpoch}; test accuracy {config.TestAccuracy:0.0000} on {data.Test.Count} held-out sentences");
        return new Result(config, checkpoint, sidecar, vocabFile, plotted ? plotFile : null, history);
    }

    /// <summary>The model of <paramref name="name"/> sized by the recipe, the shortest batch it accepts, and a one-line description.</summary>
    static (Module Model, int MinLength, string Description) Build(string name, SentimentRecipe r, SentimentData data, Generator generator)
    {
        if (name == TextCnn)
        {
            var cnn = new Models.Vision.TextCnn(data.Vocab.Count, r.EmbedSize, r.KernelSizes, [.. r.KernelSizes.Select(_ => r.Hidden)], data.NumClasses, r.OutputDropout,
                generator: generator, padId: r.MaskPadding ? data.PadId : null);
            return (cnn, cnn.MaxKernelSize, $"textCNN, 2 embeddings of {r.EmbedSize}, Conv1d widths {string.Join('/', r.KernelSizes)} × {r.Hidden} channels, dropout {N(r.OutputDropout)}" +
                (r.MaskPadding ? ", pooling inside each sentence" : ""));
        }
        var rnn = new SentimentBiRnn(data.Vocab.Count, r.EmbedSize, r.Hidden, r.Layers, data.NumClasses, data.PadId,
            r.EmbeddingDropout, r.Dropout, r.OutputDropout, generator: generator);
        return (rnn, 1, $"BiRNN, embedding {r.EmbedSize}, {r.Layers}-layer bidirectional LSTM of {r.Hidden}, " +
            $"dropout {N(r.EmbeddingDropout)}/{N(r.Dropout)}/{N(r.OutputDropout)}");
    }

    static string N(double v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Keeps a copy of the weights of the best epoch so far and puts them back: by validation accuracy (ties to the
    /// lower validation loss) or by validation loss; the last epoch when there is no validation slice. With a
    /// patience it asks the trainer to stop after that many epochs without a new best.
    /// </summary>
    sealed class BestWeights(Module model, bool byValidation, bool byAccuracy, int? patience, Func<Trainer> trainer) : ITrainingCallback
    {
        OrderedDictionary<string, Tensor>? _weights;
        double _bestAccuracy = double.NegativeInfinity, _bestLoss = double.PositiveInfinity;

        public int BestEpoch { get; private set; }

        public void OnEpochEnd(EpochEndInfo info)
        {
            var r = info.Record;
            if (byValidation)
            {
                double loss = r.ValLoss is { } l && double.IsFinite(l) ? l : double.PositiveInfinity;
                double accuracy = r.ValAccuracy ?? double.NegativeInfinity;
                bool better = byAccuracy
                    ? accuracy > _bestAccuracy || (accuracy == _bestAccuracy && loss < _bestLoss)
                    : loss < _bestLoss;
                if (!better && BestEpoch > 0)
                {
                    if (patience is { } p && r.Epoch - BestEpoch >= p) trainer().RequestStop();
                    return;
                }
                _bestAccuracy = accuracy;
                _bestLoss = loss;
            }
            BestEpoch = r.Epoch;
            using var _ = new Autograd.NoGrad();
            _weights = new OrderedDictionary<string, Tensor>();
            foreach (var (key, t) in model.StateDict()) _weights.Add(key, t.Clone());
        }

        public void Restore()
        {
            if (_weights is not null) model.LoadStateDict(_weights);
        }
    }

    /// <summary>One plain line per epoch (train and validation figures).</summary>
    sealed class EpochLines(IAnsiConsole log, string model) : ITrainingCallback
    {
        public void OnTrainStart(TrainStartInfo info) =>
            log.WriteLine($"training {model}: {info.Samples} sentences, {info.Batches} batches per epoch, epochs {info.FirstEpoch}..{info.Epochs}");

        public void OnEpochEnd(EpochEndInfo info)
        {
            var r = info.Record;
            log.WriteLine($"epoch {r.Epoch}/{info.Epochs}  train loss {F(r.Loss)}  acc {F(r.Accuracy)}  |  validation loss {F(r.ValLoss)}  " +
                $"acc {F(r.ValAccuracy)}  |  {r.Seconds:0.0} s");
        }

        static string F(double? v) => v is { } x ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
    }

    /// <summary>After each epoch: the checkpoint and sidecar of that epoch (so a stopped run leaves a loadable model).</summary>
    sealed class EpochFiles(Func<Trainer> trainer, string checkpoint, string sidecar, SentimentRunConfig config, Stopwatch clock) : ITrainingCallback
    {
        public SentimentRunConfig Config { get; private set; } = config;

        public void OnEpochEnd(EpochEndInfo info)
        {
            var r = info.Record;
            trainer().SaveCheckpoint(checkpoint);
            Config = Config with
            {
                Epochs = r.Epoch, BestEpoch = r.Epoch, TrainLoss = r.Loss, TrainAccuracy = r.Accuracy,
                ValidationLoss = r.ValLoss, ValidationAccuracy = r.ValAccuracy, Seconds = clock.Elapsed.TotalSeconds,
            };
            Config.Save(sidecar);
        }
    }
}
