namespace Nabla.Data.Vision;

public static partial class ImageOps
{
    /// <summary>
    /// Luma of an RGB image, 0.2989 R + 0.587 G + 0.114 B (torchvision's tensor formula), as one channel
    /// [.., 1, H, W]; a one-channel image is returned as a copy.
    /// </summary>
    public static Tensor RgbToGrayscale(Tensor image)
    {
        int c = ImageChecks.GreyOrRgb(image, "rgb_to_grayscale");
        return c == 1 ? image.Clone() : Luma(image);
    }

    static Tensor Luma(Tensor rgb) =>
        (rgb.Select(-3, 0) * 0.2989 + rgb.Select(-3, 1) * 0.587 + rgb.Select(-3, 2) * 0.114).Unsqueeze(-3);

    /// <summary>Blends with black: clamp(factor · x, 0, 1). 0 gives black, 1 the original.</summary>
    public static Tensor AdjustBrightness(Tensor image, double factor)
    {
        ImageChecks.GreyOrRgb(image, "adjust_brightness");
        ImageChecks.Factor(factor, "adjust_brightness", "brightness");
        return (image * factor).Clamp(0.0, 1.0);
    }

    /// <summary>
    /// Blends with the mean of the image's greyscale (one mean per image of a batch):
    /// clamp(factor · x + (1 − factor) · mean, 0, 1). 0 gives a flat grey image, 1 the original.
    /// </summary>
    public static Tensor AdjustContrast(Tensor image, double factor)
    {
        int c = ImageChecks.GreyOrRgb(image, "adjust_contrast");
        ImageChecks.Factor(factor, "adjust_contrast", "contrast");
        var grey = c == 3 ? Luma(image) : image;
        return Blend(image, grey.Mean([-3, -2, -1], keepDim: true), factor);
    }

    /// <summary>
    /// Blends with the image's greyscale: clamp(factor · x + (1 − factor) · grey, 0, 1). 0 gives greyscale,
    /// 1 the original. A one-channel image is returned unchanged (as torchvision and PIL do).
    /// </summary>
    public static Tensor AdjustSaturation(Tensor image, double factor)
    {
        int c = ImageChecks.GreyOrRgb(image, "adjust_saturation");
        ImageChecks.Factor(factor, "adjust_saturation", "saturation");
        return c == 1 ? image : Blend(image, Luma(image), factor);
    }

    /// <summary>
    /// Rotates the hue by <paramref name="hueFactor"/> turns (in [−0.5, 0.5]) in HSV space, keeping saturation
    /// and value. A one-channel image is returned unchanged (as torchvision and PIL do).
    /// </summary>
    public static Tensor AdjustHue(Tensor image, double hueFactor)
    {
        int c = ImageChecks.GreyOrRgb(image, "adjust_hue");
        if (!(hueFactor >= -0.5 && hueFactor <= 0.5))
            throw new ArgumentException($"adjust_hue: the hue factor must lie in [-0.5, 0.5], got {hueFactor}.");
        return c == 1 ? image : HueKernel.Shift(image, hueFactor);
    }

    /// <summary>(x − mean[c]) / std[c] for each channel c (F.normalize); mean and std need one value per channel.</summary>
    public static Tensor Normalize(Tensor image, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        int c = ImageChecks.Image(image, "normalize");
        if (mean.Count != c || std.Count != c)
            throw new ArgumentException($"normalize: the image has {c} channels (shape {image.ShapeText}), but mean has {mean.Count} values and std {std.Count}; give one per channel.");
        for (int i = 0; i < c; i++)
            if (std[i] == 0 || !double.IsFinite(std[i]) || !double.IsFinite(mean[i]))
                throw new ArgumentException($"normalize: channel {i} has mean {mean[i]} and std {std[i]}; std must be finite and non-zero.");
        var m = Tensor.From(mean.ToArray(), c, 1, 1).To(image.DType);
        var s = Tensor.From(std.ToArray(), c, 1, 1).To(image.DType);
        return (image - m) / s;
    }

    /// <summary>
    /// 8-bit pixels stored row by row with channels interleaved (H × W × C bytes, as decoders give them) to a
    /// float32 tensor [C, H, W] = byte / 255 (torchvision's ToTensor).
    /// </summary>
    public static Tensor ToTensor(ReadOnlySpan<byte> pixels, int height, int width, int channels)
    {
        if (height <= 0 || width <= 0 || channels <= 0)
            throw new ArgumentException($"to_tensor: height, width and channels must be positive, got {height}×{width}×{channels}.");
        long expected = (long)height * width * channels;
        if (pixels.Length != expected)
            throw new ArgumentException($"to_tensor: {height}×{width}×{channels} pixels need {expected} bytes, got {pixels.Length}.");
        int plane = height * width;
        var result = new float[channels * plane];
        for (int p = 0; p < plane; p++)
            for (int ch = 0; ch < channels; ch++)
                result[ch * plane + p] = pixels[p * channels + ch] / 255f;
        return Tensor.FromArray(result, [channels, height, width]);
    }

    static Tensor Blend(Tensor image, Tensor other, double ratio) => (image * ratio + other * (1.0 - ratio)).Clamp(0.0, 1.0);
}
