using System.Numerics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// Max and average pooling over independent planes (batch × channels), written straight into the output
/// with no temporaries. Max pooling records the flat in-plane index of each winner (as PyTorch's
/// return_indices), which is all its backward pass needs.
/// </summary>
internal static partial class PoolKernels
{
    /// <summary>Planes [lo, hi) of max pooling; the 2×2/2 window goes to <see cref="Pool2x2"/> unless <paramref name="generic"/>.</summary>
    internal static void MaxForwardRange<T>(ReadOnlySpan<T> input, int lo, int hi, in ConvGeometry g, Span<T> output, Span<long> indices, bool generic = false)
        where T : unmanaged, INumber<T>
    {
        int inPlane = g.InH * g.InW, outH = g.OutH, outW = g.OutW, outPlane = outH * outW;
        if (!generic && Pool2x2.Applies(g))
        {
            var cells = Pool2x2.RentTopLeftCells<T>(g.InW, outH, outW);
            var topLeft = cells.AsSpan(0, cells is null ? 0 : outPlane);
            for (int p = lo; p < hi; p++)
                Pool2x2.MaxPlane(input.Slice(p * inPlane, inPlane), g.InW, outH, outW, output.Slice(p * outPlane, outPlane), indices.Slice(p * outPlane, outPlane), topLeft);
            Pool2x2.ReturnTopLeftCells(cells);
            return;
        }
        for (int p = lo; p < hi; p++)
        {
            var src = input.Slice(p * inPlane, inPlane);
            var dst = output.Slice(p * outPlane, outPlane);
            var idx = indices.Slice(p * outPlane, outPlane);
            for (int oy = 0; oy < outH; oy++)
            for (int ox = 0; ox < outW; ox++)
            {
                int y0 = oy * g.StrideH - g.PadH, x0 = ox * g.StrideW - g.PadW;
                T best = T.Zero;
                int bestAt = -1;
                for (int ki = 0; ki < g.KernelH; ki++)
                {
                    int y = y0 + ki * g.DilationH;
                    if ((uint)y >= (uint)g.InH) continue;
                    for (int kj = 0; kj < g.KernelW; kj++)
                    {
                        int x = x0 + kj * g.DilationW;
                        if ((uint)x >= (uint)g.InW) continue;
                        T v = src[y * g.InW + x];
                        // NaN wins, as in PyTorch, so a NaN input is never hidden by pooling.
                        if (bestAt < 0 || v > best || T.IsNaN(v)) { best = v; bestAt = y * g.InW + x; if (T.IsNaN(v)) goto done; }
                    }
                }
            done:
                dst[oy * outW + ox] = best;
                idx[oy * outW + ox] = bestAt;
            }
        }
    }

    /// <summary>Routes each output gradient of planes [lo, hi) to the input element that won the max.</summary>
    static void MaxBackwardRange<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<long> indices, int lo, int hi, int inPlane, int outPlane, Span<T> gradInput)
        where T : unmanaged, INumber<T>
    {
        gradInput[(lo * inPlane)..(hi * inPlane)].Clear();
        for (int p = lo; p < hi; p++)
        {
            var gi = gradInput.Slice(p * inPlane, inPlane);
            var go = gradOutput.Slice(p * outPlane, outPlane);
            var idx = indices.Slice(p * outPlane, outPlane);
            for (int i = 0; i < outPlane; i++)
                if (idx[i] >= 0) gi[(int)idx[i]] += go[i];
        }
    }

    /// <summary>Planes [lo, hi) of average pooling; with <paramref name="countIncludePad"/> the divisor counts padded cells (PyTorch's default).</summary>
    internal static void AvgForwardRange<T>(ReadOnlySpan<T> input, int lo, int hi, in ConvGeometry g, bool countIncludePad, Span<T> output, bool generic = false)
        where T : unmanaged, INumber<T>
    {
        int inPlane = g.InH * g.InW, outH = g.OutH, outW = g.OutW, outPlane = outH * outW;
        if (!generic && Pool2x2.Applies(g))
        {
            for (int p = lo; p < hi; p++)
                Pool2x2.AvgPlane(input.Slice(p * inPlane, inPlane), g.InW, outH, outW, output.Slice(p * outPlane, outPlane));
            return;
        }
        for (int p = lo; p < hi; p++)
        {
            var src = input.Slice(p * inPlane, inPlane);
            var dst = output.Slice(p * outPlane, outPlane);
            for (int oy = 0; oy < outH; oy++)
            for (int ox = 0; ox < outW; ox++)
            {
                var (y0, y1, x0, x1, divisor) = Window(g, oy, ox, countIncludePad);
                T sum = T.Zero;
                for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++)
                    sum += src[y * g.InW + x];
                dst[oy * outW + ox] = sum / T.CreateTruncating(divisor);
            }
        }
    }

    internal static void AvgBackwardRange<T>(ReadOnlySpan<T> gradOutput, int lo, int hi, in ConvGeometry g, bool countIncludePad, Span<T> gradInput, bool generic = false)
        where T : unmanaged, INumber<T>
    {
        int inPlane = g.InH * g.InW, outH = g.OutH, outW = g.OutW, outPlane = outH * outW;
        if (!generic && Pool2x2.Applies(g))
        {
            for (int p = lo; p < hi; p++)
                Pool2x2.AvgBackwardPlane(gradOutput.Slice(p * outPlane, outPlane), g.InH, g.InW, outH, outW, gradInput.Slice(p * inPlane, inPlane));
            return;
        }
        gradInput[(lo * inPlane)..(hi * inPlane)].Clear();
        for (int p = lo; p < hi; p++)
        {
            var gi = gradInput.Slice(p * inPlane, inPlane);
            var go = gradOutput.Slice(p * outPlane, outPlane);
            for (int oy = 0; oy < outH; oy++)
            for (int ox = 0; ox < outW; ox++)
            {
                var (y0, y1, x0, x1, divisor) = Window(g, oy, ox, countIncludePad);
                T share = go[oy * outW + ox] / T.CreateTruncating(divisor);
                for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++)
                    gi[y * g.InW + x] += share;
            }
        }
    }

    /// <summary>The in-bounds window of one output cell and the number PyTorch divides by.</summary>
    static (int y0, int y1, int x0, int x1, int divisor) Window(in ConvGeometry g, int oy, int ox, bool countIncludePad)
    {
        int ys = oy * g.StrideH - g.PadH, xs = ox * g.StrideW - g.PadW;
        int ye = Math.Min(ys + g.KernelH, g.InH + g.PadH), xe = Math.Min(xs + g.KernelW, g.InW + g.PadW);
        int padded = (ye - ys) * (xe - xs);
        int y0 = Math.Max(ys, 0), x0 = Math.Max(xs, 0), y1 = Math.Min(ye, g.InH), x1 = Math.Min(xe, g.InW);
        return (y0, y1, x0, x1, countIncludePad ? padded : (y1 - y0) * (x1 - x0));
    }
}
