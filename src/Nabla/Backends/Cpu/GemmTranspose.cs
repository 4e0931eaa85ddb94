using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Register transposes of small float32 blocks for the packing routines: packing A row by row (or a transposed
/// B column by column) writes one lane of the panel per element, a scalar scatter that took ~20 µs per 132×256
/// block, a sixth of a 256³ product's time on one core. Loading 8 rows × 8 and transposing in registers turns it
/// into whole-vector loads and stores. AVX only; callers fall back to their scalar loops elsewhere.
/// </summary>
internal static unsafe class GemmTranspose
{
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>dst[j·dstStride + i] = alpha·src[i·ld + j] for i, j in 0..8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8x8(float* src, int ld, float* dst, int dstStride, bool scale, float alpha)
    {
        var v0 = Avx.LoadVector256(src);
        var v1 = Avx.LoadVector256(src + ld);
        var v2 = Avx.LoadVector256(src + 2 * ld);
        var v3 = Avx.LoadVector256(src + 3 * ld);
        var v4 = Avx.LoadVector256(src + 4 * ld);
        var v5 = Avx.LoadVector256(src + 5 * ld);
        var v6 = Avx.LoadVector256(src + 6 * ld);
        var v7 = Avx.LoadVector256(src + 7 * ld);
        // Interleave pairs of rows, then pairs of pairs: each 128-bit lane then holds 4 rows of one column
        // (columns 0-3 in the low lanes, 4-7 in the high ones); a lane swap joins rows 0-3 with rows 4-7.
        var t0 = Avx.UnpackLow(v0, v1); var t1 = Avx.UnpackHigh(v0, v1);
        var t2 = Avx.UnpackLow(v2, v3); var t3 = Avx.UnpackHigh(v2, v3);
        var t4 = Avx.UnpackLow(v4, v5); var t5 = Avx.UnpackHigh(v4, v5);
        var t6 = Avx.UnpackLow(v6, v7); var t7 = Avx.UnpackHigh(v6, v7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Store(dst, Avx.Permute2x128(s0, s4, 0x20), scale, alpha);
        Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20), scale, alpha);
        Store(dst + 2 * dstStride, Avx.Permute2x128(s2, s6, 0x20), scale, alpha);
        Store(dst + 3 * dstStride, Avx.Permute2x128(s3, s7, 0x20), scale, alpha);
        Store(dst + 4 * dstStride, Avx.Permute2x128(s0, s4, 0x31), scale, alpha);
        Store(dst + 5 * dstStride, Avx.Permute2x128(s1, s5, 0x31), scale, alpha);
        Store(dst + 6 * dstStride, Avx.Permute2x128(s2, s6, 0x31), scale, alpha);
        Store(dst + 7 * dstStride, Avx.Permute2x128(s3, s7, 0x31), scale, alpha);
    }

    /// <summary>dst[j·dstStride + i] = alpha·src[i·ld + j] for i in 0..4, j in 0..8 (the last 4 rows of a 12-row A panel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block4x8(float* src, int ld, float* dst, int dstStride, bool scale, float alpha)
    {
        var v0 = Avx.LoadVector256(src);
        var v1 = Avx.LoadVector256(src + ld);
        var v2 = Avx.LoadVector256(src + 2 * ld);
        var v3 = Avx.LoadVector256(src + 3 * ld);
        var t0 = Avx.UnpackLow(v0, v1); var t1 = Avx.UnpackHigh(v0, v1);
        var t2 = Avx.UnpackLow(v2, v3); var t3 = Avx.UnpackHigh(v2, v3);
        // Each 128-bit lane of s_c is column c (low) or c + 4 (high), rows 0-3.
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        if (scale)
        {
            var f = Vector256.Create(alpha);
            s0 *= f; s1 *= f; s2 *= f; s3 *= f;
        }
        s0.GetLower().Store(dst);
        s1.GetLower().Store(dst + dstStride);
        s2.GetLower().Store(dst + 2 * dstStride);
        s3.GetLower().Store(dst + 3 * dstStride);
        s0.GetUpper().Store(dst + 4 * dstStride);
        s1.GetUpper().Store(dst + 5 * dstStride);
        s2.GetUpper().Store(dst + 6 * dstStride);
        s3.GetUpper().Store(dst + 7 * dstStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* dst, Vector256<float> v, bool scale, float alpha)
    {
        if (scale) v *= Vector256.Create(alpha);
        v.Store(dst);
    }
}
