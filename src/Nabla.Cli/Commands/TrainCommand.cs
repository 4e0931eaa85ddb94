using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Nabla.Cli.Runs;
using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Nabla.Cli.Commands;

/// <summary>
/// `nabla train MODEL`: one command for every trainable model, dispatched by the model's kind (<see cref="KindOf"/>,
/// the one place that maps a model name to its training path). Image models: a zoo model on Fashion-MNIST with the
/// Trainer, showing progress, then a summary table, leaving the checkpoint, its sidecar and the learning curves in
/// --out; defaults are the notes' recipe for the model (<see cref="Recipe"/>). Language models (char-lm, word-lm):
/// see TrainCommand.LanguageModel.cs. Everything that can be wrong with the input is checked before any file is written.
/// </summary>
public sealed partial class TrainCommand(IAnsiConsole console, ErrorConsole errors) : Command<TrainCommand.Settings>
{
    /// <summary>The training paths of `nabla train`.</summary>
    public enum ModelKind { Unknown, Image, LanguageModel, Sentiment, Translation, Generative }

    /// <summary>Which training path <paramref name="model"/> takes.</summary>
    public static ModelKind KindOf(string model) =>
        Recipe.ImageModel(model) is not null ? ModelKind.Image
        : LanguageModelRecipe.Find(model) is not null ? ModelKind.LanguageModel
        : SentimentRun.Handles(model) ? ModelKind.Sentiment
        : TranslationRun.Handles(model) ? ModelKind.Translation
        : GenerativeRun.Handles(model) ? ModelKind.Generative
        : ModelKind.Unknown;

    public sealed partial class Settings : CommandSettings
    {
        [CommandArgument(0, "<MODEL>")]
        [Description("An image model of the zoo (`nabla models` lists them), e.g. mlp, lenet, lenet-modern, resnet18-small; a language model: char-lm, word-lm, gpt; " +
            "a sentiment model: sentiment-textcnn, sentiment-bilstm; a generative model: vae, autoencoder, gan, cgan, dcgan; or translate (English→French, see --arch).")]
        public string Model { get; set; } = "";

        [CommandOption("--epochs <N>")]
        [Description("Epochs to train (default: the notes' recipe for the model, 10).")]
        public int? Epochs { get; set; }

        [CommandOption("--batch-size <N>")]
        [Description("Mini-batch size (default: the recipe's, 256 or 128).")]
        public int? BatchSize { get; set; }

        [CommandOption("--lr <RATE>")]
        [Description("Learning rate (default: the recipe's for SGD, e.g. 0.9 for lenet; PyTorch's default for other optimizers).")]
        public double? Lr { get; set; }

        [CommandOption("--optimizer <NAME>")]
        [Description("sgd, adam, adamw, rmsprop, adagrad or adadelta (default sgd).")]
        public string? Optimizer { get; set; }

        [CommandOption("--momentum <M>")]
        [Description("Momentum for sgd and rmsprop (default 0).")]
        public double? Momentum { get; set; }

        [CommandOption("--weight-decay <WD>")]
        [Description("L2 weight decay (default: the optimizer's, 0; 0.01 for adamw).")]
        public double? WeightDecay { get; set; }

        [CommandOption("--schedule <NAME>")]
        [Description("Learning-rate schedule stepped after each epoch: none, cosine (CosineAnnealingLR to 0 over the epochs) or step (×0.1 every third of the epochs). Default none.")]
        public string? Schedule { get; set; }

        [CommandOption("--init <NAME>")]
        [Description("Weight init of Linear/Conv2d layers: xavier, normal (N(0, 0.01²)) or default (PyTorch's layer init). Default: the notes' choice, normal for softmax/mlp, xavier for the CNNs.")]
        public string? Init { get; set; }

        [CommandOption("--data <FOLDER>")]
        [Description("Image models: folder with Fashion-MNIST's IDX files (default /usr/share/datasets/fashion-mnist, else the shipped sample data/fashion-mnist-sample). " +
            "char-lm: timemachine (default) or the path of any UTF-8 text file. word-lm: ptb (default) or a folder with ptb.{train,valid,test}.txt or .txt.gz.")]
        public string? Data { get; set; }

        [CommandOption("--out <FOLDER>")]
        [Description("Where the checkpoint, its .json sidecar, the curves PNG and the history go (default runs/MODEL).")]
        public string? Out { get; set; }

        [CommandOption("--seed <N>")]
        [Description("Seed of the initial weights, the data order, dropout and augmentation (default 0).")]
        [DefaultValue(0)]
        public int Seed { get; set; }

        [CommandOption("--resize <N>")]
        [Description("Resize the 28×28 images to N×N (default: the model's native size, e.g. 224 for alexnet, 96 for resnet18).")]
        public int? Resize { get; set; }

