using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// The products that do not go through packed blocks: scaling C by beta, matrix-vector products (m == 1 or
/// n == 1, where padding a vector to a whole micro-tile would waste most of the work and the cost is memory
/// anyway), and the plain triple loop used for integer types.
/// </summary>
internal static unsafe class GemmVector
{
    /// <summary>C[i0..i1, j0..j1] *= beta, with beta == 0 writing zeros (BLAS semantics: old NaNs vanish).</summary>
    public static void ScaleC<T>(T* c, int ldc, int i0, int i1, int j0, int j1, T beta) where T : unmanaged, INumber<T>
    {
        if (beta == T.One) return;
        for (int i = i0; i < i1; i++)
        {
            var row = new Span<T>(c + (long)i * ldc + j0, j1 - j0);
            if (beta == T.Zero) row.Clear();
            else TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>The triple loop (int64 matmul, as PyTorch offers on CPU): C = alpha·op(A)·op(B) + beta·C.</summary>
    public static void Reference<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, int lda, T* b, int ldb, T beta, T* c, int ldc) where T : unmanaged, INumber<T>
    {
        long ai = transA ? 1 : lda, ap = transA ? lda : 1;   // element strides of op(A) along i and p
        long bp = transB ? 1 : ldb, bj = transB ? ldb : 1;   // element strides of op(B) along p and j
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++) sum += a[i * ai + p * ap] * b[p * bp + j * bj];
                T* cij = c + (long)i * ldc + j;
                *cij = beta == T.Zero ? alpha * sum : alpha * sum + beta * *cij;
            }
    }

    /// <summary>
    /// m == 1 or n == 1. A row vector times a matrix is the transposed problem, so both reduce to
    /// y = alpha·M·x + beta·y with M = op(A) (n == 1) or M = op(B)ᵀ (m == 1).
    /// </summary>
    public static void Gemv<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, int lda, T* b, int ldb, T beta, T* c, int ldc) where T : unmanaged, INumber<T>
    {
        if (n == 1)
            // x = op(B)[:, 0] (stride 1 if B is transposed, else ldb); y = C[:, 0] (stride ldc).
            Mv(m, k, a, lda, transA, b, transB ? 1 : ldb, alpha, beta, c, ldc);
        else
            // op(B)ᵀ[j, p] = op(B)[p, j]: B stored transposed is M stored plainly, and vice versa.
            // x = op(A)[0, :] (stride lda if A is transposed, else 1); y = C[0, :] (stride 1).
            Mv(n, k, b, ldb, !transB, a, transA ? lda : 1, alpha, beta, c, 1);
    }

    /// <summary>y[i] = alpha·Σp M[i, p]·x[p] + beta·y[i]; M[i, p] = m[i*ld + p], or m[p*ld + i] when transposed.</summary>
    static void Mv<T>(int rows, int k, T* mat, int ld, bool trans, T* x, int incx, T alpha, T beta, T* y, int incy)
        where T : unmanaged, INumber<T>
    {
        var xBuf = ArrayPool<T>.Shared.Rent(k);
        var acc = ArrayPool<T>.Shared.Rent(rows);
        try
        {
            var xs = xBuf.AsSpan(0, k);
            for (int p = 0; p < k; p++) xs[p] = x[(long)p * incx];
            var sums = acc.AsSpan(0, rows);
            if (!trans)
                for (int i = 0; i < rows; i++)
                    sums[i] = TensorPrimitives.Dot(new ReadOnlySpan<T>(mat + (long)i * ld, k), xs);
            else
            {
                // Stored rows of M run along i: accumulate x[p]·row p, which streams M once, contiguously.
                sums.Clear();
                for (int p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(mat + (long)p * ld, rows), xs[p], sums, sums);
            }
            for (int i = 0; i < rows; i++)
            {
                T* yi = y + (long)i * incy;
                *yi = beta == T.Zero ? alpha * sums[i] : alpha * sums[i] + beta * *yi;
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(xBuf);
            ArrayPool<T>.Shared.Return(acc);
        }
    }
}
