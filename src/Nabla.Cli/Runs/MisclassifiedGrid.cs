using Nabla.IO;
using SkiaSharp;

namespace Nabla.Cli.Runs;

/// <summary>One tile of the grid: a grey image [1, H, W] in [0, 1] and the two labels printed under it.</summary>
public sealed record GridTile(Tensor Image, string Actual, string Predicted);

/// <summary>
/// A PNG grid of misclassified images, each scaled up with square pixels (nearest neighbour: at 28×28 smoothing
/// only blurs) and captioned with its true and predicted class. Drawn with SkiaSharp, the renderer ScottPlot
/// brings along, because this is a picture of images rather than a chart.
/// </summary>
public static class MisclassifiedGrid
{
    const int Pad = 8;
    const int CaptionHeight = 34;
    const float FontSize = 12;

    public static void Save(string path, IReadOnlyList<GridTile> tiles, int columns = 8, int scale = 4)
    {
        if (tiles.Count == 0) throw new ArgumentException("misclassified grid: there are no images to draw.");
        int h = tiles[0].Image.Size(1), w = tiles[0].Image.Size(2);
        int cellW = Math.Max(w * scale, 120) + Pad, cellH = h * scale + CaptionHeight + Pad;
        columns = Math.Min(columns, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;

        using var surface = SKSurface.Create(new SKImageInfo(columns * cellW + Pad, rows * cellH + Pad));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, FontSize);
        using var dark = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var red = new SKPaint { Color = new SKColor(200, 30, 30), IsAntialias = true };

        for (int i = 0; i < tiles.Count; i++)
        {
            int x0 = Pad + i % columns * cellW, y0 = Pad + i / columns * cellH;
            ImageGrid.Draw(canvas, tiles[i].Image, x0, y0, scale);
            float ty = y0 + h * scale + FontSize + 2;
            canvas.DrawText($"true: {tiles[i].Actual}", x0, ty, font, dark);
            canvas.DrawText($"pred: {tiles[i].Predicted}", x0, ty + FontSize + 3, font, red);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        byte[] png = data.ToArray();
        AtomicFile.Write(path, s => s.Write(png));
    }
}
