using System.Buffers;
using System.Numerics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>Which implementation runs a convolution product. Auto picks per shape; the others exist so tests can pin one.</summary>
internal enum ConvPath { Auto, Columns, Direct }

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
/// The column path puts a chunk of images side by side in one column matrix [K, images·P] (about
/// <see cref="ChunkColumns"/> columns), so a layer with small planes (LeNet's second conv: P = 100) runs one GEMM
/// per chunk instead of one per image: packing is amortised and GEMM's tiles fill. The M side is gathered into
/// (or scattered from) the same [Cm, images·P] layout with plain row copies. A 1×1, stride-1, unpadded window
/// runs image by image and skips im2col: the image already is its column matrix. Stride-1 ungrouped layers of
/// moderate size (both LeNet convolutions) take <see cref="DirectConv"/> instead, which measured faster there.
/// Images are spread over cores in fixed contiguous chunks (one fork per call, buffers from the pool); the
/// weight gradient sums per-worker partials in worker order, so results depend only on the thread count.
/// </summary>
internal static class ConvKernels
{
    /// <summary>Below this many multiply-adds in the whole batch the call stays on one thread (a fork costs more).</summary>
    const long ParallelWork = 1L << 18;

    /// <summary>Width of the column matrix one GEMM covers: enough images of a small plane to reach it.</summary>
    public const int ChunkColumns = 512;

    /// <summary>M = W · im2col(U) (+ bias per M channel when <paramref name="bias"/> is not empty).</summary>
    public static void MatrixFromUnfolded<T>(in ConvShape s, ReadOnlySpan<T> u, ReadOnlySpan<T> w, Span<T> m,
        ReadOnlySpan<T> bias = default, ConvPath path = ConvPath.Auto, int imagesPerChunk = 0) where T : unmanaged, INumber<T>
    {
        if (UseDirect<T>(s, path)) { DirectConv.Forward(s, u, w, bias, m, Workers(s)); return; }
        RunBatched(s, ImagesPerChunk(s, imagesPerChunk), u, w, bias, m, static (in ConvShape s, int chunk, ReadOnlySpan<T> u, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> m, int lo, int hi, Span<T> cols, Span<T> scratch) =>
        {
            int p = s.Plane, kg = s.Kg, mg = s.Mg;
            for (int n0 = lo; n0 < hi; n0 += chunk)
            {
                int count = Math.Min(chunk, hi - n0), ld = count * p;
                ReadOnlySpan<T> c = cols.IsEmpty ? u.Slice(n0 * s.UnfoldedSize, s.UnfoldedSize) : cols;
                for (int i = 0; i < count && !cols.IsEmpty; i++)
                    Im2Col.Unfold(u.Slice((n0 + i) * s.UnfoldedSize, s.UnfoldedSize), s.UnfoldedChannels, s.Geometry, cols[(i * p)..], ld);
                // One image lands in place; a chunk lands as [Cm, images·P] and is scattered into [images, Cm, P].
                var dst = count == 1 ? m.Slice(n0 * s.MatrixSize, s.MatrixSize) : scratch;
                for (int g = 0; g < s.Groups; g++)
                    Gemm.Multiply(false, false, mg, ld, kg, T.One, w.Slice(g * mg * kg), kg, c.Slice(g * kg * ld), ld, T.Zero, dst.Slice(g * mg * ld), ld);
                if (count > 1) Scatter<T>(dst, count, s.MatrixChannels, p, m.Slice(n0 * s.MatrixSize), bias);
                else if (!bias.IsEmpty) AddBias(dst, 1, s.MatrixChannels, p, bias);
            }
        });
    }

