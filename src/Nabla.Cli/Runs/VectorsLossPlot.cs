using ScottPlot;

namespace Nabla.Cli.Runs;

/// <summary>The training loss of `nabla vectors` per epoch as a PNG (ScottPlot, headless).</summary>
public static class VectorsLossPlot
{
    public static void Save(string path, IReadOnlyList<double> losses, string lossName, string title, int width = 900, int height = 500)
    {
        var plot = new Plot();
        var points = losses.Select((loss, i) => (Epoch: i + 1.0, Loss: loss)).Where(p => double.IsFinite(p.Loss)).ToArray();
        var scatter = plot.Add.Scatter(points.Select(p => p.Epoch).ToArray(), points.Select(p => p.Loss).ToArray(), Colors.C0);
        scatter.LegendText = lossName;
        EpochPlotLayout.Save(plot, path, title, "loss", points.Length, Alignment.UpperRight, width, height);
    }
}
