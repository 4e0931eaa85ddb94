using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Backends.Cpu;

/// <summary>The pre-packed right-hand operand: pack op(B) once with <see cref="PackB{T}(bool,int,int,ReadOnlySpan{T},int)"/>, multiply many times.</summary>
internal static unsafe partial class Gemm
{
    /// <summary>Packs op(B) (k×n; B stored n×k when <paramref name="transB"/>) for the best micro-kernel of this machine.</summary>
    public static GemmPackedB<T> PackB<T>(bool transB, int k, int n, ReadOnlySpan<T> b, int ldb) where T : unmanaged, INumber<T> =>
        PackB(GemmPath.Auto, transB, k, n, b, ldb);

    /// <summary>As <see cref="PackB{T}(bool,int,int,ReadOnlySpan{T},int)"/> for one blocked kernel (Auto = the best; tests pin one).</summary>
    public static GemmPackedB<T> PackB<T>(GemmPath path, bool transB, int k, int n, ReadOnlySpan<T> b, int ldb)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"gemm: a packed operand must be float32 or float64, not {typeof(T).Name}.");
        if (k < 0 || n < 0 || ldb < 0)
            throw new ArgumentException($"gemm: packed B needs non-negative sizes, got k = {k}, n = {n}, ldb = {ldb}.");
        CheckExtent("B", transB ? n : k, transB ? k : n, ldb, b.Length);
        if (path == GemmPath.Auto) path = BestPath;
        fixed (T* pb = b)
            switch (path)
            {
                case GemmPath.Avx512: RequireIsa(Vector512.IsHardwareAccelerated, path); return GemmBlocked<T, GemmMicroKernel512>.Pack(path, transB, k, n, pb, ldb);
                case GemmPath.Avx2: RequireIsa(Vector256.IsHardwareAccelerated && Fma.IsSupported, path); return GemmBlocked<T, GemmMicroKernel256>.Pack(path, transB, k, n, pb, ldb);
                case GemmPath.Portable: return GemmBlocked<T, GemmMicroKernelPortable>.Pack(path, transB, k, n, pb, ldb);
                default: throw new ArgumentException($"gemm: only the blocked kernels take a packed operand, not {path}.");
            }
    }

    /// <summary>
    /// C = alpha·op(A)·B + beta·C with B already packed (k×n taken from it). Same results, bit for bit, as
    /// <see cref="Multiply{T}(GemmPath,bool,bool,int,int,int,T,ReadOnlySpan{T},int,ReadOnlySpan{T},int,T,Span{T},int)"/>
    /// on the packed operand's kernel, whatever the thread count.
    /// </summary>
    public static void Multiply<T>(bool transA, int m, T alpha, ReadOnlySpan<T> a, int lda, GemmPackedB<T> b, T beta, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
    {
        int n = b.N, k = b.K;
        if (b.Data == null) throw new ObjectDisposedException(nameof(GemmPackedB<T>), "gemm: the packed operand was already released.");
        if (m < 0 || lda < 0 || ldc < 0)
            throw new ArgumentException($"gemm: sizes must be non-negative, got m = {m}, lda = {lda}, ldc = {ldc}.");
        if (m > 1 && ldc < n)
            throw new ArgumentException($"gemm: ldc = {ldc} is smaller than n = {n}, so rows of C would overlap.");
        CheckExtent("A", transA ? k : m, transA ? m : k, lda, a.Length);
        CheckExtent("C", m, n, ldc, c.Length);
        if (m == 0 || n == 0) return;
        fixed (T* pa = a, pc = c)
        {
            if (k == 0 || alpha == T.Zero) { GemmVector.ScaleC(pc, ldc, 0, m, 0, n, beta); return; }
            switch (b.Path)
            {
                case GemmPath.Avx512 when UseShortTile(m, b.N, (long)m * b.N * b.K):
                    GemmBlocked<T, GemmMicroKernel512Short>.RunPacked(transA, m, alpha, pa, lda, b, beta, pc, ldc); break;
                case GemmPath.Avx512: GemmBlocked<T, GemmMicroKernel512>.RunPacked(transA, m, alpha, pa, lda, b, beta, pc, ldc); break;
                case GemmPath.Avx2: GemmBlocked<T, GemmMicroKernel256>.RunPacked(transA, m, alpha, pa, lda, b, beta, pc, ldc); break;
                default: GemmBlocked<T, GemmMicroKernelPortable>.RunPacked(transA, m, alpha, pa, lda, b, beta, pc, ldc); break;
            }
        }
    }

    /// <summary>
    /// Whether the 8-row AVX-512 kernel (same B panels) should run instead of the 12-row one: when the rows each
    /// worker computes pad to fewer 8-row tiles than 12-row ones. Measured on the 2-core Zen 4 (A/B in one
    /// process), the two kernels run at the same rate per row on whole tiles (1020×1024×1024, one thread: 108.8
    /// and 108.3 GFLOP/s), so padding decides. Few rows, a recurrent step's batch: 32 rows are 4 whole tiles
    /// instead of 12 + 12 + a ragged 8 (0.17 instead of 0.20 ms for 32×1024×256). 256³ over two workers: 128
    /// rows each, 16 whole tiles instead of 11 with a ragged last one (median 186-208 → 202-217 GFLOP/s).
    /// </summary>
    static bool UseShortTile(int m, int n, long work)
    {
        int parts = work < ParallelWork || InsideWorker || m < n ? 1 : Math.Max(1, Math.Min(MaxThreads, Environment.ProcessorCount));
        int rows = (m + parts - 1) / parts;
        return RoundUp(rows, GemmMicroKernel512Short.Mr) < RoundUp(rows, GemmMicroKernel512.Mr);
    }

    static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
