using Nabla.Models.Text;
using ScottPlot;

namespace Nabla.Cli.Runs;

/// <summary>
/// The perplexity curve of a language-model run as a PNG (ScottPlot, headless), like the notes' train_ch8 plot:
/// training perplexity per epoch, validation perplexity dashed when measured, on a log axis when the values span
/// more than a factor of ten (the first epochs of a word model start in the thousands).
/// </summary>
public static class PerplexityPlot
{
    public static void Save(string path, IReadOnlyList<LanguageModelEpoch> history, string title, int width = 900, int height = 500)
    {
        var plot = new Plot();
        double[] epochs = history.Select(e => (double)e.Epoch).ToArray();
        double[] train = history.Select(e => e.TrainPerplexity).ToArray();
        var val = history.Where(e => e.ValPerplexity is { } v && double.IsFinite(v)).Select(e => ((double)e.Epoch, e.ValPerplexity!.Value)).ToArray();
        var all = train.Concat(val.Select(v => v.Item2)).Where(double.IsFinite).ToArray();
        bool log = all.Length > 0 && all.Min() > 0 && all.Max() / all.Min() > 10;
        Func<double, double> y = log ? Math.Log10 : v => v;

        Line(plot, epochs, train.Select(y).ToArray(), "train perplexity", Colors.C0, LinePattern.Solid);
        if (val.Length > 0) Line(plot, val.Select(v => v.Item1).ToArray(), val.Select(v => y(v.Item2)).ToArray(), "validation perplexity", Colors.C1, LinePattern.Dashed);

        if (log)
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = v => Math.Pow(10, v).ToString(Math.Pow(10, v) < 10 ? "0.0" : "0", System.Globalization.CultureInfo.InvariantCulture),
            };
        EpochPlotLayout.Save(plot, path, title, log ? "perplexity (log scale)" : "perplexity", epochs.Length, Alignment.UpperRight, width, height);
    }

    static void Line(Plot plot, double[] x, double[] y, string label, Color color, LinePattern pattern)
    {
        var points = x.Zip(y).Where(p => double.IsFinite(p.Second)).ToArray();
        if (points.Length == 0) return;
        var scatter = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => p.Second).ToArray(), color);
        scatter.LegendText = label;
        scatter.LinePattern = pattern;
    }
}
