using System.Numerics;
using System.Runtime.CompilerServices;

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
                // Each source row is contiguous along k; it lands in one lane of the panel.
                for (int r = 0; r < rows; r++)
                {
                    T* src = a + (long)(i0 + ir + r) * lda + p0;
                    T* d = panel + r;
                    if (scale) for (int p = 0; p < kc; p++) d[p * mr] = alpha * src[p];
                    else for (int p = 0; p < kc; p++) d[p * mr] = src[p];
                }
            }
            else
            {
                // Transposed: for a fixed k the MR rows are adjacent in memory, so each step is one short copy.
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
        for (int jr = 0; jr < nc; jr += nr)
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
                // Transposed: each column of op(B) is contiguous along k and fills one lane of the panel.
                for (int j = 0; j < cols; j++)
                {
                    T* src = b + (long)(j0 + jr + j) * ldb + p0;
                    T* d = panel + j;
                    for (int p = 0; p < kc; p++) d[p * nr] = src[p];
                }
                if (cols < nr)
                    for (int p = 0; p < kc; p++)
                        new Span<T>(panel + p * nr + cols, nr - cols).Clear();
            }
        }
    }
}
