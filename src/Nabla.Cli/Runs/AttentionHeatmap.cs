using Nabla.IO;
using ScottPlot;

namespace Nabla.Cli.Runs;

/// <summary>
/// A heat map of attention weights as a PNG, the notes' show_heatmaps: one row per generated target token (top to
/// bottom), one column per source token, darker = more weight, with a color bar.
/// </summary>
public static class AttentionHeatmap
{
    /// <param name="weights">[target tokens, source tokens]; each row is one decoding step's weights.</param>
    public static void Save(string path, double[,] weights, IReadOnlyList<string> sourceTokens, IReadOnlyList<string> targetTokens, string title)
    {
        int rows = weights.GetLength(0), cols = weights.GetLength(1);
        if (rows != targetTokens.Count || cols != sourceTokens.Count)
            throw new ArgumentException($"attention heat map: weights [{rows}, {cols}] do not match {targetTokens.Count} target and {sourceTokens.Count} source tokens.");
        var plot = new Plot();
        var map = plot.Add.Heatmap(weights);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.Extent = new CoordinateRect(-0.5, cols - 0.5, -0.5, rows - 0.5);   // cell (r, c) centred on x = c, y = rows − 1 − r
        plot.Add.ColorBar(map);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, cols).Select(c => (double)c)], [.. sourceTokens]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows).Select(r => (double)(rows - 1 - r))], [.. targetTokens]);
        plot.Axes.Bottom.Label.Text = "source (keys)";
        plot.Axes.Left.Label.Text = "translation (queries)";
        plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
        plot.Title(title);
        int side = 60;
        byte[] png = plot.GetImage(Math.Max(420, 160 + side * cols), Math.Max(320, 140 + side * rows)).GetImageBytes(ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }
}
