using System.Numerics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Drives <see cref="Gemm"/> over a batch of matrices: a [..., m, k] times b [..., k, n] with the batch dims
/// broadcast, into a fresh contiguous [..., m, n]. Each operand's last two strides become a transpose flag
/// and a leading dimension, so transposed views (x.T(), x.Transpose(-1, -2)) and expanded batches are read
/// in place; only a matrix strided along both of its dims is copied first.
/// </summary>
internal static class BatchedMatMul
{
    /// <summary>Shapes are already validated by the caller (ranks ≥ 2, matching inner sizes, broadcastable batches, one dtype).</summary>
    public static Tensor Multiply(Tensor a, Tensor b, int[] batch)
    {
        var left = Operand.Of(a, batch);
        var right = Operand.Of(b, batch);
        var y = Tensor.UninitializedBufferLast([.. batch, a._shape[^2], b._shape[^1]], a.DType);
        switch (a.DType)
        {
            case DType.Float32: Run<float>(left, right, y, batch); break;
            case DType.Float64: Run<double>(left, right, y, batch); break;
            default: Run<long>(left, right, y, batch); break;
        }
        return y;
    }

    /// <summary>An operand as GEMM reads it: a transpose flag, a leading dimension and the strides of its broadcast batch.</summary>
    readonly record struct Operand(Tensor Tensor, bool Trans, int Ld, int[] BatchStrides)
    {
        public static Operand Of(Tensor t, int[] batch)
        {
            if (!Layout2(t, out bool trans, out int ld)) { t = t.DenseCopy(); Layout2(t, out trans, out ld); }
            return new(t, trans, ld, Layout.BroadcastStrides(t._shape[..^2], t._strides[..^2], batch));
        }
    }

    /// <summary>
    /// How a matrix with row stride <paramref name="rs"/> and column stride <paramref name="cs"/> is passed to
    /// GEMM: plain with ld = rs when columns are adjacent, transposed with ld = cs when rows are. False when neither.
    /// </summary>
    public static bool MatrixLayout(int rows, int cols, int rs, int cs, out bool trans, out int ld)
    {
        if (cs == 1 || cols == 1) { trans = false; ld = rows == 1 ? 0 : rs; return true; }
        if (rs == 1 || rows == 1) { trans = true; ld = cs; return true; }
        trans = false; ld = 0;
        return false;
    }

    static bool Layout2(Tensor t, out bool trans, out int ld) =>
        MatrixLayout(t._shape[^2], t._shape[^1], t._strides[^2], t._strides[^1], out trans, out ld);

    static void Run<T>(Operand left, Operand right, Tensor y, int[] batch) where T : unmanaged, INumber<T>
    {
        Tensor a = left.Tensor, b = right.Tensor;
        int m = a._shape[^2], k = a._shape[^1], n = b._shape[^1];
        bool ta = left.Trans, tb = right.Trans;
        int lda = left.Ld, ldb = right.Ld;
        int[] aStrides = left.BatchStrides, bStrides = right.BatchStrides;
        T[] ad = a.Data<T>(), bd = b.Data<T>(), yd = y.Data<T>();
        int count = Layout.NumElements(batch);
        if (count == 0 || m == 0 || n == 0) return;

        // One shared right-hand matrix and a left operand whose batch rows are evenly spaced: the whole batch is
        // a single (count·m)×k product, which keeps the kernel's tiles full (the x @ W case of a linear layer).
        if (!ta && IsZero(bStrides) && RowsMerge(batch, aStrides, m, lda, out int rowStride))
        {
            Gemm.Multiply(false, tb, count * m, n, k, T.One, ad.AsSpan(a._offset), rowStride, bd.AsSpan(b._offset), ldb, T.Zero, yd, n);
            return;
        }

        int aOff = a._offset, bOff = b._offset, mn = m * n;
        long work = (long)m * n * k;
        if (count > 1 && work < (1L << 18) && work * count >= (1L << 16))
        {
            // Many small products: spread the batch over cores, each product on one thread.
            int parts = Math.Max(1, Math.Min(Math.Min(Gemm.MaxThreads, Environment.ProcessorCount), count));
            var job = new SpreadJob<T>
            {
                Count = count, Parts = parts, Batch = batch, AStrides = aStrides, BStrides = bStrides,
                TransA = ta, TransB = tb, M = m, N = n, K = k, A = ad, AOffset = aOff, Lda = lda, B = bd, BOffset = bOff, Ldb = ldb, Y = yd,
            };
            WorkerPool.Run(parts, ref job);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            var (ao, bo) = Offsets(i, batch, aStrides, bStrides);
            Gemm.Multiply(ta, tb, m, n, k, T.One, ad.AsSpan(aOff + ao), lda, bd.AsSpan(bOff + bo), ldb, T.Zero, yd.AsSpan(i * mn, mn), n);
        }
    }

    /// <summary>
    /// One thread's run of whole products from a batch of small ones. A struct job rather than a lambda: a lambda's
    /// captured locals would make every call of <c>Run</c> allocate their closure on entry, whichever branch it took.
    /// </summary>
    struct SpreadJob<T> : IPartJob where T : unmanaged, INumber<T>
    {
        public int Count, Parts, M, N, K, AOffset, Lda, BOffset, Ldb;
        public bool TransA, TransB;
        public int[] Batch, AStrides, BStrides;
        public T[] A, B, Y;

        public readonly void Run(int part)
        {
            int mn = M * N;
            for (int i = (int)((long)Count * part / Parts), end = (int)((long)Count * (part + 1) / Parts); i < end; i++)
            {
                var (ao, bo) = Offsets(i, Batch, AStrides, BStrides);
                Gemm.Multiply(TransA, TransB, M, N, K, T.One, A.AsSpan(AOffset + ao), Lda, B.AsSpan(BOffset + bo), Ldb, T.Zero, Y.AsSpan(i * mn, mn), N);
            }
        }
    }

    /// <summary>Storage offsets of batch item <paramref name="index"/> (row-major over <paramref name="batch"/>) in both operands.</summary>
    static (int A, int B) Offsets(int index, int[] batch, int[] aStrides, int[] bStrides)
    {
        int ao = 0, bo = 0;
        for (int d = batch.Length - 1; d >= 0; d--)
        {
            int i = index % batch[d];
            index /= batch[d];
            ao += i * aStrides[d];
            bo += i * bStrides[d];
        }
        return (ao, bo);
    }

    static bool IsZero(int[] strides)
    {
        foreach (int s in strides) if (s != 0) return false;
        return true;
    }

    /// <summary>Whether the batch dims and the m rows of the left operand form one run of equally spaced rows.</summary>
    static bool RowsMerge(int[] batch, int[] batchStrides, int m, int lda, out int rowStride)
    {
        // Walk from the innermost dim outwards; size-1 dims never move, so they cannot break the run.
        rowStride = m > 1 ? lda : -1;
        long span = m > 1 ? (long)lda * m : -1;
        for (int d = batch.Length - 1; d >= 0; d--)
        {
            if (batch[d] == 1) continue;
            if (span < 0) { rowStride = batchStrides[d]; span = (long)rowStride * batch[d]; continue; }
            if (batchStrides[d] != span) return false;
            span *= batch[d];
        }
        if (rowStride < 0) rowStride = 0;
        return true;
    }
}
