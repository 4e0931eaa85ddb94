using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// The 2×2, stride-2 pooling window with no padding or dilation (LeNet's and most CNNs' pooling), with every
/// window inside the input. Same results, bit for bit, as the generic window loops of <see cref="PoolKernels"/>
/// (same scan order, same tie and NaN rules, same divisor), without their per-cell bounds checks and window
/// arithmetic. A leftover odd last row/column of the input is simply never read (floor mode). Average pooling's
/// float32/float64 planes go to the vector forms of <see cref="Pool2x2Lanes"/> (same order of additions, so still
/// bit for bit); other element types, and planes with rows too short for any vector, take the scalar loops here.
/// </summary>
internal static class Pool2x2
{
    /// <summary>True when <paramref name="g"/> is the plain 2×2/2 window and no window leaves the input.</summary>
    public static bool Applies(in ConvGeometry g) =>
        g.KernelH == 2 && g.KernelW == 2 && g.StrideH == 2 && g.StrideW == 2 && g.PadH == 0 && g.PadW == 0
        && g.DilationH == 1 && g.DilationW == 1 && 2 * g.OutH <= g.InH && 2 * g.OutW <= g.InW;

    /// <summary>
    /// Max pooling of one plane. <paramref name="topLeft"/> (from <see cref="RentTopLeftCells"/>, shared by all planes
    /// of a call) lets float planes run 8 windows at a time on AVX2; the remaining windows, and every window
    /// of other types, go through the scalar scan.
    /// </summary>
    public static void MaxPlane<T>(ReadOnlySpan<T> src, int inW, int outH, int outW, Span<T> dst, Span<long> idx, ReadOnlySpan<int> topLeft = default)
        where T : unmanaged, INumber<T>
    {
        for (int o = VectorWindows(src, inW, dst, idx, topLeft); o < outH * outW; o++)
        {
            int oy = o / outW, x = 2 * (o - oy * outW);
            int r0 = 2 * oy * inW, r1 = r0 + inW;
            // Scan order of the generic loop: (0,0), (0,1), (1,0), (1,1); first strict maximum wins, NaN wins at once.
            T best = src[r0 + x];
            int at = r0 + x;
            if (!T.IsNaN(best))
            {
                T v = src[r0 + x + 1];
                if (v > best || T.IsNaN(v)) { best = v; at = r0 + x + 1; }
                if (!T.IsNaN(best))
                {
                    v = src[r1 + x];
                    if (v > best || T.IsNaN(v)) { best = v; at = r1 + x; }
                    if (!T.IsNaN(best))
                    {
                        v = src[r1 + x + 1];
                        if (v > best || T.IsNaN(v)) { best = v; at = r1 + x + 1; }
                    }
                }
            }
            dst[o] = best;
            idx[o] = at;
        }
    }

    /// <summary>
    /// The plane index of every window's first cell, in output order, in an array rented from the shared pool (the
    /// first outH·outW entries; give it back with <see cref="ReturnTopLeftCells"/>); null when no vector path would
    /// use it. Rented, not allocated: every pooling call needs one.
    /// </summary>
    public static int[]? RentTopLeftCells<T>(int inW, int outH, int outW) where T : unmanaged
    {
        if (typeof(T) != typeof(float) || !Pool2x2MaxVector.IsSupported || outH * outW < 8) return null;
        var cells = ArrayPool<int>.Shared.Rent(outH * outW);
        for (int oy = 0, o = 0; oy < outH; oy++)
            for (int ox = 0; ox < outW; ox++, o++)
                cells[o] = 2 * oy * inW + 2 * ox;
        return cells;
    }

    public static void ReturnTopLeftCells(int[]? cells)
    {
        if (cells is not null) ArrayPool<int>.Shared.Return(cells);
    }

