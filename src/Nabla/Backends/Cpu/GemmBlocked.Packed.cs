using System.Runtime.CompilerServices;
using System.Numerics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// The blocked product with op(B) packed beforehand (<see cref="GemmPackedB{T}"/>): the same loop nest and the
/// same k-slices as <see cref="Run"/>, so every C element sums its terms in the same order and the result is
/// identical; only op(A) is packed per call.
/// </summary>
internal static unsafe partial class GemmBlocked<T, TKernel>
{
    /// <summary>The k-slice depth <see cref="Worker"/> uses for a product of depth <paramref name="k"/>: equal slices of at most KC.</summary>
    static int SliceDepth(int k) => k == 0 ? 1 : CeilDiv(k, CeilDiv(k, Kc));

    public static GemmPackedB<T> Pack(GemmPath path, bool transB, int k, int n, T* b, int ldb)
    {
        int nr = TKernel.Nr<T>(), kcMax = SliceDepth(k), nPad = RoundUp(n, nr);
        var packed = new GemmPackedB<T>(path, k, n, kcMax, nr);
        for (int pc = 0; pc < k; pc += kcMax)
            GemmPacking.PackB(b, ldb, transB, pc, Math.Min(kcMax, k - pc), 0, n, nr, packed.Data + (long)pc * nPad);
        return packed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunPacked(bool transA, int m, T alpha, T* a, int lda, GemmPackedB<T> b, T beta, T* c, int ldc)
    {
        int n = b.N, k = b.K, mr = TKernel.Mr, nr = TKernel.Nr<T>();
        long work = (long)m * n * k;
        int threads = work < Gemm.ParallelWork || Gemm.InsideWorker ? 1 : Math.Max(1, Math.Min(Gemm.MaxThreads, Environment.ProcessorCount));
        // Split the longer side of C in whole micro-tiles; column blocks start on panel boundaries of the packing.
        bool splitRows = m >= n;
        int tile = splitRows ? mr : nr, extent = splitRows ? m : n;
        int parts = Math.Min(threads, (extent + tile - 1) / tile);
        if (parts <= 1)
        {
            WorkerPacked(transA, 0, m, 0, n, alpha, a, lda, b, beta, c, ldc);
            return;
        }
        int chunk = ((extent + parts - 1) / parts + tile - 1) / tile * tile;
        var job = new PackedSplitJob
        {
            TransA = transA, M = m, N = n, Alpha = alpha, A = a, Lda = lda, B = b, Beta = beta, C = c, Ldc = ldc,
            SplitRows = splitRows, Chunk = chunk, Extent = extent,
        };
        WorkerPool.Run(parts, ref job);
    }

    /// <summary>One worker's band of C against the pre-packed B (a struct, so the recurrent steps allocate nothing per product).</summary>
    struct PackedSplitJob : IPartJob
    {
        public bool TransA, SplitRows;
        public int M, N, Lda, Ldc, Chunk, Extent;
        public T Alpha, Beta;
        public T* A, C;
        public GemmPackedB<T> B;

        public readonly void Run(int part)
        {
            int start = part * Chunk, end = Math.Min(Extent, start + Chunk);
            if (start >= end) return;
            if (SplitRows) WorkerPacked(TransA, start, end, 0, N, Alpha, A, Lda, B, Beta, C, Ldc);
            else WorkerPacked(TransA, 0, M, start, end, Alpha, A, Lda, B, Beta, C, Ldc);
        }
    }

    /// <summary>C[i0..i1, j0..j1] from the packed B (j0 on a panel boundary); A is packed into a pooled buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void WorkerPacked(bool transA, int i0, int i1, int j0, int j1, T alpha, T* a, int lda, GemmPackedB<T> b, T beta, T* c, int ldc)
    {
        bool overwriteFirst = beta == T.Zero;
        if (!overwriteFirst) GemmVector.ScaleC(c, ldc, i0, i1, j0, j1, beta);
        int mr = TKernel.Mr, nr = TKernel.Nr<T>(), k = b.K;
        int kcMax = b.SliceDepth, nPad = RoundUp(b.N, nr);
        int mcMax = RoundUp(CeilDiv(i1 - i0, CeilDiv(i1 - i0, Mc)), mr);
        T* aPack = GemmScratch<T>.A(mcMax * kcMax);
        // NC-wide column blocks as in Worker, so the part of each B slice swept per A block stays in cache.
        for (int jc = j0; jc < j1; jc += Nc)
        {
            int nc = Math.Min(Nc, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                T* bPack = b.Data + (long)pc * nPad + (long)jc * kc;
                for (int ic = i0; ic < i1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, i1 - ic);
                    GemmPacking.PackA(a, lda, transA, ic, mc, pc, kc, alpha, mr, aPack);
                    Macro(mc, nc, kc, aPack, bPack, c + (long)ic * ldc + jc, ldc, overwriteFirst && pc == 0);
                }
            }
        }
    }
}
