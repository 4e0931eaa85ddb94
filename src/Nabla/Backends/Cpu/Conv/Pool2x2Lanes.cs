using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// Vector forms of one plane of 2×2/2 average pooling (float32 and float64, x86). Forward: the even and
/// odd columns of both input rows are separated with two-source shuffles (deinterleave), then added in the
/// scalar loop's order ((0 + r0[2i]) + r0[2i+1]) + r1[2i]) + r1[2i+1] and scaled by 1/4 (x·0.25 and x/4 round
/// the same exact value, so results match the scalar path bit for bit). Backward: each share g/4 is
/// duplicated into two neighbouring lanes and stored into both input rows.
/// <para>
/// Rows are short in the networks that matter (LeNet: 14 and 5 outputs), so the widest vector that fits in
/// a row is chosen once per plane and the last vector is placed flush with the row's end, overlapping the
/// previous one: it recomputes (or rewrites) a few identical values instead of falling back to a scalar tail.
/// Widths: forward 16 or 8 float outputs (8 or 4 double), backward also 4 floats (2 doubles). A forward
/// 128-bit form was measured slower than the scalar loop on LeNet's 5-wide rows (0.15 vs 0.115 ms on
/// 256×16×10×10, its shuffles cost more than the scalar adds), while the backward one was faster (0.11 vs
/// 0.17 ms), so only the latter is kept. A plane whose rows are narrower than the narrowest vector returns
/// false and the caller runs the scalar loop. Whole planes rather than rows are the unit so that the choice,
/// the bounds check and the call are paid once per plane.
/// </para>
/// </summary>
internal static class Pool2x2Lanes
{
    // ---- forward: out[oy, i] = (r0[2i] + r0[2i+1] + r1[2i] + r1[2i+1]) / 4, r0 and r1 input rows 2·oy and 2·oy + 1 ----

    /// <summary>One plane (row pitch <paramref name="inW"/>); false, with nothing written, when the rows are too short for any vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AvgPlane(ReadOnlySpan<float> src, int inW, int outH, int outW, Span<float> dst)
    {
        int width = Avx512F.IsSupported && outW >= 16 ? 16 : Avx2.IsSupported && outW >= 8 ? 8 : 0;
        CheckPlane(src.Length, inW, outH, outW, dst.Length);
        if (width == 0 || outH == 0) return false;
        AvgVectors(src, inW, outH, outW, dst, width);
        return true;
    }