    /// <summary>U = col2im(Wᵀ · M) (overwritten).</summary>
    public static void UnfoldedFromMatrix<T>(in ConvShape s, ReadOnlySpan<T> m, ReadOnlySpan<T> w, Span<T> u,
        ConvPath path = ConvPath.Auto, int imagesPerChunk = 0) where T : unmanaged, INumber<T>
    {
        if (UseDirect<T>(s, path)) { DirectConv.InputGradient(s, m, w, u, Workers(s)); return; }
        RunBatched(s, ImagesPerChunk(s, imagesPerChunk), m, w, default, u, static (in ConvShape s, int chunk, ReadOnlySpan<T> m, ReadOnlySpan<T> w, ReadOnlySpan<T> _, Span<T> u, int lo, int hi, Span<T> cols, Span<T> scratch) =>
        {
            int p = s.Plane, kg = s.Kg, mg = s.Mg;
            for (int n0 = lo; n0 < hi; n0 += chunk)
            {
                int count = Math.Min(chunk, hi - n0), ld = count * p;
                ReadOnlySpan<T> src = m.Slice(n0 * s.MatrixSize, s.MatrixSize);
                if (count > 1) { Gather(m.Slice(n0 * s.MatrixSize), count, s.MatrixChannels, p, scratch); src = scratch; }
                // Pointwise: the columns are the image, so the product lands in place with no fold.
                Span<T> c = cols.IsEmpty ? u.Slice(n0 * s.UnfoldedSize, s.UnfoldedSize) : cols;
                for (int g = 0; g < s.Groups; g++)
                    Gemm.Multiply(true, false, kg, ld, mg, T.One, w.Slice(g * mg * kg), kg, src.Slice(g * mg * ld), ld, T.Zero, c.Slice(g * kg * ld), ld);
                for (int i = 0; i < count && !cols.IsEmpty; i++)
                    Im2Col.Fold<T>(cols[(i * p)..], s.UnfoldedChannels, s.Geometry, u.Slice((n0 + i) * s.UnfoldedSize, s.UnfoldedSize), ld);
            }
        });
    }

    /// <summary>dW (shape [Cm, Kg], overwritten) = Σ over images and per group of M_g · im2col(U)_gᵀ.</summary>
    public static void WeightGradient<T>(in ConvShape s, ReadOnlySpan<T> m, ReadOnlySpan<T> u, Span<T> dw,
        ConvPath path = ConvPath.Auto, int imagesPerChunk = 0) where T : unmanaged, INumber<T>
    {
        int workers = Workers(s);
        // The direct kernel's thrown-away grid positions multiply a zero gradient by neighbouring input, which is
        // exact only for finite input: a NaN or infinity there would reach weight-gradient entries the exact sum
        // leaves alone. Such input (one cheap pass to find out) takes the column path, which sums exactly.
        if (UseDirect<T>(s, path) && (path == ConvPath.Direct || AllFinite(u))) { DirectConv.WeightGradient(s, m, u, dw, workers); return; }
        int chunk = ImagesPerChunk(s, imagesPerChunk);
        int size = s.MatrixChannels * s.Kg;
        if (workers == 1)
        {
            dw[..size].Clear();
            WeightGradientRange(s, chunk, m, u, dw, 0, s.Batch);
            return;
        }
        // One partial sum per worker, added in worker order so the result depends only on the worker count.
        var partials = ArrayPool<T[]>.Shared.Rent(workers);
        unsafe
        {
            fixed (T* pm = m, pu = u)
            {
                var job = new WeightGradientJob<T>
                {
                    Shape = s, ChunkImages = chunk, Size = size, Workers = workers, M = pm, MLength = m.Length, U = pu, ULength = u.Length,
                    Partials = partials,
                };
                WorkerPool.Run(workers, ref job);
            }
        }
        partials[0].AsSpan(0, size).CopyTo(dw);
        for (int wk = 1; wk < workers; wk++)
        {
            Add(dw[..size], partials[wk].AsSpan(0, size));
            ArrayPool<T>.Shared.Return(partials[wk]);
        }
        ArrayPool<T>.Shared.Return(partials[0]);
        ArrayPool<T[]>.Shared.Return(partials, clearArray: true);
    }

    /// <summary>One worker's images of the weight gradient, summed into a pooled buffer of its own.</summary>
    unsafe struct WeightGradientJob<T> : IPartJob where T : unmanaged, INumber<T>
    {
        public ConvShape Shape;
        public int ChunkImages, Size, Workers, MLength, ULength;
        public T* M, U;
        public T[][] Partials;

