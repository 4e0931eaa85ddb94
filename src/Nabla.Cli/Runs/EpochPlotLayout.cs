using Nabla.IO;
using ScottPlot;

namespace Nabla.Cli.Runs;

/// <summary>
/// What the per-epoch plots share (<see cref="CurvePlot"/>, <see cref="PerplexityPlot"/>, <see cref="VectorsLossPlot"/>):
/// a titled plot over whole-number epochs, one epoch drawn in the middle instead of on a zero-width axis, written as a
/// PNG atomically.
/// </summary>
internal static class EpochPlotLayout
{
    public static void Save(Plot plot, string path, string title, string yLabel, int epochs, Alignment legend, int width, int height)
    {
        plot.Title(title);
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = yLabel;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (epochs == 1) plot.Axes.SetLimitsX(0.5, 1.5);
        plot.ShowLegend(legend);
        byte[] png = plot.GetImage(width, height).GetImageBytes(ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }
}
