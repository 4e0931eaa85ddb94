namespace Nabla.Data.Vision;

/// <summary>The checks every vision transform makes on its input, with messages that name the transform.</summary>
internal static class ImageChecks
{
    /// <summary>
    /// Checks that <paramref name="image"/> is a non-empty float image [C, H, W] or batch [N, C, H, W] and
    /// returns its channel count.
    /// </summary>
    public static int Image(Tensor image, string op)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Rank is not (3 or 4))
            throw new ArgumentException($"{op}: expects an image [C, H, W] or a batch [N, C, H, W], got shape {image.ShapeText}.");
        if (!image.DType.IsFloating())
            throw new ArgumentException($"{op}: expects a float32 or float64 image with values in [0, 1], got {image.DType.TorchName()} of shape {image.ShapeText} (convert bytes with ImageOps.ToTensor).");
        if (image.NumElements == 0)
            throw new ArgumentException($"{op}: the image is empty (shape {image.ShapeText}).");
        return image.Size(-3);
    }

    /// <summary>Checks the image and that it has 1 (grey) or 3 (RGB) channels, as the colour operations need.</summary>
    public static int GreyOrRgb(Tensor image, string op)
    {
        int c = Image(image, op);
        if (c is not (1 or 3))
            throw new ArgumentException($"{op}: expects 1 (grey) or 3 (RGB) channels, got {c} in shape {image.ShapeText}.");
        return c;
    }

    public static void Size(int height, int width, string op)
    {
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"{op}: the output size must be positive, got {height}×{width}.");
    }

    public static void Factor(double factor, string op, string what)
    {
        if (!(factor >= 0) || double.IsInfinity(factor))
            throw new ArgumentException($"{op}: the {what} factor must be a finite number ≥ 0, got {factor}.");
    }

    /// <summary>Checks a (min, max) range: finite, min ≤ max, both inside [lo, hi].</summary>
    public static void Range((double Min, double Max) range, double lo, double hi, string op, string what)
    {
        if (!double.IsFinite(range.Min) || !double.IsFinite(range.Max) || range.Min > range.Max || range.Min < lo || range.Max > hi)
            throw new ArgumentException($"{op}: {what} must be a range (min, max) with {lo} ≤ min ≤ max ≤ {hi}, got ({range.Min}, {range.Max}).");
    }
}
