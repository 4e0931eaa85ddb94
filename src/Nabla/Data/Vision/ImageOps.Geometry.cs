namespace Nabla.Data.Vision;

/// <summary>
/// The deterministic image operations behind the transforms (torchvision.transforms.functional), on float
/// images [C, H, W] or batches [N, C, H, W] with values in [0, 1]. Each returns a new tensor and names itself
/// in its error messages.
/// </summary>
public static partial class ImageOps
{
    /// <summary>Resizes to <paramref name="height"/>×<paramref name="width"/> (F.resize with antialias=False / F.interpolate, align_corners=False).</summary>
    public static Tensor Resize(Tensor image, int height, int width, Interpolation mode = Interpolation.Bilinear)
    {
        ImageChecks.Image(image, "resize");
        ImageChecks.Size(height, width, "resize");
        return ResizeKernel.Resize(image, height, width, mode);
    }

    /// <summary>
    /// Resizes so that the shorter side becomes <paramref name="size"/>, keeping the aspect ratio (torchvision's
    /// Resize(int)): the longer side becomes floor(size · long / short).
    /// </summary>
    public static Tensor Resize(Tensor image, int size, Interpolation mode = Interpolation.Bilinear)
    {
        ImageChecks.Image(image, "resize");
        ImageChecks.Size(size, size, "resize");
        var (height, width) = ShorterSideSize(image.Size(-2), image.Size(-1), size);
        return ResizeKernel.Resize(image, height, width, mode);
    }

    internal static (int Height, int Width) ShorterSideSize(int h, int w, int size)
    {
        int longer = (int)((double)size * Math.Max(h, w) / Math.Min(h, w));
        return w <= h ? (longer, size) : (size, longer);
    }

    /// <summary>The region of <paramref name="height"/>×<paramref name="width"/> pixels whose top-left pixel is (<paramref name="top"/>, <paramref name="left"/>), as a new tensor.</summary>
    public static Tensor Crop(Tensor image, int top, int left, int height, int width) =>
        CropChecked(image, top, left, height, width, "crop");

    /// <summary>
    /// The central <paramref name="height"/>×<paramref name="width"/> region; the offsets are round((H − h) / 2)
    /// and round((W − w) / 2) with ties to even, as torchvision computes them. Unlike torchvision, a crop larger
    /// than the image is refused rather than padded with zeros (pad explicitly with <see cref="Pad"/>).
    /// </summary>
    public static Tensor CenterCrop(Tensor image, int height, int width)
    {
        ImageChecks.Image(image, "center_crop");
        ImageChecks.Size(height, width, "center_crop");
        int h = image.Size(-2), w = image.Size(-1);
        CheckFits(image, height, width, "center_crop");
        int top = (int)Math.Round((h - height) / 2.0, MidpointRounding.ToEven);
        int left = (int)Math.Round((w - width) / 2.0, MidpointRounding.ToEven);
        return CropChecked(image, top, left, height, width, "center_crop");
    }

    /// <summary>Crops the given region, then resizes it (torchvision's resized_crop, the second half of RandomResizedCrop).</summary>
    public static Tensor ResizedCrop(Tensor image, int top, int left, int height, int width, int outHeight, int outWidth,
        Interpolation mode = Interpolation.Bilinear)
    {
        var crop = CropChecked(image, top, left, height, width, "resized_crop");
        ImageChecks.Size(outHeight, outWidth, "resized_crop");
        return ResizeKernel.Resize(crop, outHeight, outWidth, mode);
    }

    /// <summary>Adds <paramref name="padding"/> pixels of value <paramref name="fill"/> on every side (F.pad with a constant).</summary>
    public static Tensor Pad(Tensor image, int padding, double fill = 0)
    {
        ImageChecks.Image(image, "pad");
        if (padding < 0) throw new ArgumentException($"pad: padding must be ≥ 0, got {padding}.");
        if (padding == 0) return image.Clone();
        var shape = image.Shape;
        int h = shape[^2], w = shape[^1];
        shape[^2] = h + 2 * padding;
        shape[^1] = w + 2 * padding;
        var padded = Tensor.Full(shape, fill, image.DType);
        padded.Narrow(-2, padding, h).Narrow(-1, padding, w).CopyFrom(image.Detach());
        return padded;
    }

    /// <summary>Mirrors left to right (reverses the last dim).</summary>
    public static Tensor HorizontalFlip(Tensor image)
    {
        ImageChecks.Image(image, "horizontal_flip");
        return image.Flip(-1);
    }

    /// <summary>Mirrors top to bottom (reverses the second-to-last dim).</summary>
    public static Tensor VerticalFlip(Tensor image)
    {
        ImageChecks.Image(image, "vertical_flip");
        return image.Flip(-2);
    }

    internal static void CheckFits(Tensor image, int height, int width, string op)
    {
        int h = image.Size(-2), w = image.Size(-1);
        if (height > h || width > w)
            throw new ArgumentException($"{op}: the crop {height}×{width} is larger than the image {h}×{w} (shape {image.ShapeText}).");
    }

    static Tensor CropChecked(Tensor image, int top, int left, int height, int width, string op)
    {
        ImageChecks.Image(image, op);
        ImageChecks.Size(height, width, op);
        int h = image.Size(-2), w = image.Size(-1);
        if (top < 0 || left < 0 || top + height > h || left + width > w)
            throw new ArgumentException($"{op}: the region {height}×{width} at (top {top}, left {left}) does not lie inside the image {h}×{w} (shape {image.ShapeText}).");
        // A contiguous copy, so a small crop does not keep a large source image alive.
        return image.Narrow(-2, top, height).Narrow(-1, left, width).Contiguous();
    }
}
