namespace Nabla.Data.Vision;

/// <summary>
/// torchvision's ColorJitter: on each call, draws a brightness, contrast, saturation and hue factor uniformly
/// from their ranges and applies the four adjustments (<see cref="ImageOps.AdjustBrightness"/>, ...) in a
/// random order. A range that would always give the identity (factor 1, or hue 0) is skipped and draws nothing.
/// </summary>
/// <remarks>
/// Draws per call, in this order: a random permutation of the four operations (Fisher–Yates, 3 draws), then one
/// uniform per enabled range in the order brightness, contrast, saturation, hue. On one-channel images,
/// saturation and hue are no-ops (as in torchvision and PIL): their factors are still drawn, so a pipeline
/// consumes the same random numbers whatever the channel count. Images must have 1 or 3 channels.
/// </remarks>
public sealed class ColorJitter : IImageTransform
{
    /// <summary>
    /// Each amount b gives the factor range [max(0, 1 − b), 1 + b] (brightness, contrast, saturation); hue h gives
    /// [−h, h] with 0 ≤ h ≤ 0.5. Amounts must be ≥ 0; 0 disables that adjustment.
    /// </summary>
    public ColorJitter(double brightness = 0, double contrast = 0, double saturation = 0, double hue = 0)
        : this(Around1(brightness, "brightness"), Around1(contrast, "contrast"), Around1(saturation, "saturation"), AroundZero(hue))
    {
    }

    /// <summary>Explicit factor ranges (min, max); null disables that adjustment.</summary>
    public ColorJitter((double Min, double Max)? brightness, (double Min, double Max)? contrast,
        (double Min, double Max)? saturation, (double Min, double Max)? hue)
    {
        Brightness = Checked(brightness, 0, double.MaxValue, "brightness", 1);
        Contrast = Checked(contrast, 0, double.MaxValue, "contrast", 1);
        Saturation = Checked(saturation, 0, double.MaxValue, "saturation", 1);
        Hue = Checked(hue, -0.5, 0.5, "hue", 0);
    }

    /// <summary>The factor ranges in use; null where the adjustment is off.</summary>
    public (double Min, double Max)? Brightness { get; }
    public (double Min, double Max)? Contrast { get; }
    public (double Min, double Max)? Saturation { get; }
    public (double Min, double Max)? Hue { get; }

    public Tensor Apply(Tensor image, Generator rng)
    {
        ImageChecks.GreyOrRgb(image, "color_jitter");
        ArgumentNullException.ThrowIfNull(rng);
        var p = GetParams(rng);
        foreach (int op in p.Order)
        {
            image = op switch
            {
                0 when p.Brightness is { } b => ImageOps.AdjustBrightness(image, b),
                1 when p.Contrast is { } c => ImageOps.AdjustContrast(image, c),
                2 when p.Saturation is { } s => ImageOps.AdjustSaturation(image, s),
                3 when p.Hue is { } h => ImageOps.AdjustHue(image, h),
                _ => image,
            };
        }
        return image;
    }

    /// <summary>One call's random choices: the order of the operations (0 brightness, 1 contrast, 2 saturation, 3 hue) and the factors.</summary>
    public readonly record struct JitterParams(int[] Order, double? Brightness, double? Contrast, double? Saturation, double? Hue);

    /// <summary>Draws one call's order and factors (torchvision's get_params).</summary>
    public JitterParams GetParams(Generator rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int[] order = [0, 1, 2, 3];
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)rng.NextInt64(0, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return new JitterParams(order, Draw(Brightness, rng), Draw(Contrast, rng), Draw(Saturation, rng), Draw(Hue, rng));
    }

    static double? Draw((double Min, double Max)? range, Generator rng) =>
        range is { } r ? r.Min + (r.Max - r.Min) * rng.NextDouble() : null;

    static (double, double)? Around1(double amount, string what)
    {
        if (!(amount >= 0) || double.IsInfinity(amount))
            throw new ArgumentException($"color_jitter: {what} must be a finite number ≥ 0, got {amount}.");
        return (Math.Max(0, 1 - amount), 1 + amount);
    }

    static (double, double)? AroundZero(double hue)
    {
        if (!(hue >= 0 && hue <= 0.5))
            throw new ArgumentException($"color_jitter: hue must lie in [0, 0.5], got {hue}.");
        return (-hue, hue);
    }

    static (double Min, double Max)? Checked((double Min, double Max)? range, double lo, double hi, string what, double identity)
    {
        if (range is not { } r) return null;
        ImageChecks.Range(r, lo, hi, "color_jitter", what);
        return r.Min == identity && r.Max == identity ? null : r;
    }
}
