using System.Buffers;
using System.Numerics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// The three batched products behind convolution and transposed convolution. Both layers pair an
/// "unfolded" side U (an image of <see cref="ConvShape.UnfoldedChannels"/> channels whose spatial size is the
/// geometry's input) with a "matrix" side M (<see cref="ConvShape.MatrixChannels"/> channels whose spatial size
/// is the geometry's output, P = OutH·OutW) through a weight viewed as [Cm, (Cu/G)·kh·kw]:
/// <list type="bullet">
/// <item><see cref="MatrixFromUnfolded{T}"/>: M_g = W_g · im2col(U)_g — conv forward, transposed-conv input gradient.</item>
/// <item><see cref="UnfoldedFromMatrix{T}"/>: U = col2im(W_gᵀ · M_g) — conv input gradient, transposed-conv forward.</item>
/// <item><see cref="WeightGradient{T}"/>: dW_g = Σ_n M_g · im2col(U)_gᵀ — the weight gradient of both.</item>
/// </list>
/// A 1×1, stride-1, unpadded window skips im2col: the image already is its column matrix.
/// Images are spread over cores in fixed contiguous chunks (one column buffer per worker, from the pool);
/// the weight gradient sums per-worker partials in worker order, so results depend only on the thread count.
/// </summary>
internal static class ConvKernels
{
    /// <summary>Below this many multiply-adds in the whole batch the call stays on one thread (a fork costs more).</summary>
    const long ParallelWork = 1L << 18;

    /// <summary>GEMM's own threshold for forking (GemmBlocked.ParallelWork).</summary>
    const long GemmParallelWork = 1L << 20;

    public static void MatrixFromUnfolded<T>(in ConvShape s, ReadOnlySpan<T> u, ReadOnlySpan<T> w, Span<T> m) where T : unmanaged, INumber<T>
    {
        RunBatched<T>(s, u, w, m, static (in ConvShape s, ReadOnlySpan<T> u, ReadOnlySpan<T> w, Span<T> m, int lo, int hi, T[]? cols) =>
        {
            int p = s.Plane, kg = s.Kg, mg = s.Mg;
            for (int n = lo; n < hi; n++)
            {
                var image = u.Slice(n * s.UnfoldedSize, s.UnfoldedSize);
                ReadOnlySpan<T> c = image;
                if (cols is not null) { Im2Col.Unfold(image, s.UnfoldedChannels, s.Geometry, cols); c = cols; }
                var dst = m.Slice(n * s.MatrixSize, s.MatrixSize);
                for (int g = 0; g < s.Groups; g++)
                    Gemm.Multiply(false, false, mg, p, kg, T.One, w.Slice(g * mg * kg), kg, c.Slice(g * kg * p), p, T.Zero, dst.Slice(g * mg * p), p);
            }
        });
    }

    public static void UnfoldedFromMatrix<T>(in ConvShape s, ReadOnlySpan<T> m, ReadOnlySpan<T> w, Span<T> u) where T : unmanaged, INumber<T>
    {
        RunBatched<T>(s, m, w, u, static (in ConvShape s, ReadOnlySpan<T> m, ReadOnlySpan<T> w, Span<T> u, int lo, int hi, T[]? cols) =>
        {
            int p = s.Plane, kg = s.Kg, mg = s.Mg;
            for (int n = lo; n < hi; n++)
            {
                var src = m.Slice(n * s.MatrixSize, s.MatrixSize);
                var image = u.Slice(n * s.UnfoldedSize, s.UnfoldedSize);
                // Pointwise: the columns are the image, so the product lands in place with no fold.
                Span<T> c = cols is null ? image : cols;
                for (int g = 0; g < s.Groups; g++)
                    Gemm.Multiply(true, false, kg, p, mg, T.One, w.Slice(g * mg * kg), kg, src.Slice(g * mg * p), p, T.Zero, c.Slice(g * kg * p), p);
                if (cols is not null) Im2Col.Fold<T>(cols, s.UnfoldedChannels, s.Geometry, image);
            }
        });
    }

