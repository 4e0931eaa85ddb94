using System.ComponentModel;
using System.Globalization;
using Nabla.Cli.Examples;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;

namespace Nabla.Cli.Commands;

/// <summary>
/// `nabla explain backprop`: the notes' worked example, computed by Nabla's autograd and laid out the way a
/// student writes it by hand: forward pass, loss, chain-rule factors next to the autograd gradients, one
/// gradient-descent step, and a finite-difference gradient check.
/// </summary>
public sealed class ExplainBackpropCommand(IAnsiConsole console) : Command<ExplainBackpropCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--lr <RATE>")]
        [Description("Learning rate of the gradient-descent step.")]
        [DefaultValue(BackpropExample.DefaultLearningRate)]
        [TypeConverter(typeof(LearningRateConverter))]
        public double LearningRate { get; set; } = BackpropExample.DefaultLearningRate;

        [CommandOption("--json")]
        [Description("Print one JSON object (outputs, loss, grads, updated weights, gradient check) instead of tables.")]
        public bool Json { get; set; }

        public override ValidationResult Validate() =>
            LearningRate > 0 && double.IsFinite(LearningRate)
                ? ValidationResult.Success()
                : ValidationResult.Error($"--lr must be a finite number greater than 0, got {LearningRate.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>Parses --lr with invariant culture and, unlike the stock converter, names the option when the text is not a number.</summary>
    public sealed class LearningRateConverter : TypeConverter
    {
        public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

        public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            double.TryParse((string)value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
                ? rate
                : throw new FormatException($"--lr expects a number such as 0.5, got '{value}'.");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var result = BackpropExample.Run(settings.LearningRate);
        if (settings.Json)
        {
            // Straight to the underlying writer: console markup rendering would wrap long lines.
            console.Profile.Out.Writer.WriteLine(BackpropJson.Serialize(result));
        }
        else
        {
            Render(result);
        }
        // A failed gradient check means the library computed a wrong gradient: say so in the exit code too.
        return result.GradCheck.Passed ? 0 : 1;
    }

    void Render(BackpropResult r)
    {
        var x = BackpropExample.Inputs;
        var y = BackpropExample.Targets;
        var hw = r["hidden.weight"].Before.ToArray<double>();
        var hb = r["hidden.bias"].Before.ToArray<double>();
        var ow = r["output.weight"].Before.ToArray<double>();
        var ob = r["output.bias"].Before.ToArray<double>();

        console.Write(new Rule("[bold]Back-propagation, worked by Nabla's autograd[/]").LeftJustified());
        console.WriteLine($"x = ({List(x)})  →  2 sigmoid hidden units  →  2 sigmoid outputs;  y = ({List(y)});  E = ½ Σ (o − y)²");
        console.WriteLine("σ(z) = 1 / (1 + e^(−z)),  σ'(z) = σ(z)·(1 − σ(z))");
        console.WriteLine();

        var net = NewTable("The network's starting parameters", "symbol", "connects", "parameter", "value");
        for (int i = 0; i < x.Length; i++)
            for (int j = 0; j < r.Hidden.Length; j++)
                Row(net, ChainRule.HiddenWeightSymbol(j, i), $"x{i + 1} → h{j + 1}", $"hidden.weight[{j}, {i}]", N(hw[j * x.Length + i]));
        for (int j = 0; j < r.Hidden.Length; j++)
            Row(net, $"b_h{j + 1}", $"1 → h{j + 1}", $"hidden.bias[{j}]", N(hb[j]));
        for (int j = 0; j < r.Hidden.Length; j++)
            for (int k = 0; k < r.Output.Length; k++)
                Row(net, ChainRule.OutputWeightSymbol(k, j), $"h{j + 1} → o{k + 1}", $"output.weight[{k}, {j}]", N(ow[k * r.Hidden.Length + j]));
        for (int k = 0; k < r.Output.Length; k++)
            Row(net, $"b_o{k + 1}", $"1 → o{k + 1}", $"output.bias[{k}]", N(ob[k]));
        console.Write(net);

        var forward = NewTable("Forward pass", "step", "computed as", "value");
        for (int j = 0; j < r.Hidden.Length; j++)
        {
            var symbols = string.Join(" + ", x.Select((_, i) => $"{ChainRule.HiddenWeightSymbol(j, i)}·x{i + 1}"));
            var numbers = string.Join(" + ", x.Select((xi, i) => $"{S(hw[j * x.Length + i])}·{S(xi)}"));
            Row(forward, $"z_h{j + 1}", $"{symbols} + b_h{j + 1} = {numbers} + {S(hb[j])}", N(r.HiddenNet[j]));
        }
        for (int j = 0; j < r.Hidden.Length; j++)
            Row(forward, $"h{j + 1}", $"σ(z_h{j + 1}) = 1 / (1 + e^(−{S(r.HiddenNet[j])}))", N(r.Hidden[j]));
        for (int k = 0; k < r.Output.Length; k++)
        {
            var symbols = string.Join(" + ", r.Hidden.Select((_, j) => $"{ChainRule.OutputWeightSymbol(k, j)}·h{j + 1}"));
            var numbers = string.Join(" + ", r.Hidden.Select((h, j) => $"{S(ow[k * r.Hidden.Length + j])}·{S(h)}"));
            Row(forward, $"z_o{k + 1}", $"{symbols} + b_o{k + 1} = {numbers} + {S(ob[k])}", N(r.OutputNet[k]));
        }
        for (int k = 0; k < r.Output.Length; k++)
            Row(forward, $"o{k + 1}", $"σ(z_o{k + 1}) = 1 / (1 + e^(−{S(r.OutputNet[k])}))", N(r.Output[k]));
        console.Write(forward);

        var loss = NewTable("Loss", "term", "computed as", "value");
        for (int k = 0; k < r.Output.Length; k++)
            Row(loss, $"E_o{k + 1}", $"½ (o{k + 1} − y{k + 1})² = ½ ({S(r.Output[k])} − {S(y[k])})²", N(r.LossTerms[k]));
        Row(loss, "E", string.Join(" + ", r.LossTerms.Select((_, k) => $"E_o{k + 1}")), N(r.Loss));
        console.Write(loss);

        RenderDeltas(r);
        console.Write(ChainTable("Backward pass, output layer: ∂E/∂w = (o − y) · o(1 − o) · ∂z/∂w", "∂E/∂o = o − y", "∂o/∂z = o(1 − o)", ChainRule.OutputLayer(r)));
        console.Write(ChainTable("Backward pass, hidden layer: ∂E/∂w = (Σ δ_o·w) · h(1 − h) · ∂z/∂w", "∂E/∂h = Σ δ_o·w", "∂h/∂z = h(1 − h)", ChainRule.HiddenLayer(r)));

        var step = NewTable($"One gradient-descent step: w ← w − lr · ∂E/∂w with lr = {S(r.LearningRate)}", "symbol", "parameter", "before", "∂E/∂w (autograd)", "after");
        foreach (var p in r.Parameters)
        {
            var before = p.Before.ToArray<double>();
            var grad = p.Grad.Contiguous().ToArray<double>();
            var after = p.After.Contiguous().ToArray<double>();
            for (int e = 0; e < before.Length; e++)
                Row(step, Symbol(p.Name, p.Before.Shape, e), $"{p.Name}[{IndexText(p.Before.Shape, e)}]", N(before[e]), N(grad[e]), N(after[e]));
        }
        console.Write(step);
        console.MarkupLine($"Loss before the step [bold]{N(r.Loss)}[/], after it [bold]{N(r.LossAfterStep)}[/].");
        console.WriteLine();

        var g = r.GradCheck;
        console.MarkupLine(g.Passed
            ? $"[green]Gradient check passed[/]: autograd agrees with central finite differences (ε = 1e-6) on every parameter; max |analytic − numeric| = {g.MaxAbsError:0.0E+00}."
            : $"[red]Gradient check FAILED[/]: {Markup.Escape(g.ToString())}");
    }

    void RenderDeltas(BackpropResult r)
    {
        var outDeltas = ChainRule.OutputDeltas(r);
        var hiddenDeltas = ChainRule.HiddenDeltas(r);
        var table = NewTable("Error signals δ = ∂E/∂z (the factors the chain rule reuses)", "unit", "computed as", "value");
        foreach (var d in outDeltas)
        {
            int k = d.Unit[1] - '1';
            Row(table, $"δ_{d.Unit}", $"(o{k + 1} − y{k + 1}) · o{k + 1}(1 − o{k + 1}) = {S(d.DErrorDActivation)} · {S(d.DActivationDNet)}", N(d.Delta));
        }
        foreach (var d in hiddenDeltas)
        {
            int j = d.Unit[1] - '1';
            var sum = string.Join(" + ", outDeltas.Select((_, k) => $"δ_o{k + 1}·{ChainRule.OutputWeightSymbol(k, j)}"));
            Row(table, $"δ_{d.Unit}", $"({sum}) · h{j + 1}(1 − h{j + 1}) = {S(d.DErrorDActivation)} · {S(d.DActivationDNet)}", N(d.Delta));
        }
        console.Write(table);
    }

    static Table ChainTable(string title, string upstream, string slope, IEnumerable<ChainTerm> terms)
    {
        var table = NewTable(title, "param", upstream, slope, "∂z/∂w", "product", "autograd", "|diff|");
        foreach (var t in terms)
            Row(table, t.Symbol, S(t.DErrorDActivation), S(t.DActivationDNet), t.InputSymbol == "1" ? "1" : $"{t.InputSymbol} = {S(t.DNetDParameter)}",
                M(t.Product), M(t.Autograd), t.Difference.ToString("0.0E+00", CultureInfo.InvariantCulture));
        return table;
    }

    static Table NewTable(string title, params string[] columns)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title), new Style(decoration: Decoration.Bold)) };
        table.Border(TableBorder.Rounded);
        for (int c = 0; c < columns.Length; c++)
        {
            var column = new TableColumn(Markup.Escape(columns[c]));
            // The first column names the quantity; "computed as" columns are prose; everything else is a number.
            if (c > 0 && columns[c] != "computed as" && columns[c] != "connects" && columns[c] != "parameter") column.RightAligned();
            table.AddColumn(column);
        }
        return table;
    }

    static void Row(Table table, params string[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Spectre.Console.Text(c)).ToArray());

    /// <summary>The notes' name for element <paramref name="flat"/> of a parameter (w1..w10, b_h1, b_o2, ...).</summary>
    static string Symbol(string parameter, int[] shape, int flat) => parameter switch
    {
        "hidden.weight" => ChainRule.HiddenWeightSymbol(flat / shape[1], flat % shape[1]),
        "output.weight" => ChainRule.OutputWeightSymbol(flat / shape[1], flat % shape[1]),
        "hidden.bias" => $"b_h{flat + 1}",
        "output.bias" => $"b_o{flat + 1}",
        _ => parameter,
    };

    static string IndexText(int[] shape, int flat)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { index[d] = flat % shape[d]; flat /= shape[d]; }
        return string.Join(", ", index);
    }

    /// <summary>A value in a table column: enough digits to compare with the notes and with PyTorch.</summary>
    static string N(double v) => v.ToString("G10", CultureInfo.InvariantCulture);

    /// <summary>A value in a wide table: fewer digits so the chain-rule tables fit a 96-column terminal.</summary>
    static string M(double v) => v.ToString("G8", CultureInfo.InvariantCulture);

    /// <summary>A value inside a formula: short, as a student would write it.</summary>
    static string S(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    static string List(double[] v) => string.Join(", ", v.Select(S));
}
