namespace Nabla.Data.Vision;

/// <summary>
/// torchvision's RandomResizedCrop: a random region covering a random fraction of the image's area, with a
/// random aspect ratio, resized to Height×Width.
/// </summary>
/// <remarks>
/// Sampling (torchvision's get_params): up to 10 attempts, each drawing a target area = area · U(scale) and an
/// aspect ratio w/h = exp(U(log ratio)) (log-uniform, so r and 1/r are equally likely), giving
/// w = round(√(area·r)), h = round(√(area/r)); the first that fits inside the image is placed uniformly at
/// random. If none fits, the fallback is a central crop: the whole image when its aspect ratio lies within
/// <see cref="Ratio"/>, otherwise the largest central crop whose ratio is clamped to the nearer bound.
/// Rounding uses ties-to-even like Python's round.
/// </remarks>
public sealed class RandomResizedCrop : IImageTransform
{
    public RandomResizedCrop(int size, (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null,
        Interpolation mode = Interpolation.Bilinear)
        : this(size, size, scale, ratio, mode) { }

    /// <param name="scale">Range of the crop's area as a fraction of the image's; torchvision's default (0.08, 1).</param>
    /// <param name="ratio">Range of the crop's aspect ratio width / height; torchvision's default (3/4, 4/3).</param>
    public RandomResizedCrop(int height, int width, (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null,
        Interpolation mode = Interpolation.Bilinear)
    {
        ImageChecks.Size(height, width, "random_resized_crop");
        Scale = scale ?? (0.08, 1.0);
        Ratio = ratio ?? (3.0 / 4.0, 4.0 / 3.0);
        ImageChecks.Range(Scale, double.Epsilon, double.MaxValue, "random_resized_crop", "scale");
        ImageChecks.Range(Ratio, double.Epsilon, double.MaxValue, "random_resized_crop", "ratio");
        (Height, Width, Mode) = (height, width, mode);
    }

    public int Height { get; }
    public int Width { get; }
    public (double Min, double Max) Scale { get; }
    public (double Min, double Max) Ratio { get; }
    public Interpolation Mode { get; }

    public Tensor Apply(Tensor image, Generator rng)
    {
        ImageChecks.Image(image, "random_resized_crop");
        ArgumentNullException.ThrowIfNull(rng);
        var (top, left, h, w) = GetParams(image.Size(-2), image.Size(-1), rng);
        return ImageOps.ResizedCrop(image, top, left, h, w, Height, Width, Mode);
    }

    /// <summary>The crop region for an image of <paramref name="height"/>×<paramref name="width"/> (torchvision's get_params).</summary>
    public (int Top, int Left, int Height, int Width) GetParams(int height, int width, Generator rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"random_resized_crop: the image must be non-empty, got {height}×{width}.");
        double area = (double)height * width;
        double logMin = Math.Log(Ratio.Min), logMax = Math.Log(Ratio.Max);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * Uniform(rng, Scale.Min, Scale.Max);
            double aspect = Math.Exp(Uniform(rng, logMin, logMax));
            int w = RoundToInt(Math.Sqrt(targetArea * aspect));
            int h = RoundToInt(Math.Sqrt(targetArea / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                int top = (int)rng.NextInt64(0, height - h + 1);
                int left = (int)rng.NextInt64(0, width - w + 1);
                return (top, left, h, w);
            }
        }

        // Fallback: a central crop with the aspect ratio clamped into Ratio.
        double inRatio = (double)width / height;
        int cropW, cropH;
        if (inRatio < Ratio.Min)
        {
            cropW = width;
            cropH = RoundToInt(cropW / Ratio.Min);
        }
        else if (inRatio > Ratio.Max)
        {
            cropH = height;
            cropW = RoundToInt(cropH * Ratio.Max);
        }
        else
        {
            cropW = width;
            cropH = height;
        }
        return ((height - cropH) / 2, (width - cropW) / 2, cropH, cropW);
    }

    static double Uniform(Generator rng, double low, double high) => low + (high - low) * rng.NextDouble();

    static int RoundToInt(double x) => (int)Math.Min(Math.Round(x, MidpointRounding.ToEven), int.MaxValue);
}
