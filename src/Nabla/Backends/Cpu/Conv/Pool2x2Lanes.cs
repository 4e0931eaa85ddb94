using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// Vector forms of one output row of 2×2/2 average pooling (float32 and float64, x86). Forward: the even and
/// odd columns of both input rows are separated with two-source shuffles (deinterleave), then added in the
/// scalar loop's order ((0 + r0[2i]) + r0[2i+1]) + r1[2i]) + r1[2i+1] and scaled by 1/4 (x·0.25 and x/4 round
/// the same exact value, so results match the scalar path bit for bit). Backward: each share g/4 is
/// duplicated into two neighbouring lanes and stored into both input rows.
/// <para>
/// Rows are short in the networks that matter (LeNet: 14 and 5 outputs), so the widest vector that fits in
/// the row is chosen (16, 8, 4 float outputs; 8, 4, 2 double outputs) and the last vector is placed flush
/// with the row's end, overlapping the previous one: it recomputes (or rewrites) a few identical values
/// instead of falling back to a scalar tail. A row narrower than the narrowest vector returns false and the
/// caller runs the scalar loop.
/// </para>
/// </summary>
internal static class Pool2x2Lanes
{
    // ---- forward: d[i] = (r0[2i] + r0[2i+1] + r1[2i] + r1[2i+1]) / 4 for i in [0, d.Length) ----

    public static bool AvgRow(ReadOnlySpan<float> row0, ReadOnlySpan<float> row1, Span<float> d)
    {
        int n = d.Length;
        CheckRows(n, row0.Length, row1.Length);
        ref float a = ref MemoryMarshal.GetReference(row0), b = ref MemoryMarshal.GetReference(row1);
        ref float o = ref MemoryMarshal.GetReference(d);
        if (Avx512F.IsSupported && n >= 16)
        {
            for (int i = 0, last = n - 16; ; i = Math.Min(i + 16, last))
            {
                Avg16(ref Unsafe.Add(ref a, 2 * i), ref Unsafe.Add(ref b, 2 * i)).StoreUnsafe(ref o, (nuint)i);
                if (i == last) return true;
            }
        }
        if (Avx2.IsSupported && n >= 8)
        {
            for (int i = 0, last = n - 8; ; i = Math.Min(i + 8, last))
            {
                Avg8(ref Unsafe.Add(ref a, 2 * i), ref Unsafe.Add(ref b, 2 * i)).StoreUnsafe(ref o, (nuint)i);
                if (i == last) return true;
            }
        }
        if (Sse.IsSupported && n >= 4)
        {
            for (int i = 0, last = n - 4; ; i = Math.Min(i + 4, last))
            {
                Avg4(ref Unsafe.Add(ref a, 2 * i), ref Unsafe.Add(ref b, 2 * i)).StoreUnsafe(ref o, (nuint)i);
                if (i == last) return true;
            }
        }
        return false;
    }

    public static bool AvgRow(ReadOnlySpan<double> row0, ReadOnlySpan<double> row1, Span<double> d)
    {
        int n = d.Length;
        CheckRows(n, row0.Length, row1.Length);
        ref double a = ref MemoryMarshal.GetReference(row0), b = ref MemoryMarshal.GetReference(row1);
        ref double o = ref MemoryMarshal.GetReference(d);
        if (Avx512F.IsSupported && n >= 8)
        {
            for (int i = 0, last = n - 8; ; i = Math.Min(i + 8, last))
            {
                Avg8(ref Unsafe.Add(ref a, 2 * i), ref Unsafe.Add(ref b, 2 * i)).StoreUnsafe(ref o, (nuint)i);
                if (i == last) return true;
            }
        }
        if (Avx2.IsSupported && n >= 4)
        {
            for (int i = 0, last = n - 4; ; i = Math.Min(i + 4, last))
            {
                Avg4(ref Unsafe.Add(ref a, 2 * i), ref Unsafe.Add(ref b, 2 * i)).StoreUnsafe(ref o, (nuint)i);
                if (i == last) return true;
            }
        }
        if (Sse2.IsSupported && n >= 2)
        {
            for (int i = 0, last = n - 2; ; i = Math.Min(i + 2, last))
            {
                Avg2(ref Unsafe.Add(ref a, 2 * i), ref Unsafe.Add(ref b, 2 * i)).StoreUnsafe(ref o, (nuint)i);
                if (i == last) return true;
            }
        }
        return false;
    }