        public void Run(int part)
        {
            var (lo, hi) = RangeSplit.Range(Shape.Batch, Workers, part);
            var buffer = ArrayPool<T>.Shared.Rent(Size);
            buffer.AsSpan(0, Size).Clear();
            WeightGradientRange(Shape, ChunkImages, new ReadOnlySpan<T>(M, MLength), new ReadOnlySpan<T>(U, ULength), buffer, lo, hi);
            Partials[part] = buffer;
        }
    }

    /// <summary>
    /// At most one 12×32 micro-tile of weight gradient over a chunk's columns: GEMM would pack both long
    /// operands to fill a mostly empty tile, while both are already rows over P, so direct vectorised dot
    /// products (no packing) are cheaper.
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

    static void WeightGradientRange<T>(in ConvShape s, int chunk, ReadOnlySpan<T> m, ReadOnlySpan<T> u, Span<T> dw, int lo, int hi) where T : unmanaged, INumber<T>
    {
        int p = s.Plane, kg = s.Kg, mg = s.Mg;
        var cols = NeedsColumns(s, chunk) ? ArrayPool<T>.Shared.Rent(s.ColumnsSize * chunk) : null;
        var gathered = chunk > 1 ? ArrayPool<T>.Shared.Rent(s.MatrixSize * chunk) : null;
        try
        {
            for (int n0 = lo; n0 < hi; n0 += chunk)
            {
                int count = Math.Min(chunk, hi - n0), ld = count * p;
                ReadOnlySpan<T> c = u.Slice(n0 * s.UnfoldedSize, s.UnfoldedSize);
                if (cols is not null)
                {
                    for (int i = 0; i < count; i++)
                        Im2Col.Unfold(u.Slice((n0 + i) * s.UnfoldedSize, s.UnfoldedSize), s.UnfoldedChannels, s.Geometry, cols.AsSpan(i * p), ld);
                    c = cols;
                }
                ReadOnlySpan<T> src = m.Slice(n0 * s.MatrixSize, s.MatrixSize);
                if (count > 1) { Gather(m.Slice(n0 * s.MatrixSize), count, s.MatrixChannels, p, gathered); src = gathered; }
                for (int g = 0; g < s.Groups; g++)
                {
                    if (mg * kg <= SmallWeightGradient)
                        AddRowDots(src.Slice(g * mg * ld), c.Slice(g * kg * ld), mg, kg, ld, dw.Slice(g * mg * kg));
                    else
                        Gemm.Multiply(false, true, mg, kg, ld, T.One, src.Slice(g * mg * ld), ld, c.Slice(g * kg * ld), ld, T.One, dw.Slice(g * mg * kg), kg);
                }
            }
        }
        finally
        {
            if (cols is not null) ArrayPool<T>.Shared.Return(cols);
            if (gathered is not null) ArrayPool<T>.Shared.Return(gathered);
        }
    }

    /// <summary>dst[n, c, ·] = src[c, n·P ..] (+ bias[c]) for a chunk laid out as [C, images·P].</summary>
    static void Scatter<T>(ReadOnlySpan<T> src, int images, int channels, int p, Span<T> dst, ReadOnlySpan<T> bias) where T : unmanaged, INumber<T>
    {
        int ld = images * p;
        for (int n = 0; n < images; n++)
        for (int c = 0; c < channels; c++)
        {
            var from = src.Slice(c * ld + n * p, p);
            var to = dst.Slice((n * channels + c) * p, p);
            if (bias.IsEmpty) from.CopyTo(to);
            else System.Numerics.Tensors.TensorPrimitives.Add(from, bias[c], to);
        }
    }

    /// <summary>dst[c, n·P ..] = src[n, c, ·]: a chunk of images as one [C, images·P] matrix.</summary>
    static void Gather<T>(ReadOnlySpan<T> src, int images, int channels, int p, Span<T> dst) where T : unmanaged
    {
        int ld = images * p;
        for (int n = 0; n < images; n++)
        for (int c = 0; c < channels; c++)
            src.Slice((n * channels + c) * p, p).CopyTo(dst.Slice(c * ld + n * p, p));
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

    /// <summary>Whether every element is finite: x·0 is 0 for a finite x and NaN for ±∞ or NaN.</summary>
    internal static bool AllFinite<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T>
    {
        var acc = Vector<T>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count) acc += new Vector<T>(x.Slice(i)) * Vector<T>.Zero;
        T sum = Vector.Sum(acc);
        for (; i < x.Length; i++) sum += x[i] * T.Zero;
        return sum == T.Zero;
    }