    /// <summary>dW (shape [Cm, Kg], overwritten) = Σ over images and per group of M_g · im2col(U)_gᵀ.</summary>
    public static void WeightGradient<T>(in ConvShape s, ReadOnlySpan<T> m, ReadOnlySpan<T> u, Span<T> dw) where T : unmanaged, INumber<T>
    {
        int workers = Workers(s);
        int size = s.MatrixChannels * s.Kg;
        if (workers == 1)
        {
            dw[..size].Clear();
            WeightGradientRange(s, m, u, dw, 0, s.Batch);
            return;
        }
        var partials = new T[workers][];
        var shape = s;
        unsafe
        {
            fixed (T* pm = m, pu = u)
            {
                nint am = (nint)pm, au = (nint)pu;
                int lm = m.Length, lu = u.Length;
                WorkerPool.Run(workers, wk =>
                {
                    var (lo, hi) = Chunk(shape.Batch, workers, wk);
                    var part = ArrayPool<T>.Shared.Rent(size);
                    part.AsSpan(0, size).Clear();
                    WeightGradientRange(shape, new ReadOnlySpan<T>((T*)am, lm), new ReadOnlySpan<T>((T*)au, lu), part, lo, hi);
                    partials[wk] = part;
                });
            }
        }
        partials[0].AsSpan(0, size).CopyTo(dw);
        for (int wk = 1; wk < workers; wk++)
        {
            Add(dw[..size], partials[wk].AsSpan(0, size));
            ArrayPool<T>.Shared.Return(partials[wk]);
        }
        ArrayPool<T>.Shared.Return(partials[0]);
    }

    /// <summary>
    /// At most one 12×32 micro-tile of weight gradient (LeNet's 6×25, a 32×9 first layer): GEMM would pack both
    /// long operands per image to fill a mostly empty tile, while both are already rows over P, so direct
    /// vectorised dot products (no packing) are cheaper.
    /// </summary>
    const int SmallWeightGradient = 12 * 32;

