using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Cli.Runs;
using Nabla.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Nabla.Cli.Commands;

/// <summary>
/// `nabla models`: the zoo as a table, from the ModelZoo registry. Parameter counts are counted on a freshly built
/// model of each entry at its native input size (1 input channel, 10 classes, as `nabla train` builds it).
/// </summary>
public sealed class ModelsCommand(IAnsiConsole console) : Command<ModelsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--json")]
        [Description("Print one JSON line: a list of {name, input, parameters, trainable, description}.")]
        public bool Json { get; set; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var rows = Rows.Value;
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(ToJson(rows));
            return 0;
        }
        var table = new Table { Title = new TableTitle("The Nabla model zoo") }.Border(TableBorder.Rounded);
        table.AddColumn("model");
        table.AddColumn(new TableColumn("input").RightAligned());
        table.AddColumn(new TableColumn("parameters").RightAligned());
        table.AddColumn("nabla train");
        table.AddColumn("description");
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Name), Markup.Escape(r.Input), r.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                r.Trainable ? "yes" : "no (token ids)", Markup.Escape(r.Description));
        console.Write(table);
        console.MarkupLine("Train one with [bold]nabla train MODEL[/] (e.g. nabla train lenet --epochs 2); images are resized to the model's input size.");
        // The language models are built from the command-line options (cell, sizes, the vocabulary of the text), so
        // they are not zoo entries with one fixed shape; they are listed here so `nabla models` names every trainable model.
        foreach (var lm in LanguageModelRecipe.All)
            console.MarkupLine(Markup.Escape($"Language model {lm.Name}: {lm.Description}; `nabla train {lm.Name}`, then `nabla generate`."));
        return 0;
    }

    // Counting means building every model (VGG-11 alone has 129 M parameters, seconds of initialisation), so a
    // process counts once.
    static readonly Lazy<IReadOnlyList<Row>> Rows = new(() => ModelZoo.Entries.Select(Describe).ToList());

    sealed record Row(string Name, string Input, long Parameters, bool Trainable, string Description);

    static Row Describe(ZooEntry e)
    {
        var shape = e.ExampleShape();
        string input = e.Input == ZooInput.Image ? string.Join("×", shape) : $"{shape[0]} tokens";
        long parameters = e.Create().NumParameters();
        return new Row(e.Name, input, parameters, Recipe.ImageModel(e.Name) is not null, e.Description);
    }

    static string ToJson(IEnumerable<Row> rows)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var r in rows)
            {
                json.WriteStartObject();
                json.WriteString("name", r.Name);
                json.WriteString("input", r.Input);
                json.WriteNumber("parameters", r.Parameters);
                json.WriteBoolean("trainable", r.Trainable);
                json.WriteString("description", r.Description);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