    /// <summary>The four cells in the scalar loop's order, then the exact scaling by 1/4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Combine(Vector512<float> e0, Vector512<float> o0, Vector512<float> e1, Vector512<float> o1) =>
        (Vector512<float>.Zero + e0 + o0 + e1 + o1) * Vector512.Create(0.25f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Combine(Vector256<float> e0, Vector256<float> o0, Vector256<float> e1, Vector256<float> o1) =>
        (Vector256<float>.Zero + e0 + o0 + e1 + o1) * Vector256.Create(0.25f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> Combine(Vector128<float> e0, Vector128<float> o0, Vector128<float> e1, Vector128<float> o1) =>
        (Vector128<float>.Zero + e0 + o0 + e1 + o1) * Vector128.Create(0.25f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<double> Combine(Vector512<double> e0, Vector512<double> o0, Vector512<double> e1, Vector512<double> o1) =>
        (Vector512<double>.Zero + e0 + o0 + e1 + o1) * Vector512.Create(0.25);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> Combine(Vector256<double> e0, Vector256<double> o0, Vector256<double> e1, Vector256<double> o1) =>
        (Vector256<double>.Zero + e0 + o0 + e1 + o1) * Vector256.Create(0.25);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> Combine(Vector128<double> e0, Vector128<double> o0, Vector128<double> e1, Vector128<double> o1) =>
        (Vector128<double>.Zero + e0 + o0 + e1 + o1) * Vector128.Create(0.25);

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
    static Vector128<float> Avg4(ref float r0, ref float r1)
    {
        Vector128<float> a0 = Vector128.LoadUnsafe(ref r0), a1 = Vector128.LoadUnsafe(ref r0, 4);
        Vector128<float> b0 = Vector128.LoadUnsafe(ref r1), b1 = Vector128.LoadUnsafe(ref r1, 4);
        return Combine(Sse.Shuffle(a0, a1, 0b10_00_10_00), Sse.Shuffle(a0, a1, 0b11_01_11_01),
                       Sse.Shuffle(b0, b1, 0b10_00_10_00), Sse.Shuffle(b0, b1, 0b11_01_11_01));
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<double> Avg2(ref double r0, ref double r1)
    {
        Vector128<double> a0 = Vector128.LoadUnsafe(ref r0), a1 = Vector128.LoadUnsafe(ref r0, 2);
        Vector128<double> b0 = Vector128.LoadUnsafe(ref r1), b1 = Vector128.LoadUnsafe(ref r1, 2);
        return Combine(Sse2.UnpackLow(a0, a1), Sse2.UnpackHigh(a0, a1), Sse2.UnpackLow(b0, b1), Sse2.UnpackHigh(b0, b1));
    }

    // ---- backward: row0[2i] = row0[2i+1] = row1[2i] = row1[2i+1] = 0 + g[i] / 4 for i in [0, g.Length) ----

    public static bool ShareRow(ReadOnlySpan<float> g, Span<float> row0, Span<float> row1)
    {
        int n = g.Length;
        CheckRows(n, row0.Length, row1.Length);
        ref float s = ref MemoryMarshal.GetReference(g);
        ref float a = ref MemoryMarshal.GetReference(row0), b = ref MemoryMarshal.GetReference(row1);
        if (Avx512F.IsSupported && n >= 16)
        {
            var firstHalf = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
            var secondHalf = firstHalf + Vector512.Create(8);
            for (int i = 0, last = n - 16; ; i = Math.Min(i + 16, last))
            {
                var v = Vector512<float>.Zero + Vector512.LoadUnsafe(ref s, (nuint)i) * Vector512.Create(0.25f);
                Store2(Avx512F.PermuteVar16x32(v, firstHalf), Avx512F.PermuteVar16x32(v, secondHalf), ref a, ref b, 2 * i);
                if (i == last) return true;
            }
        }
        if (Avx2.IsSupported && n >= 8)
        {
            for (int i = 0, last = n - 8; ; i = Math.Min(i + 8, last))
            {
                var v = Vector256<float>.Zero + Vector256.LoadUnsafe(ref s, (nuint)i) * Vector256.Create(0.25f);
                // vunpck{l,h}ps work per 128-bit half: (0 0 1 1 | 4 4 5 5) and (2 2 3 3 | 6 6 7 7); vperm2f128 regroups.
                Vector256<float> lo = Avx.UnpackLow(v, v), hi = Avx.UnpackHigh(v, v);
                Store2(Avx.Permute2x128(lo, hi, 0x20), Avx.Permute2x128(lo, hi, 0x31), ref a, ref b, 2 * i);
                if (i == last) return true;
            }
        }
        if (Sse.IsSupported && n >= 4)
        {
            for (int i = 0, last = n - 4; ; i = Math.Min(i + 4, last))
            {
                var v = Vector128<float>.Zero + Vector128.LoadUnsafe(ref s, (nuint)i) * Vector128.Create(0.25f);
                Store2(Sse.UnpackLow(v, v), Sse.UnpackHigh(v, v), ref a, ref b, 2 * i);
                if (i == last) return true;
            }
        }
        return false;
    }

    public static bool ShareRow(ReadOnlySpan<double> g, Span<double> row0, Span<double> row1)
    {
        int n = g.Length;
        CheckRows(n, row0.Length, row1.Length);
        ref double s = ref MemoryMarshal.GetReference(g);
        ref double a = ref MemoryMarshal.GetReference(row0), b = ref MemoryMarshal.GetReference(row1);
        if (Avx512F.IsSupported && n >= 8)
        {
            var firstHalf = Vector512.Create(0L, 0, 1, 1, 2, 2, 3, 3);
            var secondHalf = firstHalf + Vector512.Create(4L);
            for (int i = 0, last = n - 8; ; i = Math.Min(i + 8, last))
            {
                var v = Vector512<double>.Zero + Vector512.LoadUnsafe(ref s, (nuint)i) * Vector512.Create(0.25);
                Store2(Avx512F.PermuteVar8x64(v, firstHalf), Avx512F.PermuteVar8x64(v, secondHalf), ref a, ref b, 2 * i);
                if (i == last) return true;
            }
        }
        if (Avx2.IsSupported && n >= 4)
        {
            for (int i = 0, last = n - 4; ; i = Math.Min(i + 4, last))
            {
                var v = Vector256<double>.Zero + Vector256.LoadUnsafe(ref s, (nuint)i) * Vector256.Create(0.25);
                Vector256<double> lo = Avx.UnpackLow(v, v), hi = Avx.UnpackHigh(v, v);   // (0 0 | 2 2), (1 1 | 3 3)
                Store2(Avx.Permute2x128(lo, hi, 0x20), Avx.Permute2x128(lo, hi, 0x31), ref a, ref b, 2 * i);
                if (i == last) return true;
            }
        }
        if (Sse2.IsSupported && n >= 2)
        {
            for (int i = 0, last = n - 2; ; i = Math.Min(i + 2, last))
            {
                var v = Vector128<double>.Zero + Vector128.LoadUnsafe(ref s, (nuint)i) * Vector128.Create(0.25);
                Store2(Sse2.UnpackLow(v, v), Sse2.UnpackHigh(v, v), ref a, ref b, 2 * i);
                if (i == last) return true;
            }
        }
        return false;
    }

    /// <summary>The loads and stores below are unchecked, so the rows' lengths are checked once per row.</summary>
    static void CheckRows(int n, int row0, int row1)
    {
        if (row0 < 2 * n || row1 < 2 * n)
            throw new ArgumentException($"avg_pool2d 2x2: rows of {row0} and {row1} elements are too short for {n} outputs.");
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
