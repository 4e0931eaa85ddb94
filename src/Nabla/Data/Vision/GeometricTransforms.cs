namespace Nabla.Data.Vision;

/// <summary>Resizes every image to a fixed size, or (with one number) its shorter side; see <see cref="ImageOps.Resize(Tensor, int, int, Interpolation)"/>.</summary>
public sealed class Resize : IImageTransform
{
    /// <summary>To exactly <paramref name="height"/>×<paramref name="width"/>.</summary>
    public Resize(int height, int width, Interpolation mode = Interpolation.Bilinear)
    {
        ImageChecks.Size(height, width, "resize");
        (Height, Width, Mode) = (height, width, mode);
    }

    /// <summary>The shorter side to <paramref name="size"/>, keeping the aspect ratio (torchvision's Resize(int)).</summary>
    public Resize(int size, Interpolation mode = Interpolation.Bilinear)
    {
        ImageChecks.Size(size, size, "resize");
        (Height, Width, Mode, ShorterSide) = (size, size, mode, true);
    }

    public int Height { get; }
    public int Width { get; }
    public Interpolation Mode { get; }

    /// <summary>True when built from one size: Height = Width = the shorter side's target.</summary>
    public bool ShorterSide { get; }

    public Tensor Apply(Tensor image, Generator rng) =>
        ShorterSide ? ImageOps.Resize(image, Height, Mode) : ImageOps.Resize(image, Height, Width, Mode);
}

/// <summary>The central Height×Width region (see <see cref="ImageOps.CenterCrop"/>); a crop larger than the image is an error.</summary>
public sealed class CenterCrop : IImageTransform
{
    public CenterCrop(int size) : this(size, size) { }

    public CenterCrop(int height, int width)
    {
        ImageChecks.Size(height, width, "center_crop");
        (Height, Width) = (height, width);
    }

    public int Height { get; }
    public int Width { get; }

    public Tensor Apply(Tensor image, Generator rng) => ImageOps.CenterCrop(image, Height, Width);
}

/// <summary>
/// torchvision's RandomCrop: pads every side with <see cref="Padding"/> zero pixels, then takes a Height×Width
/// region whose top and left are uniform over all positions that fit. A crop larger than the padded image is
/// an error.
/// </summary>
public sealed class RandomCrop : IImageTransform
{
    public RandomCrop(int size, int padding = 0) : this(size, size, padding) { }

    public RandomCrop(int height, int width, int padding)
    {
        ImageChecks.Size(height, width, "random_crop");
        if (padding < 0) throw new ArgumentException($"random_crop: padding must be ≥ 0, got {padding}.");
        (Height, Width, Padding) = (height, width, padding);
    }

    public int Height { get; }
    public int Width { get; }
    public int Padding { get; }

    public Tensor Apply(Tensor image, Generator rng)
    {
        ImageChecks.Image(image, "random_crop");
        ArgumentNullException.ThrowIfNull(rng);
        int h = image.Size(-2) + 2 * Padding, w = image.Size(-1) + 2 * Padding;
        if (Height > h || Width > w)
            throw new ArgumentException($"random_crop: the crop {Height}×{Width} is larger than the image {h}×{w} (shape {image.ShapeText}, padding {Padding}).");
        var padded = Padding > 0 ? ImageOps.Pad(image, Padding) : image;
        var (top, left) = GetParams(h, w, rng);
        return ImageOps.Crop(padded, top, left, Height, Width);
    }

    /// <summary>The top-left corner of the crop in a (padded) image of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public (int Top, int Left) GetParams(int height, int width, Generator rng)
    {
        if (Height > height || Width > width)
            throw new ArgumentException($"random_crop: the crop {Height}×{Width} is larger than the image {height}×{width}.");
        if (height == Height && width == Width) return (0, 0);
        int top = (int)rng.NextInt64(0, height - Height + 1);
        int left = (int)rng.NextInt64(0, width - Width + 1);
        return (top, left);
    }
}

/// <summary>Per-channel (x − mean) / std (see <see cref="ImageOps.Normalize"/>).</summary>
public sealed class Normalize : IImageTransform
{
    readonly double[] _mean, _std;

    public Normalize(double[] mean, double[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"normalize: mean and std need one value per channel and the same count, got {mean.Length} and {std.Length}.");
        for (int i = 0; i < std.Length; i++)
            if (std[i] == 0 || !double.IsFinite(std[i]) || !double.IsFinite(mean[i]))
                throw new ArgumentException($"normalize: channel {i} has mean {mean[i]} and std {std[i]}; std must be finite and non-zero.");
        _mean = (double[])mean.Clone();
        _std = (double[])std.Clone();
    }

    public IReadOnlyList<double> Mean => _mean;
    public IReadOnlyList<double> Std => _std;

    public Tensor Apply(Tensor image, Generator rng) => ImageOps.Normalize(image, _mean, _std);
}