    static bool UseDirect<T>(in ConvShape s, ConvPath path) where T : unmanaged
    {
        if (path == ConvPath.Direct && !DirectConv.Supports<T>(s))
            throw new ArgumentException($"conv: the direct kernel cannot run {s} for {typeof(T).Name}.");
        return path == ConvPath.Direct || (path == ConvPath.Auto && DirectConv.Suits<T>(s));
    }

    /// <summary>Images per column matrix: one for a pointwise window (no columns), else enough for <see cref="ChunkColumns"/>.</summary>
    static int ImagesPerChunk(in ConvShape s, int forced)
    {
        if (forced > 0) return forced;
        if (s.Geometry.IsPointwise || s.Plane <= 0) return 1;
        return Math.Clamp(ChunkColumns / s.Plane, 1, Math.Max(1, s.Batch));
    }

    /// <summary>A pointwise window of one image is its own column matrix; anything else is unfolded into a buffer.</summary>
    static bool NeedsColumns(in ConvShape s, int chunk) => !s.Geometry.IsPointwise || chunk > 1;

    delegate void RangeBody<T>(in ConvShape s, int chunk, ReadOnlySpan<T> a, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> dst,
        int lo, int hi, Span<T> cols, Span<T> scratch) where T : unmanaged;

    /// <summary>
    /// Runs <paramref name="body"/> over the images, in contiguous ranges on several workers when it pays. The body
    /// is a static lambda called once per range (never per element), with that range's column buffer (empty when
    /// the window is pointwise and images go one at a time) and a [Cm, chunk·P] scratch for gathering or scattering
    /// the M side (empty when the chunk is one image).
    /// </summary>
    static unsafe void RunBatched<T>(in ConvShape s, int chunk, ReadOnlySpan<T> a, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> dst, RangeBody<T> body) where T : unmanaged
    {
        int workers = Workers(s);
        if (workers == 1)
        {
            RunRange(s, chunk, a, w, bias, dst, 0, s.Batch, body);
            return;
        }
        fixed (T* pa = a, pw = w, pb = bias, pd = dst)
        {
            var job = new BatchedJob<T>
            {
                Shape = s, ChunkImages = chunk, A = pa, ALength = a.Length, W = pw, WLength = w.Length, Bias = pb, BiasLength = bias.Length,
                Dst = pd, DstLength = dst.Length, Body = body,
            };
            RangeSplit.Run(s.Batch, workers, ref job);
        }
    }

    /// <summary>A range of images through the body; the body is a static lambda, so holding it allocates nothing.</summary>
    unsafe struct BatchedJob<T> : IRangeJob where T : unmanaged
    {
        public ConvShape Shape;
        public int ChunkImages, ALength, WLength, BiasLength, DstLength;
        public T* A, W, Bias, Dst;
        public RangeBody<T> Body;

        public void Run(int lo, int hi) => RunRange(Shape, ChunkImages, new ReadOnlySpan<T>(A, ALength), new ReadOnlySpan<T>(W, WLength),
            new ReadOnlySpan<T>(Bias, BiasLength), new Span<T>(Dst, DstLength), lo, hi, Body);
    }

    static void RunRange<T>(in ConvShape s, int chunk, ReadOnlySpan<T> a, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> dst, int lo, int hi, RangeBody<T> body) where T : unmanaged
    {
        var cols = NeedsColumns(s, chunk) ? ArrayPool<T>.Shared.Rent(s.ColumnsSize * chunk) : null;
        var scratch = chunk > 1 ? ArrayPool<T>.Shared.Rent(s.MatrixSize * chunk) : null;
        try { body(s, chunk, a, w, bias, dst, lo, hi, cols ?? Span<T>.Empty, scratch ?? Span<T>.Empty); }
        finally
        {
            if (cols is not null) ArrayPool<T>.Shared.Return(cols);
            if (scratch is not null) ArrayPool<T>.Shared.Return(scratch);
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
        if (s.Batch < threads && perProduct >= Gemm.ParallelWork) return 1;
        return Math.Min(s.Batch, threads);
    }

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
