using Nabla.IO;
using SkiaSharp;

namespace Nabla.Cli.Runs;

/// <summary>
/// A PNG of grey images [1, H, W] in [0, 1] in rows of <c>columns</c>, each scaled up with square pixels (nearest
/// neighbour), without captions: the reconstructions and samples of `nabla train vae|autoencoder`.
/// </summary>
public static class ImageGrid
{
    const int Pad = 4;

    public static void Save(string path, IReadOnlyList<Tensor> images, int columns, int scale = 3)
    {
        if (images.Count == 0) throw new ArgumentException("image grid: there are no images to draw.");
        int h = images[0].Size(1), w = images[0].Size(2);
        columns = Math.Min(columns, images.Count);
        int rows = (images.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(columns * (w * scale + Pad) + Pad, rows * (h * scale + Pad) + Pad));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < images.Count; i++)
            Draw(surface.Canvas, images[i], Pad + i % columns * (w * scale + Pad), Pad + i / columns * (h * scale + Pad), scale);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        byte[] png = data.ToArray();
        AtomicFile.Write(path, s => s.Write(png));
    }

    /// <summary>Draws one grey image [1, H, W] with its top-left corner at (x0, y0), each pixel a scale × scale square.</summary>
    internal static void Draw(SKCanvas canvas, Tensor image, int x0, int y0, int scale)
    {
        int h = image.Size(1), w = image.Size(2);
        var values = image.Contiguous().ToArray<float>();
        using var pixel = new SKPaint();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                byte g = (byte)Math.Clamp(MathF.Round(values[y * w + x] * 255f), 0f, 255f);
                pixel.Color = new SKColor(g, g, g);
                canvas.DrawRect(x0 + x * scale, y0 + y * scale, scale, scale, pixel);
            }
    }
}