        [CommandOption("--augment")]
        [Description("Random 2-pixel shifts and left-right flips of the training images.")]
        public bool Augment { get; set; }

        [CommandOption("--limit <N>")]
        [Description("Use at most N training and N test images (a fixed random choice by --seed); for language models the first N tokens of each text. For quick runs.")]
        public int? Limit { get; set; }

        [CommandOption("--json")]
        [Description("Print progress on stderr and end with one JSON line on stdout: model, epochs, train_loss, test_accuracy, seconds, checkpoint, ...")]
        public bool Json { get; set; }

        [CommandOption("--threads <N>")]
        [Description("Cores the kernels may use (default: all).")]
        public int? Threads { get; set; }

        // Language models only.
        [CommandOption("--cell <CELL>")]
        [Description("Language models: the recurrence, rnn, gru or lstm (default lstm).")]
        public string? Cell { get; set; }

        [CommandOption("--hidden <N>")]
        [Description("Language models: hidden units per recurrent layer (default 256).")]
        public int? Hidden { get; set; }

        [CommandOption("--layers <N>")]
        [Description("Language models: stacked recurrent layers (default 1 for char-lm, 2 for word-lm).")]
        public int? Layers { get; set; }

        [CommandOption("--embed <N>")]
        [Description("Language models: embedding width; 0 feeds one-hot vectors as the notes do (default 32 for char-lm, 256 for word-lm).")]
        public int? Embed { get; set; }

        [CommandOption("--dropout <P>")]
        [Description("Language models: dropout on embeddings, between layers and on outputs, in [[0, 1) (default 0 for char-lm, 0.3 for word-lm).")]
        public double? Dropout { get; set; }

        [CommandOption("--num-steps <N>")]
        [Description("Language models: time steps per sequence, the truncation of backpropagation through time (default 35).")]
        public int? NumSteps { get; set; }

        [CommandOption("--sampling <NAME>")]
        [Description("Language models: random (fresh random subsequences, state reset every batch) or sequential (adjacent subsequences, state carried and detached). Default sequential.")]
        public string? Sampling { get; set; }

        [CommandOption("--clip <NORM>")]
        [Description("Language models: clip the global gradient norm to NORM; 0 turns clipping off (default 1 for char-lm, 0.25 for word-lm).")]
        public double? Clip { get; set; }

        // Translation only.
        [CommandOption("--arch <NAME>")]
        [Description("translate: seq2seq (GRU encoder-decoder), seq2seq-attn (with Bahdanau attention, the default) or transformer.")]
        public string? Arch { get; set; }

        [CommandOption("--warmup <BATCHES>")]
        [Description("translate: batches of linear learning-rate warm-up before the cosine (default: the recipe's, 200 for the GRU models, 400 for the transformer).")]
        public int? Warmup { get; set; }

        [CommandOption("--beam <N>")]
        [Description("translate: the beam size of the final held-out evaluation (default 4; greedy search is always scored too).")]
        public int? Beam { get; set; }

        [CommandOption("--vectors <METHOD>")]
        [Description("Sentiment models: the word vectors the embeddings start from, fasttext (default; on shipped Tatoeba English), word2vec or glove (on PTB); see docs/word-vectors.md.")]
        public string? Vectors { get; set; }

        public override ValidationResult Validate()
        {
            var kind = KindOf(Model);
            string? problem = (kind == ModelKind.Unknown ? Recipe.Problem("train", Model) : null)
                ?? (kind == ModelKind.Translation ? TranslationRun.Problem(this) : OptionProblem(kind))
                ?? (kind == ModelKind.Sentiment ? SentimentRun.Problem(this) : null)
                ?? (kind == ModelKind.Generative ? GenerativeRun.Problem(this) : null)
                ?? Positive("--epochs", Epochs) ?? Positive("--batch-size", BatchSize) ?? Positive("--resize", Resize)
                ?? Positive("--limit", Limit) ?? Positive("--threads", Threads);
            if (problem is null && Lr is { } lr && !(lr > 0 && double.IsFinite(lr)))
                problem = $"--lr must be a finite number greater than 0, got {N(lr)}.";
            if (problem is null && Momentum is { } m && !(m >= 0 && double.IsFinite(m)))
                problem = $"--momentum must be a finite number ≥ 0, got {N(m)}.";
            if (problem is null && WeightDecay is { } wd && !(wd >= 0 && double.IsFinite(wd)))
                problem = $"--weight-decay must be a finite number ≥ 0, got {N(wd)}.";
            if (problem is null && Optimizer is { } o && !OptimizerFactory.IsKnown(o))
                problem = $"--optimizer: unknown optimizer '{o}'; the optimizers are {string.Join(", ", OptimizerFactory.Names)}.";
            if (problem is null && Schedule is { } schedule && !EpochSchedule.IsKnown(schedule))
                problem = $"--schedule: unknown schedule '{schedule}'; the schedules are {string.Join(", ", EpochSchedule.Names)}.";
            if (problem is null && Init is { } init && !WeightInit.IsKnown(init))
                problem = $"--init: unknown init '{init}'; the inits are {string.Join(", ", WeightInit.Names)}.";
            if (problem is null && kind == ModelKind.LanguageModel) problem = LanguageModelProblem();
            if (problem is null && Momentum is > 0 && !OptimizerFactory.HasMomentum(Optimizer ?? LanguageModelRecipe.Find(Model)?.Optimizer
                    ?? (kind == ModelKind.Translation ? TranslationRecipe.Find(Arch)?.Optimizer ?? "adam" : "sgd")))
                problem = $"--momentum applies to sgd and rmsprop, not {Optimizer}.";
            return problem is null ? ValidationResult.Success() : ValidationResult.Error(problem);
        }

