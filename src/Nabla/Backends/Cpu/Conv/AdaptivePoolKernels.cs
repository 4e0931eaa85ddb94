using System.Numerics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// Adaptive pooling: output cell i of an axis covers input [⌊i·in/out⌋, ⌈(i+1)·in/out⌉), PyTorch's formula,
/// so windows may differ in size and overlap by one when the sizes do not divide. Planes are independent.
/// </summary>
internal static class AdaptivePoolKernels
{
    public static int Start(int i, int input, int output) => (int)((long)i * input / output);

    public static int End(int i, int input, int output) => (int)(((long)(i + 1) * input + output - 1) / output);

    public static void AvgForward<T>(ReadOnlySpan<T> input, int planes, int inH, int inW, int outH, int outW, Span<T> output)
        where T : unmanaged, INumber<T>
    {
        int inPlane = inH * inW, outPlane = outH * outW;
        for (int p = 0; p < planes; p++)
        {
            var src = input.Slice(p * inPlane, inPlane);
            var dst = output.Slice(p * outPlane, outPlane);
            for (int oy = 0; oy < outH; oy++)
            {
                int y0 = Start(oy, inH, outH), y1 = End(oy, inH, outH);
                for (int ox = 0; ox < outW; ox++)
                {
                    int x0 = Start(ox, inW, outW), x1 = End(ox, inW, outW);
                    T sum = T.Zero;
                    for (int y = y0; y < y1; y++)
                    for (int x = x0; x < x1; x++)
                        sum += src[y * inW + x];
                    dst[oy * outW + ox] = sum / T.CreateTruncating((y1 - y0) * (x1 - x0));
                }
            }
        }
    }

    public static void AvgBackward<T>(ReadOnlySpan<T> gradOutput, int planes, int inH, int inW, int outH, int outW, Span<T> gradInput)
        where T : unmanaged, INumber<T>
    {
        int inPlane = inH * inW, outPlane = outH * outW;
        gradInput[..(planes * inPlane)].Clear();
        for (int p = 0; p < planes; p++)
        {
            var gi = gradInput.Slice(p * inPlane, inPlane);
            var go = gradOutput.Slice(p * outPlane, outPlane);
            for (int oy = 0; oy < outH; oy++)
            {
                int y0 = Start(oy, inH, outH), y1 = End(oy, inH, outH);
                for (int ox = 0; ox < outW; ox++)
                {
                    int x0 = Start(ox, inW, outW), x1 = End(ox, inW, outW);
                    T share = go[oy * outW + ox] / T.CreateTruncating((y1 - y0) * (x1 - x0));
                    for (int y = y0; y < y1; y++)
                    for (int x = x0; x < x1; x++)
                        gi[y * inW + x] += share;
                }
            }
        }
    }

    /// <summary>Max over each adaptive window with the flat in-plane index of the winner (NaN wins, as in PyTorch).</summary>
    public static void MaxForward<T>(ReadOnlySpan<T> input, int planes, int inH, int inW, int outH, int outW, Span<T> output, Span<long> indices)
        where T : unmanaged, INumber<T>
    {
        int inPlane = inH * inW, outPlane = outH * outW;
        for (int p = 0; p < planes; p++)
        {
            var src = input.Slice(p * inPlane, inPlane);
            var dst = output.Slice(p * outPlane, outPlane);
            var idx = indices.Slice(p * outPlane, outPlane);
            for (int oy = 0; oy < outH; oy++)
            {
                int y0 = Start(oy, inH, outH), y1 = End(oy, inH, outH);
                for (int ox = 0; ox < outW; ox++)
                {
                    int x0 = Start(ox, inW, outW), x1 = End(ox, inW, outW);
                    int bestAt = y0 * inW + x0;
                    T best = src[bestAt];
                    for (int y = y0; y < y1 && !T.IsNaN(best); y++)
                    for (int x = x0; x < x1; x++)
                    {
                        T v = src[y * inW + x];
                        if (v > best || T.IsNaN(v)) { best = v; bestAt = y * inW + x; if (T.IsNaN(v)) break; }
                    }
                    dst[oy * outW + ox] = best;
                    idx[oy * outW + ox] = bestAt;
                }
            }
        }
    }
}
