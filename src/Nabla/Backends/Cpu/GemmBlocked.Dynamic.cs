using System.Runtime.CompilerServices;

namespace Nabla.Backends.Cpu;

/// <summary>
/// A large row-split product whose row blocks are claimed by the workers one at a time instead of handed out as one
/// band each. With fixed bands the product ends when the slower worker ends; on a shared machine a core that loses
/// a few milliseconds to another tenant then delays the whole product by as much, while the other core idles. With
/// claimed blocks the other core takes over the blocks still waiting. Each worker still packs B privately, once per
/// k-slice it works on, and each C block sums its k-slices in order, so results are bit-identical to the fixed split.
/// Workers start at different column blocks, so each packs about its share of B rather than all of it (2048³ on two
/// threads: about 2 % faster, docs/gemm.md).
/// </summary>
internal static unsafe partial class GemmBlocked<T, TKernel>
{
    /// <summary>Claimed blocks per worker below which the fixed bands are used: too few blocks cannot balance anything.</summary>
    const int BlocksPerWorker = 4;

    /// <summary>The most (column block, row block) pairs tracked on the stack; beyond it the fixed bands are used.</summary>
    const int MaxTrackedBlocks = 4096;

    /// <summary>Runs the product over claimed row blocks; false, having done nothing, when too few or too many blocks.</summary>
    static bool TryRunClaimed(int parts, bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, int lda, T* b, int ldb, T beta, T* c, int ldc)
    {
        int mr = TKernel.Mr, nr = TKernel.Nr<T>();
        int kcMax = SliceDepth(k), ncMax = Math.Min(Nc, RoundUp(n, nr));
        int mcMax = RoundUp(CeilDiv(m, CeilDiv(m, Mc)), mr);
        int rowBlocks = CeilDiv(m, mcMax), columnBlocks = CeilDiv(n, ncMax), slices = CeilDiv(k, kcMax);
        long items = (long)rowBlocks * columnBlocks * slices;
        if (items < (long)BlocksPerWorker * parts || (long)rowBlocks * columnBlocks > MaxTrackedBlocks) return false;
        int tracked = rowBlocks * columnBlocks;
        // Per (column block, row block): the k-slices already added into it.
        int* slicesDone = stackalloc int[tracked];
        new Span<int>(slicesDone, tracked).Clear();
        // Per column block: the items (k-slice, row block) already claimed in it.
        int* claimed = stackalloc int[columnBlocks];
        new Span<int>(claimed, columnBlocks).Clear();
        int failed = 0;
        var job = new ClaimedBlocksJob
        {
            TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, A = a, Lda = lda, B = b, Ldb = ldb,
            Beta = beta, C = c, Ldc = ldc, McMax = mcMax, NcMax = ncMax, KcMax = kcMax, RowBlocks = rowBlocks,
            Slices = slices, ColumnBlocks = columnBlocks, Parts = parts, SlicesDone = slicesDone, Claimed = claimed,
            Failed = &failed,
        };
        WorkerPool.Run(parts, ref job);
        return true;
    }

    struct ClaimedBlocksJob : IPartJob
    {
        public bool TransA, TransB;
        public int M, N, K, Lda, Ldb, Ldc, McMax, NcMax, KcMax, RowBlocks, Slices, ColumnBlocks, Parts;
        public T Alpha, Beta;
        public T* A, B, C;
        public int* SlicesDone, Claimed, Failed;

        public readonly void Run(int part)
        {
            try { Work(part); }
            catch { Volatile.Write(ref *Failed, 1); throw; }
        }

        /// <summary>
        /// Each worker starts at its own share of the column blocks and walks on through all of them, taking whatever
        /// items are left: balanced, the workers meet only in a shared block, and each packs about its share of B
        /// instead of all of it; when one falls behind, the other goes on into its blocks. Within a column block items
        /// are claimed k-slice first, then row block, so a worker packs each B slice at most once per visit, and a row
        /// block's slice p is claimed only after its slice p − 1 was (it may still be running).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        readonly void Work(int part)
        {
            int first = (int)((long)part * ColumnBlocks / Parts), perColumnBlock = Slices * RowBlocks;
            for (int visit = 0; visit < ColumnBlocks; visit++)
                if (!WorkOn((first + visit) % ColumnBlocks, perColumnBlock)) return;
        }

        /// <summary>Claims items of one column block until none are left; false if another worker failed.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        readonly bool WorkOn(int columnBlock, int items)
        {
            int mr = TKernel.Mr, nr = TKernel.Nr<T>();
            T* aPack = GemmScratch<T>.A(McMax * KcMax), bPack = GemmScratch<T>.B(NcMax * KcMax);
            bool overwriteFirst = Beta == T.Zero;
            int packed = -1;
            while (true)
            {
                int item = Interlocked.Increment(ref Claimed[columnBlock]) - 1;
                if (item >= items) return true;
                int rowBlock = item % RowBlocks, slice = item / RowBlocks;
                int block = columnBlock * Slices + slice;
                int ic = rowBlock * McMax, mc = Math.Min(McMax, M - ic);
                int jc = columnBlock * NcMax, nc = Math.Min(NcMax, N - jc);
                int pc = slice * KcMax, kc = Math.Min(KcMax, K - pc);
                if (packed != block)
                {
                    GemmPacking.PackB(B, Ldb, TransB, pc, kc, jc, nc, nr, bPack);
                    packed = block;
                }
                ref int done = ref SlicesDone[columnBlock * RowBlocks + rowBlock];
                if (!WaitFor(ref done, slice)) return false;
                if (slice == 0 && !overwriteFirst) GemmVector.ScaleC(C, Ldc, ic, ic + mc, jc, jc + nc, Beta);
                GemmPacking.PackA(A, Lda, TransA, ic, mc, pc, kc, Alpha, mr, aPack);
                Macro(mc, nc, kc, aPack, bPack, C + (long)ic * Ldc + jc, Ldc, overwriteFirst && slice == 0);
                Volatile.Write(ref done, slice + 1);
            }
        }

        /// <summary>
        /// Spins until the block has its earlier slices (another worker is adding the last of them). False if a
        /// worker failed: this one then stops quietly, so the caller sees the failing worker's exception.
        /// </summary>
        readonly bool WaitFor(ref int done, int slices)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref done) < slices)
            {
                if (Volatile.Read(ref *Failed) != 0) return false;
                spin.SpinOnce(sleep1Threshold: -1);
            }
            return true;
        }
    }
}