        /// <summary>Options of one kind of model given to another: refused, naming the option and the model.</summary>
        string? OptionProblem(ModelKind kind)
        {
            var textOnly = new (string Name, bool Given)[]
            {
                ("--cell", Cell is not null), ("--hidden", Hidden is not null), ("--layers", Layers is not null), ("--embed", Embed is not null),
                ("--dropout", Dropout is not null), ("--num-steps", NumSteps is not null), ("--sampling", Sampling is not null), ("--clip", Clip is not null),
                ("--heads", Heads is not null), ("--ffn", Ffn is not null),
            };
            var imageOnly = new (string Name, bool Given)[] { ("--resize", Resize is not null), ("--augment", Augment), ("--init", Init is not null) };
            var translationOnly = new (string Name, bool Given)[] { ("--arch", Arch is not null), ("--beam", Beam is not null), ("--warmup", Warmup is not null) };
            if (Vectors is not null && kind != ModelKind.Sentiment)
                return $"train: --vectors applies to the sentiment models (sentiment-bilstm, sentiment-textcnn), not to {Model}.";
            if (translationOnly.FirstOrDefault(o => o.Given).Name is { } only)
                return $"train: {only} applies to translate, not to {Model}.";
            if (kind is ModelKind.Image or ModelKind.Sentiment or ModelKind.Generative && textOnly.FirstOrDefault(o => o.Given).Name is { } t)
                return $"train: {t} applies to the language models ({string.Join(", ", LanguageModelRecipe.Names)}), not to " +
                    $"{kind switch { ModelKind.Image => "the image model", ModelKind.Sentiment => "the sentiment model", _ => "the generative model" }} {Model}.";
            if (kind == ModelKind.LanguageModel && imageOnly.FirstOrDefault(o => o.Given).Name is { } i)
                return $"train: {i} applies to the Fashion-MNIST image models, not to the language model {Model}.";
            return null;
        }

        static string? Positive(string option, int? value) =>
            value is { } v && v < 1 ? $"{option} must be at least 1, got {v}." : null;

        static string N(double v) => v.ToString(CultureInfo.InvariantCulture);
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        int threadsBefore = Threading.NumThreads;
        if (settings.Threads is { } threads) Threading.NumThreads = threads;
        try
        {
            // The one dispatch by model kind; Validate has already refused unknown models.
            return KindOf(settings.Model) switch
            {
                ModelKind.LanguageModel => TrainLanguageModel(settings),
                ModelKind.Sentiment => SentimentRun.Run(settings, console, errors),
                ModelKind.Translation => TranslationRun.Run(settings, console, errors),
                ModelKind.Generative => GenerativeRun.Run(settings, console, errors),
                _ => Train(settings),
            };
        }
        finally
        {
            Threading.NumThreads = threadsBefore;
        }
    }