    /// <summary>How many leading windows of the plane <see cref="Pool2x2MaxVector"/> pooled (float on AVX2 with a table; else none).</summary>
    static unsafe int VectorWindows<T>(ReadOnlySpan<T> src, int inW, Span<T> dst, Span<long> idx, ReadOnlySpan<int> topLeft)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) != typeof(float) || topLeft.Length < 8 || !Pool2x2MaxVector.IsSupported) return 0;
        fixed (T* s = src, d = dst)
        fixed (long* x = idx)
        fixed (int* t = topLeft)
            return Pool2x2MaxVector.Plane((float*)s, inW, dst.Length, t, (float*)d, x);
    }

    public static void AvgPlane<T>(ReadOnlySpan<T> src, int inW, int outH, int outW, Span<T> dst)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float) && Pool2x2Lanes.AvgPlane(Cast<T, float>(src), inW, outH, outW, MemoryMarshal.Cast<T, float>(dst))) return;
        if (typeof(T) == typeof(double) && Pool2x2Lanes.AvgPlane(Cast<T, double>(src), inW, outH, outW, MemoryMarshal.Cast<T, double>(dst))) return;
        AvgPlaneScalar(src, inW, outH, outW, dst);
    }

    /// <summary>
    /// The scalar loop, its own method so that its compiled code does not depend on the vector path: with the
    /// loop inlined in the dispatcher, dynamic PGO that had seen mostly vector planes (LeNet's 28×28) compiled it
    /// as cold code, 1.6× slower on the 10×10 planes that need it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void AvgPlaneScalar<T>(ReadOnlySpan<T> src, int inW, int outH, int outW, Span<T> dst) where T : unmanaged, INumber<T>
    {
        T four = T.CreateTruncating(4);
        for (int oy = 0; oy < outH; oy++)
        {
            var row0 = src.Slice(2 * oy * inW, 2 * outW);
            var row1 = src.Slice(2 * oy * inW + inW, 2 * outW);
            var d = dst.Slice(oy * outW, outW);
            for (int ox = 0; ox < outW; ox++)
            {
                int x = 2 * ox;
                // Same summation order as the generic loop, so results agree exactly.
                d[ox] = (T.Zero + row0[x] + row0[x + 1] + row1[x] + row1[x + 1]) / four;
            }
        }
    }

    /// <summary>Each input cell lies in at most one window: write its share (or zero) directly, no clear-and-add pass.</summary>
    public static void AvgBackwardPlane<T>(ReadOnlySpan<T> go, int inH, int inW, int outH, int outW, Span<T> gi)
        where T : unmanaged, INumber<T>
    {
        bool done = typeof(T) == typeof(float) ? Pool2x2Lanes.SharePlane(Cast<T, float>(go), inW, outH, outW, MemoryMarshal.Cast<T, float>(gi))
            : typeof(T) == typeof(double) && Pool2x2Lanes.SharePlane(Cast<T, double>(go), inW, outH, outW, MemoryMarshal.Cast<T, double>(gi));
        T four = T.CreateTruncating(4);
        for (int oy = 0; oy < outH && !done; oy++)
        {
            var row0 = gi.Slice(2 * oy * inW, inW);
            var row1 = gi.Slice(2 * oy * inW + inW, inW);
            var g = go.Slice(oy * outW, outW);
            for (int ox = 0; ox < outW; ox++)
            {
                T share = T.Zero + g[ox] / four;
                row0[2 * ox] = share; row0[2 * ox + 1] = share;
                row1[2 * ox] = share; row1[2 * ox + 1] = share;
            }
        }
        if (2 * outW < inW)   // an odd last column lies in no window
            for (int y = 0; y < 2 * outH; y++) gi.Slice(y * inW + 2 * outW, inW - 2 * outW).Clear();
        gi[(2 * outH * inW)..(inH * inW)].Clear();
    }

    static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> s) where TFrom : unmanaged where TTo : unmanaged => MemoryMarshal.Cast<TFrom, TTo>(s);
}
