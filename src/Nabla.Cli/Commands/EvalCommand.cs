using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Cli.Runs;
using Nabla.IO;
using Nabla.NN;
using Nabla.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Nabla.Cli.Commands;

/// <summary>
/// `nabla eval CHECKPOINT`: rebuilds the model its sidecar names, loads the weights (strictly: a checkpoint of
/// another architecture is refused), classifies the Fashion-MNIST test set and prints the accuracy and the confusion
/// matrix; writes a PNG grid of misclassified images with their true and predicted labels. Nothing is written
/// unless the checkpoint loaded and the data was read.
/// </summary>
public sealed class EvalCommand(IAnsiConsole console, ErrorConsole errors) : Command<EvalCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<CHECKPOINT>")]
        [Description("A .safetensors file written by `nabla train`, with its .json sidecar next to it.")]
        public string Checkpoint { get; set; } = "";

        [CommandOption("--data <FOLDER>")]
        [Description("Folder with Fashion-MNIST's IDX files (default /usr/share/datasets/fashion-mnist, else the shipped sample).")]
        public string? Data { get; set; }

        [CommandOption("--out <FILE>")]
        [Description("Where the grid of misclassified images goes (default: CHECKPOINT without extension + -misclassified.png).")]
        public string? Out { get; set; }

        [CommandOption("--images <N>")]
        [Description("How many misclassified images the grid shows, at most (default 40).")]
        [DefaultValue(40)]
        public int Images { get; set; } = 40;

        [CommandOption("--limit <N>")]
        [Description("Evaluate at most N test images (a fixed random choice by the run's seed).")]
        public int? Limit { get; set; }

        [CommandOption("--batch-size <N>")]
        [Description("Images per forward pass (default 256).")]
        [DefaultValue(256)]
        public int BatchSize { get; set; } = 256;

        [CommandOption("--json")]
        [Description("Print one JSON line: model, test_accuracy, checkpoint, samples, misclassified, confusion_matrix, grid.")]
        public bool Json { get; set; }

        [CommandOption("--threads <N>")]
        [Description("Cores the kernels may use (default: all).")]
        public int? Threads { get; set; }

        public override ValidationResult Validate()
        {
            if (Images < 1) return ValidationResult.Error($"--images must be at least 1, got {Images}.");
            if (Limit is < 1) return ValidationResult.Error($"--limit must be at least 1, got {Limit}.");
            if (BatchSize < 1) return ValidationResult.Error($"--batch-size must be at least 1, got {BatchSize}.");
            if (Threads is < 1) return ValidationResult.Error($"--threads must be at least 1, got {Threads}.");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        int threadsBefore = Threading.NumThreads;
        if (settings.Threads is { } threads) Threading.NumThreads = threads;
        try
        {
            return Evaluate(settings);
        }
        finally
        {
            Threading.NumThreads = threadsBefore;
        }
    }

    int Evaluate(Settings s)
    {
        string checkpoint = Path.GetFullPath(s.Checkpoint);
        if (!File.Exists(checkpoint))
            throw new FileNotFoundException($"eval: the checkpoint '{s.Checkpoint}' does not exist.", checkpoint);
        var config = RunConfig.Load(RunConfig.SidecarPath(checkpoint), "eval");
        var model = Recipe.ImageModel(config.Model)!.Create(config.ZooOptions());
        LoadWeights(checkpoint, model, config);

        var source = DataLocator.Resolve(s.Data, "eval");
        var data = ImageData.Load(source, withTrain: false, s.Limit, config.Seed);
        if (source.FellBack)
            errors.Console.MarkupLine($"[yellow]{Markup.Escape(DataLocator.FallbackNotice(source, $"{data.Test.Count} test images"))}[/]");
        var loader = data.TestLoader(s.BatchSize, config.InputSize);
        var report = Evaluation.Classify(model, loader, config.NumClasses);

        var classes = config.Classes.Count == config.NumClasses ? config.Classes : Enumerable.Range(0, config.NumClasses).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList();
        string? grid = null;
        if (report.Misclassified.Count > 0)
        {
            grid = Path.GetFullPath(s.Out ?? Path.ChangeExtension(checkpoint, null) + "-misclassified.png");
            var tiles = report.Misclassified.Take(s.Images)
                .Select(m => new GridTile(data.Test.Get(m.Index).Input, classes[(int)m.Actual], classes[(int)m.Predicted]))
                .ToList();
            if (!PlotRenderer.TryDraw(() => MisclassifiedGrid.Save(grid, tiles), "the grid of misclassified images",
                    warning => errors.Console.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]")))
                grid = null;
        }

        if (s.Json)
        {
            console.Profile.Out.Writer.WriteLine(JsonLine(config, checkpoint, report, grid, source));
            return 0;
        }
        console.MarkupLine($"{Markup.Escape(config.Model)} from {Markup.Escape(checkpoint)}: test accuracy [bold]{report.Accuracy:0.0000}[/] " +
            $"({report.Samples - report.Misclassified.Count} of {report.Samples} images right)");
        console.Write(ConfusionTable(report, classes));
        console.MarkupLine(report.Misclassified.Count == 0 ? "every image was classified correctly; no grid written."
            : grid is null ? "the grid of misclassified images could not be drawn."
            : $"misclassified images ({Math.Min(s.Images, report.Misclassified.Count)} of {report.Misclassified.Count}): {Markup.Escape(grid)}");
        return 0;
    }

    /// <summary>Loads the weights strictly; a mismatch is explained in terms of the run rather than raw key lists only.</summary>
    static void LoadWeights(string checkpoint, Module model, RunConfig config)
    {
        try
        {
            Checkpoint.Load(checkpoint, model);
        }
        catch (StateDictException e)
        {
            throw new InvalidDataException($"eval: '{checkpoint}' does not hold the weights of {config.Model} (input {config.InputSize}×{config.InputSize}), " +
                $"the model its sidecar names; it was written for another architecture. {e.Message}", e);
        }
    }

    static Table ConfusionTable(ClassificationReport report, IReadOnlyList<string> classes)
    {
        int n = report.NumClasses;
        var m = report.ConfusionMatrix.ToArray<long>();
        var table = new Table { Title = new TableTitle("Confusion matrix: rows = true class, columns = predicted") }.Border(TableBorder.Rounded);
        table.AddColumn("true \\ predicted");
        for (int p = 0; p < n; p++) table.AddColumn(new TableColumn(Markup.Escape(Short(classes[p]))).RightAligned());
        table.AddColumn(new TableColumn("recall").RightAligned());
        var recall = report.PerClassAccuracy();
        for (int t = 0; t < n; t++)
        {
            var cells = new List<string> { Markup.Escape(classes[t]) };
            for (int p = 0; p < n; p++)
            {
                string count = m[t * n + p].ToString(CultureInfo.InvariantCulture);
                cells.Add(p == t ? $"[green]{count}[/]" : m[t * n + p] == 0 ? $"[grey]{count}[/]" : count);
            }
            cells.Add(double.IsNaN(recall[t]) ? "-" : recall[t].ToString("0.000", CultureInfo.InvariantCulture));
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    /// <summary>Column headers short enough for ten columns in a terminal ("T-shirt/top" → "T-shirt", "Ankle boot" → "Ankle").</summary>
    static string Short(string name) => name.Split('/', ' ')[0];

    static string JsonLine(RunConfig config, string checkpoint, ClassificationReport report, string? grid, DataSource source)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", config.Model);
            json.WriteNumber("test_accuracy", report.Accuracy);
            json.WriteString("checkpoint", checkpoint);
            json.WriteNumber("samples", report.Samples);
            json.WriteNumber("misclassified", report.Misclassified.Count);
            json.WriteStartArray("confusion_matrix");
            var m = report.ConfusionMatrix.ToArray<long>();
            for (int t = 0; t < report.NumClasses; t++)
            {
                json.WriteStartArray();
                for (int p = 0; p < report.NumClasses; p++) json.WriteNumberValue(m[t * report.NumClasses + p]);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            if (grid is null) json.WriteNull("grid");
            else json.WriteString("grid", grid);
            json.WriteString("data", source.Folder);
            json.WriteBoolean("sample", source.IsSample);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