    int Train(Settings s)
    {
        var entry = Recipe.ImageModel(s.Model)!;
        var recipe = Recipe.For(entry.Name);
        string optimizerName = (s.Optimizer ?? recipe.Optimizer).ToLowerInvariant();
        double lr = s.Lr ?? (optimizerName == recipe.Optimizer ? recipe.Lr : OptimizerFactory.DefaultLr(optimizerName));
        int epochs = s.Epochs ?? recipe.Epochs;
        int batchSize = s.BatchSize ?? recipe.BatchSize;
        int size = s.Resize ?? entry.NativeSize;
        var log = s.Json ? errors.Console : console;

        // Input first: data and model are checked before the output folder is touched.
        var (source, data) = ImageData.LoadForTraining(s.Data, s.Limit, s.Seed, notice => errors.Console.MarkupLine($"[yellow]{Markup.Escape(notice)}[/]"));

        var generator = new Generator(unchecked((ulong)s.Seed));
        var augmentRng = new Generator(unchecked((ulong)s.Seed) + 1);
        var zoo = new ZooOptions { InputSize = size, Generator = generator };
        var model = entry.Create(zoo);
        string init = (s.Init ?? recipe.Init).ToLowerInvariant();
        WeightInit.Apply(model, init, generator);
        var optimizer = OptimizerFactory.Create(optimizerName, model.Parameters(), lr, s.Momentum ?? 0, s.WeightDecay);
        string schedule = (s.Schedule ?? "none").ToLowerInvariant();

        var config = new RunConfig
        {
            Model = entry.Name,
            InputSize = size,
            Classes = FashionMnist.Classes,
            Parameters = model.NumParameters(),
            Data = source.Folder,
            Sample = source.IsSample,
            Init = init,
            Optimizer = optimizerName,
            Lr = lr,
            Momentum = s.Momentum ?? 0,
            WeightDecay = s.WeightDecay,
            Schedule = schedule,
            BatchSize = batchSize,
            Seed = s.Seed,
            Augment = s.Augment,
            Limit = s.Limit,
            Threads = s.Threads,
            Checkpoint = entry.Name + ".safetensors",
        };
        var outputs = new RunOutputs(s.Out ?? Path.Combine("runs", entry.Name), entry.Name, config,
            warning => errors.Console.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]"));
        var progress = new TrainingProgress(log, entry.Name);
        var trainer = new Trainer(model, optimizer, (output, target) => Functional.CrossEntropy(output, target), new TrainerOptions
        {
            Scheduler = EpochSchedule.Create(schedule, optimizer, epochs),
            Callbacks = { progress, outputs },
            Generators = [generator, augmentRng],
            Checkpoints = new CheckpointOptions(outputs.Folder, everyEpochs: 0, saveBest: false, saveLast: false, writeHistory: true),
        });
        outputs.Trainer = trainer;

        var trainLoader = data.TrainLoader(batchSize, size, s.Augment, s.Seed, augmentRng);
        var testLoader = data.TestLoader(Math.Max(batchSize, 256), size);
        log.MarkupLine(Markup.Escape($"{entry.Name}: {entry.Description}; {config.Parameters:N0} parameters, input 1×{size}×{size}; " +
            $"{init} init, {optimizerName} lr {lr.ToString(CultureInfo.InvariantCulture)}{(schedule == "none" ? "" : $" ({schedule} schedule)")}, batch {batchSize}, {epochs} epoch(s), {Threading.NumThreads} thread(s)"));

        var clock = Stopwatch.StartNew();
        bool live = !s.Json && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
        TrainingHistory history = null!;
        if (live)
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
                .Start(ctx =>
                {
                    progress.Attach(ctx);
                    history = trainer.Fit(trainLoader, testLoader, epochs);
                });
        else history = trainer.Fit(trainLoader, testLoader, epochs);
        double seconds = clock.Elapsed.TotalSeconds;

        if (s.Json)
        {
            // Straight to the writer: console rendering would wrap a long line.
            console.Profile.Out.Writer.WriteLine(outputs.JsonLine(seconds));
            return 0;
        }
        console.Write(Summary(entry.Name, history));
        console.MarkupLine($"trained in [bold]{seconds:0.0} s[/]; final test accuracy [bold]{outputs.Config.TestAccuracy:0.0000}[/]");
        console.MarkupLine($"checkpoint  {Markup.Escape(outputs.Checkpoint)}");
        console.MarkupLine($"sidecar     {Markup.Escape(outputs.Sidecar)}");
        if (outputs.HasPlot) console.MarkupLine($"curves      {Markup.Escape(outputs.Plot)}");
        console.MarkupLine($"evaluate it with: nabla eval {Markup.Escape(outputs.Checkpoint)}");
        return 0;
    }

    static Table Summary(string model, TrainingHistory history)
    {
        var table = new Table { Title = new TableTitle($"{Markup.Escape(model)} on Fashion-MNIST") }.Border(TableBorder.Rounded);
        table.AddColumn("epoch");
        foreach (var column in new[] { "train loss", "train acc", "test loss", "test acc", "seconds", "samples/s" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var e in history.Epochs)
            table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.Loss), F(e.Accuracy), F(e.ValLoss), F(e.ValAccuracy),
                e.Seconds.ToString("0.0", CultureInfo.InvariantCulture), e.SamplesPerSecond.ToString("0", CultureInfo.InvariantCulture));
        return table;
    }

    static string F(double? v) => v is { } x ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
}
