using Nabla.Training;
using ScottPlot;

namespace Nabla.Cli.Runs;

/// <summary>
/// The learning curves of a run as a PNG (ScottPlot, headless): train and test loss on the left axis, train and
/// test accuracy on the right axis, one point per epoch, like the notes' Animator plots.
/// </summary>
public static class CurvePlot
{
    public static void Save(string path, TrainingHistory history, string title, int width = 900, int height = 500)
    {
        var plot = new Plot();
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        Line(plot, epochs, history.Series("loss"), "train loss", Colors.C0, LinePattern.Solid, right: false);
        Line(plot, epochs, history.Series("val_loss"), "test loss", Colors.C0, LinePattern.Dashed, right: false);
        Line(plot, epochs, history.Series("acc"), "train accuracy", Colors.C1, LinePattern.Solid, right: true);
        Line(plot, epochs, history.Series("val_acc"), "test accuracy", Colors.C2, LinePattern.Dashed, right: true);

        plot.Axes.Right.Label.Text = "accuracy";
        EpochPlotLayout.Save(plot, path, title, "loss", epochs.Length, Alignment.MiddleRight, width, height);
    }

    static void Line(Plot plot, double[] x, double?[] series, string label, Color color, LinePattern pattern, bool right)
    {
        // A metric the run did not measure (null) is left out rather than drawn as zero.
        var points = x.Zip(series).Where(p => p.Second is { } v && double.IsFinite(v)).ToArray();
        if (points.Length == 0) return;
        var scatter = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => p.Second!.Value).ToArray(), color);
        scatter.LegendText = label;
        scatter.LinePattern = pattern;
        if (right) scatter.Axes.YAxis = plot.Axes.Right;
    }
}