    /// <summary>d[i, j] += a_i · b_j for rows of length <paramref name="p"/> (a: [rows, p], b: [cols, p]).</summary>
    static void AddRowDots<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, int rows, int cols, int p, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < rows; i++)
        {
            var ai = a.Slice(i * p, p);
            for (int j = 0; j < cols; j++)
                d[i * cols + j] += System.Numerics.Tensors.TensorPrimitives.Dot(ai, b.Slice(j * p, p));
        }
    }

    static void WeightGradientRange<T>(in ConvShape s, ReadOnlySpan<T> m, ReadOnlySpan<T> u, Span<T> dw, int lo, int hi) where T : unmanaged, INumber<T>
    {
        int p = s.Plane, kg = s.Kg, mg = s.Mg;
        var cols = s.Geometry.IsPointwise ? null : ArrayPool<T>.Shared.Rent(s.ColumnsSize);
        try
        {
            for (int n = lo; n < hi; n++)
            {
                var image = u.Slice(n * s.UnfoldedSize, s.UnfoldedSize);
                ReadOnlySpan<T> c = image;
                if (cols is not null) { Im2Col.Unfold(image, s.UnfoldedChannels, s.Geometry, cols); c = cols; }
                var src = m.Slice(n * s.MatrixSize, s.MatrixSize);
                for (int g = 0; g < s.Groups; g++)
                {
                    if (mg * kg <= SmallWeightGradient)
                        AddRowDots(src.Slice(g * mg * p), c.Slice(g * kg * p), mg, kg, p, dw.Slice(g * mg * kg));
                    else
                        Gemm.Multiply(false, true, mg, kg, p, T.One, src.Slice(g * mg * p), p, c.Slice(g * kg * p), p, T.One, dw.Slice(g * mg * kg), kg);
                }
            }
        }
        finally { if (cols is not null) ArrayPool<T>.Shared.Return(cols); }
    }

    /// <summary>Adds bias[c] to every element of channel c of a contiguous [N, C, plane] tensor.</summary>
    public static void AddBias<T>(Span<T> y, int batch, int channels, int plane, ReadOnlySpan<T> bias) where T : unmanaged, INumber<T>
    {
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < channels; c++)
        {
            var row = y.Slice((n * channels + c) * plane, plane);
            System.Numerics.Tensors.TensorPrimitives.Add(row, bias[c], row);
        }
    }

    /// <summary>db[c] = Σ over images and positions of dy[n, c, ·].</summary>
    public static void BiasGradient<T>(ReadOnlySpan<T> dy, int batch, int channels, int plane, Span<T> db) where T : unmanaged, INumber<T>
    {
        db[..channels].Clear();
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < channels; c++)
        {
            db[c] += System.Numerics.Tensors.TensorPrimitives.Sum(dy.Slice((n * channels + c) * plane, plane));
        }
    }

    static void Add<T>(Span<T> dst, ReadOnlySpan<T> src) where T : unmanaged, INumber<T> =>
        System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);

    delegate void RangeBody<T>(in ConvShape s, ReadOnlySpan<T> a, ReadOnlySpan<T> w, Span<T> dst, int lo, int hi, T[]? cols) where T : unmanaged;

    /// <summary>
    /// Runs <paramref name="body"/> over the images, in chunks on several workers when it pays. The body is a
    /// static lambda called once per chunk (never per element), with the chunk's column buffer.
    /// </summary>
    static unsafe void RunBatched<T>(in ConvShape s, ReadOnlySpan<T> a, ReadOnlySpan<T> w, Span<T> dst, RangeBody<T> body) where T : unmanaged
    {
        int workers = Workers(s);
        if (workers == 1)
        {
            var cols = s.Geometry.IsPointwise ? null : ArrayPool<T>.Shared.Rent(s.ColumnsSize);
            try { body(s, a, w, dst, 0, s.Batch, cols); }
            finally { if (cols is not null) ArrayPool<T>.Shared.Return(cols); }
            return;
        }
        var shape = s;
        fixed (T* pa = a, pw = w, pd = dst)
        {
            nint aa = (nint)pa, aw = (nint)pw, ad = (nint)pd;
            int la = a.Length, lw = w.Length, ld = dst.Length;
            WorkerPool.Run(workers, wk =>
            {
                var (lo, hi) = Chunk(shape.Batch, workers, wk);
                var cols = shape.Geometry.IsPointwise ? null : ArrayPool<T>.Shared.Rent(shape.ColumnsSize);
                try { body(shape, new ReadOnlySpan<T>((T*)aa, la), new ReadOnlySpan<T>((T*)aw, lw), new Span<T>((T*)ad, ld), lo, hi, cols); }
                finally { if (cols is not null) ArrayPool<T>.Shared.Return(cols); }
            });
        }
    }

    /// <summary>
    /// How many workers share the batch. Each worker runs its products on its own thread
    /// (<see cref="Gemm.InsideWorker"/>), so there is one fork per layer call and no nesting: forking inside
    /// every per-image GEMM instead cost a fork/join per image and was measurably slower on 2 cores. Only when
    /// the batch is smaller than the thread count and each product is big enough for GEMM to fork on its own
    /// does the batch stay on one thread.
    /// </summary>
    static int Workers(in ConvShape s)
    {
        int threads = Math.Max(1, Math.Min(Gemm.MaxThreads, Environment.ProcessorCount));
        long perProduct = (long)s.Mg * s.Kg * s.Plane;
        if (s.Batch < 2 || threads == 1 || Gemm.InsideWorker || perProduct * s.Groups * s.Batch < ParallelWork) return 1;
        if (s.Batch < threads && perProduct >= GemmParallelWork) return 1;
        return Math.Min(s.Batch, threads);
    }

    static (int Lo, int Hi) Chunk(int count, int parts, int part) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));
}

/// <summary>
/// Sizes of one batched convolution product (see <see cref="ConvKernels"/>): Cu channels on the unfolded side,
/// Cm on the matrix side, G groups, and the window geometry whose input is the unfolded side's spatial size.
/// </summary>
internal readonly record struct ConvShape(int Batch, int UnfoldedChannels, int MatrixChannels, int Groups, ConvGeometry Geometry)
{
    public int Plane => Geometry.OutH * Geometry.OutW;
    public int Mg => MatrixChannels / Groups;
    public int Kg => UnfoldedChannels / Groups * Geometry.KernelH * Geometry.KernelW;
    public int UnfoldedSize => UnfoldedChannels * Geometry.InH * Geometry.InW;
    public int MatrixSize => MatrixChannels * Plane;
    public int ColumnsSize => UnfoldedChannels * Geometry.KernelH * Geometry.KernelW * Plane;
}
