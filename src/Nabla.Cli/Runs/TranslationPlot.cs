using Nabla.IO;
using ScottPlot;

namespace Nabla.Cli.Runs;

/// <summary>The curves of a translation run as a PNG: loss per target token (left axis) and the greedy BLEU of the held-out sample (right axis) per epoch.</summary>
public static class TranslationPlot
{
    public static void Save(string path, IReadOnlyList<TranslationEpochRecord> history, string title, int width = 900, int height = 500)
    {
        var plot = new Plot();
        double[] epochs = [.. history.Select(e => (double)e.Epoch)];
        var loss = plot.Add.Scatter(epochs, [.. history.Select(e => e.LossPerToken)], Colors.C0);
        loss.LegendText = "training loss per token";
        var bleuPoints = history.Where(e => e.SampleBleu is not null).ToArray();
        if (bleuPoints.Length > 0)
        {
            var bleu = plot.Add.Scatter(bleuPoints.Select(e => (double)e.Epoch).ToArray(), bleuPoints.Select(e => e.SampleBleu!.Value).ToArray(), Colors.C1);
            bleu.LegendText = "greedy BLEU, held-out sample";
            bleu.LinePattern = LinePattern.Dashed;
            bleu.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "BLEU";
        }
        plot.Title(title);
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "loss per token";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (epochs.Length == 1) plot.Axes.SetLimitsX(0.5, 1.5);
        plot.ShowLegend(Alignment.UpperCenter);
        byte[] png = plot.GetImage(width, height).GetImageBytes(ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }
}
