using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Backends.Cpu;

/// <summary>Which implementation computes a product. Auto picks the best; the others exist so tests can pin one.</summary>
internal enum GemmPath { Auto, Reference, Gemv, Portable, Avx2, Avx512 }

/// <summary>A register-blocked micro-kernel: C[0..Mr, 0..Nr] += packed A panel · packed B panel (= instead of += when overwrite).</summary>
internal unsafe interface IGemmMicroKernel
{
    static abstract int Mr { get; }
    static abstract int Nr<T>() where T : unmanaged, INumber<T>;
    static abstract void Run<T>(int kc, T* a, T* b, T* c, int ldc, bool overwrite) where T : unmanaged, INumber<T>;
}

/// <summary>
/// General matrix multiply on raw spans, BLAS style and row-major: C = alpha·op(A)·op(B) + beta·C with
/// op(X) = X or Xᵀ. op(A) is m×k, op(B) is k×n, C is m×n. Leading dimensions are the distance between
/// consecutive stored rows, so a transposed or strided operand is passed as is and never copied.
/// As in BLAS, beta == 0 overwrites C (NaNs already in C do not leak into the result).
/// </summary>
internal static unsafe partial class Gemm
{
    /// <summary>The widest micro-kernel this machine runs natively.</summary>
    public static readonly GemmPath BestPath =
        Vector512.IsHardwareAccelerated ? GemmPath.Avx512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmPath.Avx2
        : GemmPath.Portable;

    /// <summary>Upper bound on worker threads for one product (defaults to every core).</summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Below this many multiply-adds a product stays on the calling thread: forking would cost more than it saves.</summary>
    internal const long ParallelWork = 1L << 20;

    /// <summary>
    /// Set on a thread that is itself one worker of a parallel loop (batched convolution, batched matmul):
    /// products it runs stay on it, so the loop never nests a second fork inside each of its workers.
    /// </summary>
    [ThreadStatic] internal static bool InsideWorker;

    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, INumber<T> =>
        Multiply(GemmPath.Auto, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>As <see cref="Multiply{T}(bool,bool,int,int,int,T,ReadOnlySpan{T},int,ReadOnlySpan{T},int,T,Span{T},int)"/>, forcing one implementation (tests).</summary>
    public static void Multiply<T>(GemmPath path, bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        bool floating = typeof(T) == typeof(float) || typeof(T) == typeof(double);
        if (path == GemmPath.Auto)
            path = !floating ? GemmPath.Reference : (m == 1 || n == 1) ? GemmPath.Gemv : BestPath;
        if (!floating && path != GemmPath.Reference)
            throw new NotSupportedException($"gemm: the {path} kernel handles float32 and float64 only, not {typeof(T).Name}.");
        if (path == GemmPath.Gemv && m != 1 && n != 1)
            throw new ArgumentException($"gemm: the vector kernel needs m == 1 or n == 1, got m = {m}, n = {n}.");

        fixed (T* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == T.Zero) { GemmVector.ScaleC(pc, ldc, 0, m, 0, n, beta); return; }
            switch (path)
            {
                case GemmPath.Reference: GemmVector.Reference(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
                case GemmPath.Gemv: GemmVector.Gemv(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
                case GemmPath.Avx512 when UseShortTile(m, n, (long)m * n * k): RequireIsa(Vector512.IsHardwareAccelerated, path); GemmBlocked<T, GemmMicroKernel512Short>.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
                case GemmPath.Avx512: RequireIsa(Vector512.IsHardwareAccelerated, path); GemmBlocked<T, GemmMicroKernel512>.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
                case GemmPath.Avx2: RequireIsa(Vector256.IsHardwareAccelerated && Fma.IsSupported, path); GemmBlocked<T, GemmMicroKernel256>.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
                default: GemmBlocked<T, GemmMicroKernelPortable>.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
            }
        }
    }

    static void RequireIsa(bool supported, GemmPath path)
    {
        if (!supported) throw new PlatformNotSupportedException($"gemm: the {path} kernel is not supported on this processor.");
    }

    /// <summary>
    /// Checks sizes and that every addressed element lies inside its span. Leading dimensions of A and B may be
    /// anything ≥ 0 (0 reads one broadcast row); C's rows must not overlap (ldc ≥ n), since it is written.
    /// </summary>
    static void Validate(bool transA, bool transB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"gemm: sizes must be non-negative, got m = {m}, n = {n}, k = {k}.");
        if (lda < 0 || ldb < 0 || ldc < 0)
            throw new ArgumentException($"gemm: leading dimensions must be non-negative, got lda = {lda}, ldb = {ldb}, ldc = {ldc}.");
        if (m > 1 && ldc < n)
            throw new ArgumentException($"gemm: ldc = {ldc} is smaller than n = {n}, so rows of C would overlap.");
        CheckExtent("A", transA ? k : m, transA ? m : k, lda, aLength);
        CheckExtent("B", transB ? n : k, transB ? k : n, ldb, bLength);
        CheckExtent("C", m, n, ldc, cLength);
    }

    static void CheckExtent(string name, int rows, int cols, int ld, int length)
    {
        if (rows == 0 || cols == 0) return;
        long needed = (long)(rows - 1) * ld + cols;
        if (needed > length)
            throw new ArgumentException($"gemm: {name} is stored as {rows}×{cols} with leading dimension {ld}, which needs {needed} elements, but the span holds {length}.");
    }
}
