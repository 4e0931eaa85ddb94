using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Backends.Cpu;

/// <summary>
/// The cache-blocked product (the Goto/BLIS loop nest): for each NC-wide column block of C and each KC-deep
/// slice of k, pack that KC×NC block of op(B) (it stays in L3 and its KC×NR micro-panels in L1); for each
/// MC-tall row block, pack alpha·op(A) (MC×KC, sized for L2); then sweep micro-tiles with the kernel.
/// Large products are split over threads by rows or columns of C, as fixed bands or as row blocks claimed one at a
/// time (GemmBlocked.Dynamic.cs); each worker packs privately, and every C element sums its k terms in the same
/// order whatever the thread count.
/// </summary>
internal static unsafe partial class GemmBlocked<T, TKernel>
    where T : unmanaged, INumber<T>
    where TKernel : struct, IGemmMicroKernel
{
    // Block sizes in elements. KC is deep: each micro-tile then makes few round trips through C (a 12×32 tile is
    // loaded and stored once per k-slice), and the packed panels stream from L2, which on Zen 4 (1 MB per core)
    // feeds the kernel fast enough. Measured on this 2-core Zen 4, float32, A/B in one process: 1024³ on one
    // thread 93 → 104 GFLOP/s and 2048³ on two 189 → 208 going from KC 256 to 1024 (KC 128 was slower still);
    // MC between 48 and 384 rows made no difference. MC×KC (768 KB of A for float) stays in L2. NC keeps each
    // worker's packed B block at 2 MB for float, so both workers' blocks stay in the shared L3 while every row block
    // streams them again: 2048³ on two threads ran 3.8 % faster than with NC = 4096 (8 MB each; eight alternating
    // rounds in one process, 207.5 → 215.3 GFLOP/s), 2 % with 1024, 1.2 % slower with 256; 1024³ unchanged.
    static readonly int Kc = 1024;
    static readonly int Mc = TKernel.Mr * 16;
    static readonly int Nc = 512;


    // The loop-heavy methods here and in GemmPacking skip tiered compilation: their unoptimised first tier ran the
    // packing loops several times slower for the first ~30 calls (a training run's first second, and all of a
    // short benchmark), and nothing here gains from profile-guided re-compilation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, int lda, T* b, int ldb, T beta, T* c, int ldc)
    {
        int mr = TKernel.Mr, nr = TKernel.Nr<T>();
        long work = (long)m * n * k;
        int threads = work < Gemm.ParallelWork || Gemm.InsideWorker ? 1 : Math.Max(1, Math.Min(Gemm.MaxThreads, Environment.ProcessorCount));
        // Split whichever side of C is longer, in whole micro-tiles, so every worker gets full kernels.
        bool splitRows = m >= n;
        int tile = splitRows ? mr : nr, extent = splitRows ? m : n;
        int parts = Math.Min(threads, (extent + tile - 1) / tile);
        if (parts <= 1)
        {
            Worker(transA, transB, 0, m, 0, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        if (splitRows && TryRunClaimed(parts, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return;
        int chunk = ((extent + parts - 1) / parts + tile - 1) / tile * tile;
        var job = new SplitJob
        {
            TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, A = a, Lda = lda, B = b, Ldb = ldb,
            Beta = beta, C = c, Ldc = ldc, SplitRows = splitRows, Chunk = chunk, Extent = extent,
        };
        WorkerPool.Run(parts, ref job);
    }

    /// <summary>One worker's share of a split product: a band of whole micro-tiles of rows or columns of C.</summary>
    struct SplitJob : IPartJob
    {
        public bool TransA, TransB, SplitRows;
        public int M, N, K, Lda, Ldb, Ldc, Chunk, Extent;
        public T Alpha, Beta;
        public T* A, B, C;

        public readonly void Run(int part)
        {
            int start = part * Chunk, end = Math.Min(Extent, start + Chunk);
            if (start >= end) return;
            if (SplitRows) Worker(TransA, TransB, start, end, 0, N, K, Alpha, A, Lda, B, Ldb, Beta, C, Ldc);
            else Worker(TransA, TransB, 0, M, start, end, K, Alpha, A, Lda, B, Ldb, Beta, C, Ldc);
        }
    }

    /// <summary>Computes the block C[i0..i1, j0..j1] with the thread's own packing buffers (<see cref="GemmScratch{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Worker(bool transA, bool transB, int i0, int i1, int j0, int j1, int k, T alpha,
        T* a, int lda, T* b, int ldb, T beta, T* c, int ldc)
    {
        // beta = 0 (the usual case) needs no pass over C: the first k-slice stores its tiles instead of adding.
        bool overwriteFirst = beta == T.Zero;
        if (!overwriteFirst) GemmVector.ScaleC(c, ldc, i0, i1, j0, j1, beta);
        int mr = TKernel.Mr, nr = TKernel.Nr<T>();
        // Equal slices rather than full ones plus a thin remainder (k = 300 runs as 150 + 150, not 256 + 44):
        // a thin slice pays the whole packing and C traffic for little arithmetic.
        int kcMax = CeilDiv(k, CeilDiv(k, Kc));
        int mcMax = RoundUp(CeilDiv(i1 - i0, CeilDiv(i1 - i0, Mc)), mr);
        int ncMax = Math.Min(Nc, RoundUp(j1 - j0, nr));
        // The thread's own pinned buffers, aligned to 64 bytes so no vector load splits a cache line.
        T* aPack = GemmScratch<T>.A(mcMax * kcMax), bPack = GemmScratch<T>.B(ncMax * kcMax);
        for (int jc = j0; jc < j1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                GemmPacking.PackB(b, ldb, transB, pc, kc, jc, nc, nr, bPack);
                for (int ic = i0; ic < i1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, i1 - ic);
                    GemmPacking.PackA(a, lda, transA, ic, mc, pc, kc, alpha, mr, aPack);
                    Macro(mc, nc, kc, aPack, bPack, c + (long)ic * ldc + jc, ldc, overwriteFirst && pc == 0);
                }
            }
        }
    }

    /// <summary>
    /// Sweeps the packed block with micro-tiles, adding into C, or storing when <paramref name="overwrite"/>;
    /// ragged edge tiles are computed into a scratch tile (stored there, so it needs no clearing) and then
    /// added or copied into C.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Macro(int mc, int nc, int kc, T* aPack, T* bPack, T* c, int ldc, bool overwrite)
    {
        int mr = TKernel.Mr, nr = TKernel.Nr<T>();
        T* scratch = stackalloc T[mr * nr];
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* bp = bPack + (long)jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* ap = aPack + (long)ir * kc;
                T* cp = c + (long)ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    TKernel.Run(kc, ap, bp, cp, ldc, overwrite);
                    continue;
                }
                TKernel.Run(kc, ap, bp, scratch, nr, overwrite: true);
                for (int i = 0; i < rows; i++)
                {
                    var src = new ReadOnlySpan<T>(scratch + i * nr, cols);
                    var dst = new Span<T>(cp + (long)i * ldc, cols);
                    if (overwrite) src.CopyTo(dst);
                    else System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
                }
            }
        }
    }

    static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    static int CeilDiv(int x, int y) => (x + y - 1) / y;
}
