namespace Nabla.Data.Vision;

/// <summary>How <see cref="ImageOps.Resize"/> computes a pixel that falls between input pixels.</summary>
public enum Interpolation
{
    /// <summary>Weighted mean of the 2×2 nearest input pixels (PyTorch's bilinear, align_corners=False, no antialiasing).</summary>
    Bilinear,

    /// <summary>The input pixel at floor(index · in / out) (PyTorch's "nearest", torchvision's NEAREST).</summary>
    Nearest,
}
