using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// Unfolds one image (C, H, W) into a column matrix (C·kh·kw, outH·outW) so a convolution becomes one GEMM,
/// and folds columns back (adding overlaps) for the input gradient. Padding reads as zero.
/// Column rows are <c>ld</c> apart (default: one plane), so several images can sit side by side in one
/// matrix [C·kh·kw, images·plane] — one GEMM then covers a whole chunk of small images.
/// </summary>
internal static class Im2Col
{
    public static void Unfold<T>(ReadOnlySpan<T> image, int channels, in ConvGeometry g, Span<T> columns, int ld = 0) where T : unmanaged
    {
        int outH = g.OutH, outW = g.OutW, plane = outH * outW;
        if (ld == 0) ld = plane;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var src = image.Slice(c * g.InH * g.InW, g.InH * g.InW);
            for (int ki = 0; ki < g.KernelH; ki++)
            for (int kj = 0; kj < g.KernelW; kj++, row++)
            {
                var dst = columns.Slice(row * ld, plane);
                int dy = ki * g.DilationH - g.PadH, dx = kj * g.DilationW - g.PadW;
                for (int oy = 0; oy < outH; oy++)
                {
                    int y = oy * g.StrideH + dy;
                    var dstRow = dst.Slice(oy * outW, outW);
                    if ((uint)y >= (uint)g.InH) { dstRow.Clear(); continue; }
                    var srcRow = src.Slice(y * g.InW, g.InW);
                    if (g.StrideW == 1)
                        CopyShifted(srcRow, dx, dstRow);
                    else
                        for (int ox = 0, x = dx; ox < outW; ox++, x += g.StrideW)
                            dstRow[ox] = (uint)x < (uint)g.InW ? srcRow[x] : default;
                }
            }
        }
    }

    /// <summary>dst[i] = src[i + shift] where in range, zero elsewhere (the stride-1 fast path).</summary>
    static void CopyShifted<T>(ReadOnlySpan<T> src, int shift, Span<T> dst) where T : unmanaged
    {
        int lo = Math.Max(0, -shift), hi = Math.Min(dst.Length, src.Length - shift);
        if (hi <= lo) { dst.Clear(); return; }
        dst[..lo].Clear();
        src.Slice(lo + shift, hi - lo).CopyTo(dst[lo..hi]);
        dst[hi..].Clear();
    }

    /// <summary>The adjoint of <see cref="Unfold{T}"/>: adds each column entry back into the image position it came from.</summary>
    public static void Fold<T>(ReadOnlySpan<T> columns, int channels, in ConvGeometry g, Span<T> image, int ld = 0) where T : unmanaged, System.Numerics.INumber<T>
    {
        int outH = g.OutH, outW = g.OutW, plane = outH * outW;
        if (ld == 0) ld = plane;
        image[..(channels * g.InH * g.InW)].Clear();
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var dstImage = image.Slice(c * g.InH * g.InW, g.InH * g.InW);
            for (int ki = 0; ki < g.KernelH; ki++)
            for (int kj = 0; kj < g.KernelW; kj++, row++)
            {
                var src = columns.Slice(row * ld, plane);
                int dy = ki * g.DilationH - g.PadH, dx = kj * g.DilationW - g.PadW;
                for (int oy = 0; oy < outH; oy++)
                {
                    int y = oy * g.StrideH + dy;
                    if ((uint)y >= (uint)g.InH) continue;
                    var dstRow = dstImage.Slice(y * g.InW, g.InW);
                    var srcRow = src.Slice(oy * outW, outW);
                    if (g.StrideW == 1)
                    {
                        // The in-range outputs form one contiguous run: a vectorised add instead of a checked loop.
                        int lo = Math.Max(0, -dx), hi = Math.Min(outW, g.InW - dx);
                        if (hi > lo)
                        {
                            var run = dstRow.Slice(lo + dx, hi - lo);
                            TensorPrimitives.Add(run, srcRow[lo..hi], run);
                        }
                        continue;
                    }
                    for (int ox = 0, x = dx; ox < outW; ox++, x += g.StrideW)
                        if ((uint)x < (uint)g.InW) dstRow[x] += srcRow[ox];
                }
            }
        }
    }
}
