using System.Numerics;

namespace Nabla.Data.Vision;

/// <summary>
/// Bilinear and nearest resizing of the last two dims of a float tensor, with PyTorch's index arithmetic
/// (upsample_bilinear2d with align_corners=False and upsample_nearest2d), so results agree to rounding.
/// </summary>
/// <remarks>
/// Separable: the source rows/columns and weights of every output row and column are computed once (the "taps"),
/// then each plane (one channel of one image) is filled row by row. Downscaling does not antialias, like
/// F.interpolate and torchvision 0.14's tensor Resize; shrinking by more than 2× therefore skips pixels.
/// </remarks>
internal static class ResizeKernel
{
    public static Tensor Resize(Tensor image, int outHeight, int outWidth, Interpolation mode)
    {
        var x = image.Detach().Contiguous();
        int h = x.Size(-2), w = x.Size(-1);
        int planes = x.NumElements / (h * w);
        var shape = x.Shape;
        shape[^2] = outHeight;
        shape[^1] = outWidth;
        if (x.DType == DType.Float32)
        {
            var dst = new float[planes * outHeight * outWidth];
            Run<float>(x.Span<float>(), dst, planes, h, w, outHeight, outWidth, mode);
            return Tensor.FromArray(dst, shape);
        }
        else
        {
            var dst = new double[planes * outHeight * outWidth];
            Run<double>(x.Span<double>(), dst, planes, h, w, outHeight, outWidth, mode);
            return Tensor.FromArray(dst, shape);
        }
    }

    static void Run<T>(ReadOnlySpan<T> src, Span<T> dst, int planes, int h, int w, int outH, int outW, Interpolation mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (mode == Interpolation.Nearest)
        {
            var rows = NearestTaps(h, outH);
            var cols = NearestTaps(w, outW);
            for (int p = 0; p < planes; p++)
            {
                var plane = src.Slice(p * h * w, h * w);
                for (int oy = 0; oy < outH; oy++)
                {
                    var row = plane.Slice(rows[oy] * w, w);
                    var outRow = dst.Slice((p * outH + oy) * outW, outW);
                    for (int ox = 0; ox < outW; ox++) outRow[ox] = row[cols[ox]];
                }
            }
            return;
        }

        var (y0, y1, wy0, wy1) = LinearTaps<T>(h, outH);
        var (x0, x1, wx0, wx1) = LinearTaps<T>(w, outW);
        for (int p = 0; p < planes; p++)
        {
            var plane = src.Slice(p * h * w, h * w);
            for (int oy = 0; oy < outH; oy++)
            {
                var top = plane.Slice(y0[oy] * w, w);
                var bottom = plane.Slice(y1[oy] * w, w);
                T a = wy0[oy], b = wy1[oy];
                var outRow = dst.Slice((p * outH + oy) * outW, outW);
                for (int ox = 0; ox < outW; ox++)
                {
                    int l = x0[ox], r = x1[ox];
                    T wl = wx0[ox], wr = wx1[ox];
                    outRow[ox] = a * (wl * top[l] + wr * top[r]) + b * (wl * bottom[l] + wr * bottom[r]);
                }
            }
        }
    }

    /// <summary>
    /// For each output index: the two source indices and their weights. The arithmetic is done in T, as PyTorch
    /// does in the tensor's dtype: scale = in / out, source = max(scale · (o + ½) − ½, 0), the lower index is its
    /// integer part, the upper one the next index unless that is past the edge.
    /// </summary>
    static (int[] Lo, int[] Hi, T[] WLo, T[] WHi) LinearTaps<T>(int inSize, int outSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lo = new int[outSize];
        var hi = new int[outSize];
        var wLo = new T[outSize];
        var wHi = new T[outSize];
        T scale = T.CreateTruncating(inSize) / T.CreateTruncating(outSize);
        T half = T.CreateTruncating(0.5);
        for (int o = 0; o < outSize; o++)
        {
            if (inSize == outSize)
            {
                lo[o] = hi[o] = o;
                wLo[o] = T.One;
                wHi[o] = T.Zero;
                continue;
            }
            T source = scale * (T.CreateTruncating(o) + half) - half;
            if (source < T.Zero) source = T.Zero;
            int i0 = int.CreateTruncating(source);
            T lambda = T.Clamp(source - T.CreateTruncating(i0), T.Zero, T.One);
            lo[o] = i0;
            hi[o] = i0 < inSize - 1 ? i0 + 1 : i0;
            wHi[o] = lambda;
            wLo[o] = T.One - lambda;
        }
        return (lo, hi, wLo, wHi);
    }

    /// <summary>PyTorch's nearest_idx: identity for equal sizes, o/2 for exact doubling, else floor(o · (float)in/out).</summary>
    static int[] NearestTaps(int inSize, int outSize)
    {
        var idx = new int[outSize];
        float scale = (float)inSize / outSize;
        for (int o = 0; o < outSize; o++)
        {
            idx[o] = inSize == outSize ? o
                : outSize == 2 * inSize ? o >> 1
                : Math.Min((int)MathF.Floor(o * scale), inSize - 1);
        }
        return idx;
    }
}