    static void AvgVectors(ReadOnlySpan<float> src, int inW, int outH, int outW, Span<float> dst, int width)
    {
        ref float s = ref MemoryMarshal.GetReference(src);
        ref float d = ref MemoryMarshal.GetReference(dst);
        for (int oy = 0; oy < outH; oy++)
        {
            ref float r0 = ref Unsafe.Add(ref s, 2 * oy * inW);
            ref float r1 = ref Unsafe.Add(ref r0, inW);
            ref float o = ref Unsafe.Add(ref d, oy * outW);
            for (int i = 0, last = outW - width; ; i = Math.Min(i + width, last))
            {
                if (width == 16) Avg16(ref Unsafe.Add(ref r0, 2 * i), ref Unsafe.Add(ref r1, 2 * i)).StoreUnsafe(ref o, (nuint)i);
                else Avg8(ref Unsafe.Add(ref r0, 2 * i), ref Unsafe.Add(ref r1, 2 * i)).StoreUnsafe(ref o, (nuint)i);
                if (i == last) break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AvgPlane(ReadOnlySpan<double> src, int inW, int outH, int outW, Span<double> dst)
    {
        int width = Avx512F.IsSupported && outW >= 8 ? 8 : Avx2.IsSupported && outW >= 4 ? 4 : 0;
        CheckPlane(src.Length, inW, outH, outW, dst.Length);
        if (width == 0 || outH == 0) return false;
        AvgVectors(src, inW, outH, outW, dst, width);
        return true;
    }

    static void AvgVectors(ReadOnlySpan<double> src, int inW, int outH, int outW, Span<double> dst, int width)
    {
        ref double s = ref MemoryMarshal.GetReference(src);
        ref double d = ref MemoryMarshal.GetReference(dst);
        for (int oy = 0; oy < outH; oy++)
        {
            ref double r0 = ref Unsafe.Add(ref s, 2 * oy * inW);
            ref double r1 = ref Unsafe.Add(ref r0, inW);
            ref double o = ref Unsafe.Add(ref d, oy * outW);
            for (int i = 0, last = outW - width; ; i = Math.Min(i + width, last))
            {
                if (width == 8) Avg8(ref Unsafe.Add(ref r0, 2 * i), ref Unsafe.Add(ref r1, 2 * i)).StoreUnsafe(ref o, (nuint)i);
                else Avg4(ref Unsafe.Add(ref r0, 2 * i), ref Unsafe.Add(ref r1, 2 * i)).StoreUnsafe(ref o, (nuint)i);
                if (i == last) break;
            }
        }
    }

    /// <summary>The loads and stores are unchecked, so the plane's extent is checked once (on every path, so bad sizes fail alike on every machine).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void CheckPlane(int src, int inW, int outH, int outW, int dst)
    {
        if (2 * outW > inW || (long)(2 * outH - 1) * inW + 2 * outW > src || (long)outH * outW > dst)
            ThrowPlane(src, inW, outH, outW, dst);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowPlane(int src, int inW, int outH, int outW, int dst) =>
        throw new ArgumentException($"avg_pool2d 2x2: a plane of {src} elements with row pitch {inW} cannot hold {outH}x{outW} windows, or the other side of {dst} elements is too short.");

    /// <summary>The four cells in the scalar loop's order, then the exact scaling by 1/4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Combine(Vector512<float> e0, Vector512<float> o0, Vector512<float> e1, Vector512<float> o1) =>
        (Vector512<float>.Zero + e0 + o0 + e1 + o1) * Vector512.Create(0.25f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Combine(Vector256<float> e0, Vector256<float> o0, Vector256<float> e1, Vector256<float> o1) =>
        (Vector256<float>.Zero + e0 + o0 + e1 + o1) * Vector256.Create(0.25f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> Combine(Vector512<double> e0, Vector512<double> o0, Vector512<double> e1, Vector512<double> o1) =>
        (Vector512<double>.Zero + e0 + o0 + e1 + o1) * Vector512.Create(0.25);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> Combine(Vector256<double> e0, Vector256<double> o0, Vector256<double> e1, Vector256<double> o1) =>
        (Vector256<double>.Zero + e0 + o0 + e1 + o1) * Vector256.Create(0.25);

    /// <summary>16 float outputs from 32 + 32 inputs: vpermt2ps picks the even (odd) lanes of two registers in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Avg16(ref float r0, ref float r1)
    {
        var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odd = even + Vector512<int>.One;
        Vector512<float> a0 = Vector512.LoadUnsafe(ref r0), a1 = Vector512.LoadUnsafe(ref r0, 16);
        Vector512<float> b0 = Vector512.LoadUnsafe(ref r1), b1 = Vector512.LoadUnsafe(ref r1, 16);
        return Combine(Avx512F.PermuteVar16x32x2(a0, even, a1), Avx512F.PermuteVar16x32x2(a0, odd, a1),
                       Avx512F.PermuteVar16x32x2(b0, even, b1), Avx512F.PermuteVar16x32x2(b0, odd, b1));
    }

    /// <summary>
    /// 8 float outputs from 16 + 16 inputs. vshufps works inside each 128-bit half, so the sums come out as
    /// output pairs (0,1) (4,5) (2,3) (6,7); one 64-bit lane permute puts them in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Avg8(ref float r0, ref float r1)
    {
        Vector256<float> a0 = Vector256.LoadUnsafe(ref r0), a1 = Vector256.LoadUnsafe(ref r0, 8);
        Vector256<float> b0 = Vector256.LoadUnsafe(ref r1), b1 = Vector256.LoadUnsafe(ref r1, 8);
        var s = Combine(Avx.Shuffle(a0, a1, 0b10_00_10_00), Avx.Shuffle(a0, a1, 0b11_01_11_01),
                        Avx.Shuffle(b0, b1, 0b10_00_10_00), Avx.Shuffle(b0, b1, 0b11_01_11_01));
        return Avx2.Permute4x64(s.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> Avg8(ref double r0, ref double r1)
    {
        var even = Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14);
        var odd = even + Vector512<long>.One;
        Vector512<double> a0 = Vector512.LoadUnsafe(ref r0), a1 = Vector512.LoadUnsafe(ref r0, 8);
        Vector512<double> b0 = Vector512.LoadUnsafe(ref r1), b1 = Vector512.LoadUnsafe(ref r1, 8);
        return Combine(Avx512F.PermuteVar8x64x2(a0, even, a1), Avx512F.PermuteVar8x64x2(a0, odd, a1),
                       Avx512F.PermuteVar8x64x2(b0, even, b1), Avx512F.PermuteVar8x64x2(b0, odd, b1));
    }

    /// <summary>4 double outputs: vshufpd gives outputs (0,2,1,3); the lane permute restores the order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> Avg4(ref double r0, ref double r1)
    {
        Vector256<double> a0 = Vector256.LoadUnsafe(ref r0), a1 = Vector256.LoadUnsafe(ref r0, 4);
        Vector256<double> b0 = Vector256.LoadUnsafe(ref r1), b1 = Vector256.LoadUnsafe(ref r1, 4);
        var s = Combine(Avx.Shuffle(a0, a1, 0b0000), Avx.Shuffle(a0, a1, 0b1111),
                        Avx.Shuffle(b0, b1, 0b0000), Avx.Shuffle(b0, b1, 0b1111));
        return Avx2.Permute4x64(s, 0b11_01_10_00);
    }

    // ---- backward: the four cells of window (oy, i) all get 0 + g[oy, i] / 4 ----

    /// <summary>One plane of window shares (row pitch <paramref name="inW"/>); false, with nothing written, when the rows are too short for any vector. Cells outside every window are the caller's to clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SharePlane(ReadOnlySpan<float> go, int inW, int outH, int outW, Span<float> gi)
    {
        int width = Avx512F.IsSupported && outW >= 16 ? 16 : Avx2.IsSupported && outW >= 8 ? 8 : Sse.IsSupported && outW >= 4 ? 4 : 0;
        CheckPlane(gi.Length, inW, outH, outW, go.Length);
        if (width == 0 || outH == 0) return false;
        ShareVectors(go, inW, outH, outW, gi, width);
        return true;
    }

    static void ShareVectors(ReadOnlySpan<float> go, int inW, int outH, int outW, Span<float> gi, int width)
    {
        ref float g = ref MemoryMarshal.GetReference(go);
        ref float d = ref MemoryMarshal.GetReference(gi);
        var firstHalf = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
        var secondHalf = firstHalf + Vector512.Create(8);
        for (int oy = 0; oy < outH; oy++)
        {
            ref float r0 = ref Unsafe.Add(ref d, 2 * oy * inW);
            ref float r1 = ref Unsafe.Add(ref r0, inW);
            ref float s = ref Unsafe.Add(ref g, oy * outW);
            for (int i = 0, last = outW - width; ; i = Math.Min(i + width, last))
            {
                if (width == 16)
                {
                    var v = Vector512<float>.Zero + Vector512.LoadUnsafe(ref s, (nuint)i) * Vector512.Create(0.25f);
                    Store2(Avx512F.PermuteVar16x32(v, firstHalf), Avx512F.PermuteVar16x32(v, secondHalf), ref r0, ref r1, 2 * i);
                }
                else if (width == 8)
                {
                    var v = Vector256<float>.Zero + Vector256.LoadUnsafe(ref s, (nuint)i) * Vector256.Create(0.25f);
                    // vunpck{l,h}ps work per 128-bit half: (0 0 1 1 | 4 4 5 5) and (2 2 3 3 | 6 6 7 7); vperm2f128 regroups.
                    Vector256<float> lo = Avx.UnpackLow(v, v), hi = Avx.UnpackHigh(v, v);
                    Store2(Avx.Permute2x128(lo, hi, 0x20), Avx.Permute2x128(lo, hi, 0x31), ref r0, ref r1, 2 * i);
                }
                else
                {
                    var v = Vector128<float>.Zero + Vector128.LoadUnsafe(ref s, (nuint)i) * Vector128.Create(0.25f);
                    Store2(Sse.UnpackLow(v, v), Sse.UnpackHigh(v, v), ref r0, ref r1, 2 * i);
                }
                if (i == last) break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SharePlane(ReadOnlySpan<double> go, int inW, int outH, int outW, Span<double> gi)
    {
        int width = Avx512F.IsSupported && outW >= 8 ? 8 : Avx2.IsSupported && outW >= 4 ? 4 : Sse2.IsSupported && outW >= 2 ? 2 : 0;
        CheckPlane(gi.Length, inW, outH, outW, go.Length);
        if (width == 0 || outH == 0) return false;
        ShareVectors(go, inW, outH, outW, gi, width);
        return true;
    }

    static void ShareVectors(ReadOnlySpan<double> go, int inW, int outH, int outW, Span<double> gi, int width)
    {
        ref double g = ref MemoryMarshal.GetReference(go);
        ref double d = ref MemoryMarshal.GetReference(gi);
        var firstHalf = Vector512.Create(0L, 0, 1, 1, 2, 2, 3, 3);
        var secondHalf = firstHalf + Vector512.Create(4L);
        for (int oy = 0; oy < outH; oy++)
        {
            ref double r0 = ref Unsafe.Add(ref d, 2 * oy * inW);
            ref double r1 = ref Unsafe.Add(ref r0, inW);
            ref double s = ref Unsafe.Add(ref g, oy * outW);
            for (int i = 0, last = outW - width; ; i = Math.Min(i + width, last))
            {
                if (width == 8)
                {
                    var v = Vector512<double>.Zero + Vector512.LoadUnsafe(ref s, (nuint)i) * Vector512.Create(0.25);
                    Store2(Avx512F.PermuteVar8x64(v, firstHalf), Avx512F.PermuteVar8x64(v, secondHalf), ref r0, ref r1, 2 * i);
                }
                else if (width == 4)
                {
                    var v = Vector256<double>.Zero + Vector256.LoadUnsafe(ref s, (nuint)i) * Vector256.Create(0.25);
                    Vector256<double> lo = Avx.UnpackLow(v, v), hi = Avx.UnpackHigh(v, v);   // (0 0 | 2 2), (1 1 | 3 3)
                    Store2(Avx.Permute2x128(lo, hi, 0x20), Avx.Permute2x128(lo, hi, 0x31), ref r0, ref r1, 2 * i);
                }
                else
                {
                    var v = Vector128<double>.Zero + Vector128.LoadUnsafe(ref s, (nuint)i) * Vector128.Create(0.25);
                    Store2(Sse2.UnpackLow(v, v), Sse2.UnpackHigh(v, v), ref r0, ref r1, 2 * i);
                }
                if (i == last) break;
            }
        }
    }

    /// <summary>Writes the duplicated shares (first, then second register) at <paramref name="at"/> of both rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store2<T, TV>(TV first, TV second, ref T row0, ref T row1, int at) where TV : struct
    {
        int width = Unsafe.SizeOf<TV>() / Unsafe.SizeOf<T>();
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref row0, at)), first);
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref row0, at + width)), second);
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref row1, at)), first);
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref row1, at + width)), second);
    }
}
