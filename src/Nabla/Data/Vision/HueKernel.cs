using System.Numerics;

namespace Nabla.Data.Vision;

/// <summary>
/// Hue rotation of RGB pixels through HSV, pixel by pixel, with torchvision's formulas (_rgb2hsv, _hsv2rgb):
/// h is in turns [0, 1), the shift wraps around, and p, q, t are clamped to [0, 1].
/// </summary>
/// <remarks>
/// torchvision builds this from a dozen whole-tensor ops (and an einsum over a 6-way mask); one pass over
/// the pixels with the same arithmetic in the same order gives the same numbers without the temporaries.
/// </remarks>
internal static class HueKernel
{
    /// <summary>Shifts the hue of a contiguous float image or batch with 3 channels; returns a new tensor.</summary>
    public static Tensor Shift(Tensor image, double hueFactor)
    {
        var x = image.Detach().Contiguous();
        int planeSize = x.Size(-2) * x.Size(-1);
        int images = x.NumElements / (3 * planeSize);
        if (x.DType == DType.Float32)
        {
            var dst = new float[x.NumElements];
            Run(x.Span<float>(), dst, images, planeSize, (float)hueFactor);
            return Tensor.FromArray(dst, x.Shape);
        }
        var dst64 = new double[x.NumElements];
        Run(x.Span<double>(), dst64, images, planeSize, hueFactor);
        return Tensor.FromArray(dst64, x.Shape);
    }

    static void Run<T>(ReadOnlySpan<T> src, Span<T> dst, int images, int planeSize, T shift) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int n = 0; n < images; n++)
        {
            int r0 = n * 3 * planeSize, g0 = r0 + planeSize, b0 = g0 + planeSize;
            for (int k = 0; k < planeSize; k++)
            {
                var (h, s, v) = ToHsv(src[r0 + k], src[g0 + k], src[b0 + k]);
                h = Remainder1(h + shift);
                var (r, g, b) = ToRgb(h, s, v);
                dst[r0 + k] = r;
                dst[g0 + k] = g;
                dst[b0 + k] = b;
            }
        }
    }

    /// <summary>torchvision's _rgb2hsv for one pixel (grey pixels get h = s = 0 without dividing by zero).</summary>
    static (T H, T S, T V) ToHsv<T>(T r, T g, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = T.Max(r, T.Max(g, b));
        T min = T.Min(r, T.Min(g, b));
        bool grey = max == min;
        T chroma = max - min;
        T s = chroma / (grey ? T.One : max);
        T divisor = grey ? T.One : chroma;
        T rc = (max - r) / divisor, gc = (max - g) / divisor, bc = (max - b) / divisor;
        T two = T.CreateTruncating(2), four = T.CreateTruncating(4), six = T.CreateTruncating(6);
        // Exactly one of the three terms is selected, as torchvision's masks do (max == r wins ties, then g).
        T h = max == r ? bc - gc
            : max == g ? two + rc - bc
            : four + gc - rc;
        h = FMod1(h / six + T.One);
        return (h, s, max);
    }

    /// <summary>torchvision's _hsv2rgb for one pixel: sector i = floor(6h) mod 6 picks the (r, g, b) among v, p, q, t.</summary>
    static (T R, T G, T B) ToRgb<T>(T h, T s, T v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T six = T.CreateTruncating(6);
        T sector = T.Floor(h * six);
        T f = h * six - sector;
        T p = T.Clamp(v * (T.One - s), T.Zero, T.One);
        T q = T.Clamp(v * (T.One - s * f), T.Zero, T.One);
        T t = T.Clamp(v * (T.One - s * (T.One - f)), T.Zero, T.One);
        int i = int.CreateTruncating(sector) % 6;
        if (i < 0) i += 6;
        return i switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
    }

    /// <summary>torch.fmod(x, 1): the remainder with the sign of x.</summary>
    static T FMod1<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x % T.One;

    /// <summary>torch.remainder(x, 1) (Python's %): the remainder with the sign of the divisor, so in [0, 1].</summary>
    static T Remainder1<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = x % T.One;
        return m < T.Zero ? m + T.One : m;
    }
}
