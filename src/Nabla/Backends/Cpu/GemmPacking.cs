using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Copies blocks of op(A) and op(B) into the panel order the micro-kernels read: A as MR-row panels
/// stored column by column (MR values per k step), B as NR-column panels stored row by row (NR values per
/// k step). Edges are zero-padded to whole panels, so the kernel never branches on size. Packing is where
/// the transpose flags are absorbed: a transposed operand is read with swapped strides, never copied first.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs op(A)[i0..i0+mc, p0..p0+kc] scaled by <paramref name="alpha"/> (alpha is folded in here, once per
    /// block, instead of once per C element). op(A)[i, p] is a[i*lda + p], or a[p*lda + i] when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(T* a, int lda, bool trans, int i0, int mc, int p0, int kc, T alpha, int mr, T* dst)
        where T : unmanaged, INumber<T>
    {
        bool scale = alpha != T.One;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            T* panel = dst + (long)ir * kc;
            if (!trans)
            {
                // Each source row is contiguous along k; it lands in one lane of the panel. Whole 12- and 8-row
                // float panels go through register transposes, 8 k steps at a time; the rest lane by lane.
                int done = typeof(T) == typeof(float) && rows == mr ? PackRowsTransposed(a, lda, i0 + ir, rows, p0, kc, alpha, (float*)panel) : 0;
                if (done == kc) continue;
                for (int r = 0; r < rows; r++)
                {
                    T* src = a + (long)(i0 + ir + r) * lda + p0;
                    T* d = panel + r;
                    if (scale) for (int p = done; p < kc; p++) d[p * mr] = alpha * src[p];
                    else for (int p = done; p < kc; p++) d[p * mr] = src[p];
                }
            }
            else
            {
                // Transposed: for a fixed k the MR rows are adjacent in memory, so each step is one short copy.
                if (typeof(T) == typeof(float) && rows == mr && (mr == 12 || mr == 8) && Vector256.IsHardwareAccelerated)
                {
                    CopyRowsFloat((float*)a + (long)p0 * lda + i0 + ir, lda, mr, kc, float.CreateTruncating(alpha), (float*)panel);
                    continue;
                }
                for (int p = 0; p < kc; p++)
                {
                    T* src = a + (long)(p0 + p) * lda + i0 + ir;
                    T* d = panel + p * mr;
                    if (scale) for (int r = 0; r < rows; r++) d[r] = alpha * src[r];
                    else for (int r = 0; r < rows; r++) d[r] = src[r];
                }
            }
            if (rows < mr)
                for (int p = 0; p < kc; p++)
                    new Span<T>(panel + p * mr + rows, mr - rows).Clear();
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nc]; op(B)[p, j] is b[p*ldb + j], or b[j*ldb + p] when transposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(T* b, int ldb, bool trans, int p0, int kc, int j0, int nc, int nr, T* dst)
        where T : unmanaged, INumber<T>
    {
        // Whole AVX-512 panels of a row-major B (two 64-byte vectors per k step) are copied across the panels;
        // the loop below packs the rest one panel at a time.
        int start = 0;
        if (!trans && nr * sizeof(T) == 128 && Vector512.IsHardwareAccelerated)
            start = CopyWholePanels((byte*)(b + (long)p0 * ldb + j0), (long)ldb * sizeof(T), kc, nc / nr, (byte*)dst) * nr;
        for (int jr = start; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* panel = dst + (long)jr * kc;
            if (!trans)
            {
                // Rows of B are contiguous along j: one NR-wide copy per k step.
                for (int p = 0; p < kc; p++)
                {
                    var src = new ReadOnlySpan<T>(b + (long)(p0 + p) * ldb + j0 + jr, cols);
                    var d = new Span<T>(panel + p * nr, nr);
                    src.CopyTo(d);
                    if (cols < nr) d[cols..].Clear();
                }
            }
            else
            {
                // Transposed: each column of op(B) is contiguous along k and fills one lane of the panel. Whole
                // float panels go through register transposes, 8 columns × 8 k steps at a time.
                int done = typeof(T) == typeof(float) && cols == nr ? PackColumnsTransposed(b, ldb, j0 + jr, nr, p0, kc, (float*)panel) : 0;
                for (int j = 0; j < cols; j++)
                {
                    T* src = b + (long)(j0 + jr + j) * ldb + p0;
                    T* d = panel + j;
                    for (int p = done; p < kc; p++) d[p * nr] = src[p];
                }
                if (cols < nr)
                    for (int p = 0; p < kc; p++)
                        new Span<T>(panel + p * nr + cols, nr - cols).Clear();
            }
        }
    }

    /// <summary>
    /// Rows of B taken together by <see cref="CopyWholePanels"/>. Copying one whole panel at a time walks down B
    /// with a stride of a full row (8 KB for 2048 floats), a new page at every k step, which the hardware
    /// prefetchers do not follow; a band of 8 rows read across all panels advances along each row instead.
    /// Packing a 1024×2048 float block took 1.2-1.6 ms instead of 2.0-2.3 on one thread (bands of 16 or 32 rows
    /// were slower, 4 about the same).
    /// </summary>
    const int PanelBandRows = 8;

    /// <summary>
    /// Packs <paramref name="panels"/> whole 128-byte-wide panels of a row-major B, <paramref name="kc"/> rows
    /// deep (each k step of a panel is two 64-byte vectors); returns the number of panels packed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int CopyWholePanels(byte* src, long rowBytes, int kc, int panels, byte* dst)
    {
        long panelBytes = 128L * kc;
        for (int pb = 0; pb < kc; pb += PanelBandRows)
        {
            int pe = Math.Min(kc, pb + PanelBandRows);
            for (int j = 0; j < panels; j++)
            {
                byte* s = src + pb * rowBytes + j * 128L;
                byte* d = dst + j * panelBytes + pb * 128L;
                for (int p = pb; p < pe; p++, s += rowBytes, d += 128)
                {
                    Vector512.Store(Vector512.Load(s), d);
                    Vector512.Store(Vector512.Load(s + 64), d + 64);
                }
            }
        }
        return panels;
    }

    /// <summary>
    /// Packs the first multiple of 8 k steps of a whole 12- or 8-row float panel with <see cref="GemmTranspose"/>;
    /// returns how many k steps it packed (0 when the CPU or the panel height does not allow it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int PackRowsTransposed<T>(T* a, int lda, int row0, int mr, int p0, int kc, T alpha, float* panel)
        where T : unmanaged, INumber<T>
    {
        if (!GemmTranspose.IsSupported || (mr != 12 && mr != 8)) return 0;
        float scaleBy = float.CreateTruncating(alpha);
        bool scale = scaleBy != 1f;
        float* src = (float*)a + (long)row0 * lda + p0;
        int whole = kc & ~7;
        for (int p = 0; p < whole; p += 8)
        {
            GemmTranspose.Block8x8(src + p, lda, panel + p * mr, mr, scale, scaleBy);
            if (mr == 12) GemmTranspose.Block4x8(src + 8L * lda + p, lda, panel + p * mr + 8, mr, scale, scaleBy);
        }
        return whole;
    }

    /// <summary>As <see cref="PackRowsTransposed{T}"/> for a whole panel of a transposed B (columns of op(B) are rows of b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int PackColumnsTransposed<T>(T* b, int ldb, int col0, int nr, int p0, int kc, float* panel)
        where T : unmanaged
    {
        if (!GemmTranspose.IsSupported || nr % 8 != 0) return 0;
        float* src = (float*)b + (long)col0 * ldb + p0;
        int whole = kc & ~7;
        for (int g = 0; g < nr; g += 8)
            for (int p = 0; p < whole; p += 8)
                GemmTranspose.Block8x8(src + (long)g * ldb + p, ldb, panel + p * nr + g, nr, false, 1f);
        return whole;
    }

    /// <summary>A whole 12- or 8-row panel of a transposed float A: each k step is one 8-wide (and one 4-wide) vector copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void CopyRowsFloat(float* src, int lda, int mr, int kc, float alpha, float* panel)
    {
        var f = Vector256.Create(alpha);
        bool scale = alpha != 1f;
        for (int p = 0; p < kc; p++, src += lda, panel += mr)
        {
            var lo = Vector256.Load(src);
            Vector256.Store(scale ? lo * f : lo, panel);
            if (mr == 8) continue;
            var hi = Vector128.Load(src + 8);
            Vector128.Store(scale ? hi * f.GetLower() : hi, panel + 8);
        }
    }
}
