using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// Direct convolution for stride-1 layers of moderate size (both LeNet convolutions): no im2col and no GEMM.
/// For few channels and a short K = Cin·kh·kw, im2col + GEMM spends most of its time writing and packing a column
/// matrix that is used for only Cout multiply-adds per element. Here each image is copied once into a
/// zero-bordered buffer (rows of Width = InW + 2·PadW) and outputs are computed on that padded grid, flattened:
/// grid position j reads tap (ci, ki, kj) at j + offset, so 16 (float) or 8 (double) consecutive positions are
/// one vector load even across rows; the (kw − 1)·dw extra columns per grid row are computed and thrown away.
/// <list type="bullet">
/// <item>forward: blocks of up to 8 output channels in vector accumulators; per tap one vector load and one
/// broadcast weight per channel (embedded broadcasts); the block size is a type so a 6-channel layer does 6.</item>
/// <item>input gradient: the same block kernel on the output gradient's grid, with flipped offsets.</item>
/// <item>weight gradient: blocks of 4 output channels × 4 taps (16 accumulators) walk the grid, reading the
/// output gradient (copied onto the grid, zero elsewhere) and the padded input; the per-lane partial sums stay
/// in vectors across the worker's images and are reduced once at the end.</item>
/// </list>
/// Needs stride 1, one group and AVX-512; any padding and dilation. Thrown-away grid positions multiply a zero
/// gradient by neighbouring input, so a NaN or infinity in the input could leak into a weight gradient that the
/// exact sum would not touch; finite inputs give the exact sum, and <see cref="ConvKernels.WeightGradient{T}"/>
/// sends non-finite input to the column path. Design and measurements: docs/conv-kernels.md.
/// </summary>
internal static unsafe class DirectConv
{
    /// <summary>Weight-gradient register block: output channels × taps.</summary>
    const int GradChannels = 4, GradTaps = 4;

    /// <summary>
    /// Whether the direct kernels beat im2col + GEMM here. Measured on one core (docs/conv-kernels.md): they won
    /// every product of every stride-1 shape tried, up to 64 output channels and K = 400 (LeNet's layers 2–4×, a
    /// 32→64 3×3 layer 1.4–1.6×, a 1→32 3×3 forward a tie). Larger layers are unmeasured and stay on GEMM, as do
    /// grids where most positions would be thrown away.
    /// </summary>
    public static bool Suits<T>(in ConvShape s) where T : unmanaged
    {
        if (!Supports<T>(s)) return false;
        var g = s.Geometry;
        int width = g.InW + 2 * g.PadW;
        return s.MatrixChannels <= 64 && s.UnfoldedChannels <= 64 && s.Kg <= 512 && 2 * g.OutW >= width;
    }

    /// <summary>Whether the kernels can run this shape at all: AVX-512, float or double, one group, stride 1.</summary>
    public static bool Supports<T>(in ConvShape s) where T : unmanaged =>
        Vector512.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double))
        && s.Groups == 1 && s.Geometry.StrideH == 1 && s.Geometry.StrideW == 1 && s.Geometry.OutH > 0 && s.Geometry.OutW > 0;

    /// <summary>The zero-bordered copy of one image: rows of InW + 2·PadW, InH + 2·PadH rows per channel.</summary>
    readonly struct Padded
    {
        public readonly int Width, Height, Channels;

        public Padded(in ConvShape s)
        {
            Width = s.Geometry.InW + 2 * s.Geometry.PadW;
            Height = s.Geometry.InH + 2 * s.Geometry.PadH;
            Channels = s.UnfoldedChannels;
        }

        /// <summary>
        /// Two vectors of slack: the last vector of the grid reads up to a vector past the image, and a block of few
        /// channels computes vectors in pairs (one more past the grid).
        /// </summary>
        public int Length<T>() where T : unmanaged => Channels * Height * Width + 2 * Vector512<T>.Count;

        /// <summary>Vectors that cover the output on the padded grid: positions 0 .. (OutH − 1)·Width + OutW.</summary>
        public int Vectors<T>(in ConvGeometry g) where T : unmanaged =>
            ((g.OutH - 1) * Width + g.OutW + Vector512<T>.Count - 1) / Vector512<T>.Count;

        /// <summary>Copies the image inside the zero border (the border was cleared once and is never written).</summary>
        public void Fill<T>(T* image, in ConvGeometry g, T* dst) where T : unmanaged
        {
            for (int c = 0; c < Channels; c++)
            for (int y = 0; y < g.InH; y++)
            {
                var src = new ReadOnlySpan<T>(image + (c * g.InH + y) * g.InW, g.InW);
                src.CopyTo(new Span<T>(dst + (c * Height + y + g.PadH) * Width + g.PadW, g.InW));
            }
        }

        /// <summary>Offset in the padded image of each tap (ci, ki, kj), in the weight's K order; padded taps read offset 0.</summary>
        public int[] TapOffsets(in ConvGeometry g, int taps, int paddedTaps)
        {
            var offsets = new int[paddedTaps];
            int kernel = g.KernelH * g.KernelW;
            for (int k = 0; k < taps; k++)
            {
                int ci = k / kernel, ki = k % kernel / g.KernelW, kj = k % g.KernelW;
                offsets[k] = (ci * Height + ki * g.DilationH) * Width + kj * g.DilationW;
            }
            return offsets;
        }
    }

    // ---------------------------------------------------------------- forward

    /// <summary>m[n, o] = Σ_k w[o, k] · window_k(u[n]) (+ bias[o]), for every image.</summary>
    public static void Forward<T>(in ConvShape s, ReadOnlySpan<T> u, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> m, int workers)
        where T : unmanaged, INumber<T>
    {
        int taps = s.Kg, cm = s.MatrixChannels, blocks = (cm + BlockChannels - 1) / BlockChannels;
        var padded = new Padded(s);
        // Weights as [block][K][8]: one row of broadcasts per tap; the bias as [block][8] after them.
        int weightSize = blocks * taps * BlockChannels;
        var packed = ArrayPool<T>.Shared.Rent(weightSize + blocks * BlockChannels);
        try
        {
            Array.Clear(packed);
            for (int o = 0; o < cm; o++)
            {
                int block = o / BlockChannels, lane = o % BlockChannels;
                for (int k = 0; k < taps; k++) packed[(block * taps + k) * BlockChannels + lane] = w[o * taps + k];
                if (!bias.IsEmpty) packed[weightSize + o] = bias[o];
            }
            var offsets = padded.TapOffsets(s.Geometry, taps, taps);
            fixed (T* pu = u, pm = m, pw = packed)
            fixed (int* po = offsets)
            {
                var job = new ForwardJob<T> { Shape = s, Pad = padded, U = pu, M = pm, W = pw, Offsets = po, Workers = workers };
                WorkerPool.Run(workers, ref job);
            }
        }
        finally { ArrayPool<T>.Shared.Return(packed); }
    }

    /// <summary>Output channels the forward kernel holds in registers at once.</summary>
    const int BlockChannels = 8;

    struct ForwardJob<T> : IPartJob where T : unmanaged, INumber<T>
    {
        public ConvShape Shape;
        public Padded Pad;
        public T* U, M, W;
        public int* Offsets;
        public int Workers;

        public void Run(int part)
        {
            var (lo, hi) = ConvKernels.Chunk(Shape.Batch, Workers, part);
            var g = Shape.Geometry;
            int outH = g.OutH, outW = g.OutW, plane = outH * outW, taps = Shape.Kg, cm = Shape.MatrixChannels;
            int vectors = Pad.Vectors<T>(g), tileStride = TileStride<T>(vectors);
            int blocks = (cm + BlockChannels - 1) / BlockChannels;
            // Padded image, then one block's results on the padded grid.
            var buffer = ArrayPool<T>.Shared.Rent(Pad.Length<T>() + BlockChannels * tileStride);
            try
            {
                Array.Clear(buffer);
                fixed (T* image = buffer)
                {
                    T* tile = image + Pad.Length<T>();
                    for (int n = lo; n < hi; n++)
                    {
                        Pad.Fill(U + (long)n * Shape.UnfoldedSize, g, image);
                        T* dst = M + (long)n * Shape.MatrixSize;
                        for (int b = 0; b < blocks; b++)
                        {
                            int count = Math.Min(BlockChannels, cm - b * BlockChannels);
                            T* w = W + b * taps * BlockChannels, bias = W + blocks * taps * BlockChannels + b * BlockChannels;
                            RunBlock(count, image, w, bias, Offsets, taps, vectors, tile, tileStride);
                            // Keep the valid part of each padded-grid row.
                            for (int c = 0; c < count; c++)
                            for (int oy = 0; oy < outH; oy++)
                                new ReadOnlySpan<T>(tile + c * tileStride + oy * Pad.Width, outW)
                                    .CopyTo(new Span<T>(dst + (b * BlockChannels + c) * plane + oy * outW, outW));
                        }
                    }
                }
            }
            finally { ArrayPool<T>.Shared.Return(buffer); }
        }
    }

    /// <summary>
    /// One block of <typeparamref name="TC"/> output channels over the flattened padded grid: position j (row
    /// j / Width, column j % Width) reads tap k at j + offset[k], so a vector covers consecutive positions even
    /// across rows; positions in a row's last kw−1 columns are computed and thrown away.
    /// </summary>
    static void ForwardBlock<T, TC>(T* image, T* w, T* bias, int* offsets, int taps, int vectors, T* tile, int tileStride)
        where T : unmanaged, INumber<T> where TC : struct, IChannelCount
    {
        if (TC.Count <= 4) { ForwardBlockPairs<T, TC>(image, w, bias, offsets, taps, vectors, tile, tileStride); return; }
        int lanes = Vector512<T>.Count;
        for (int v = 0, j = 0; v < vectors; v++, j += lanes)
        {
            var a0 = Vector512.Create(bias[0]);
            var a1 = TC.Count > 1 ? Vector512.Create(bias[1]) : default;
            var a2 = TC.Count > 2 ? Vector512.Create(bias[2]) : default;
            var a3 = TC.Count > 3 ? Vector512.Create(bias[3]) : default;
            var a4 = TC.Count > 4 ? Vector512.Create(bias[4]) : default;
            var a5 = TC.Count > 5 ? Vector512.Create(bias[5]) : default;
            var a6 = TC.Count > 6 ? Vector512.Create(bias[6]) : default;
            var a7 = TC.Count > 7 ? Vector512.Create(bias[7]) : default;
            T* at = image + j;
            T* wk = w;
            for (int k = 0; k < taps; k++, wk += BlockChannels)
            {
                var x = Vector512.Load(at + offsets[k]);
                a0 = Fma(x, Vector512.Create(wk[0]), a0);
                if (TC.Count > 1) a1 = Fma(x, Vector512.Create(wk[1]), a1);
                if (TC.Count > 2) a2 = Fma(x, Vector512.Create(wk[2]), a2);
                if (TC.Count > 3) a3 = Fma(x, Vector512.Create(wk[3]), a3);
                if (TC.Count > 4) a4 = Fma(x, Vector512.Create(wk[4]), a4);
                if (TC.Count > 5) a5 = Fma(x, Vector512.Create(wk[5]), a5);
                if (TC.Count > 6) a6 = Fma(x, Vector512.Create(wk[6]), a6);
                if (TC.Count > 7) a7 = Fma(x, Vector512.Create(wk[7]), a7);
            }
            T* o = tile + j;
            a0.Store(o);
            if (TC.Count > 1) a1.Store(o + tileStride);
            if (TC.Count > 2) a2.Store(o + 2 * tileStride);
            if (TC.Count > 3) a3.Store(o + 3 * tileStride);
            if (TC.Count > 4) a4.Store(o + 4 * tileStride);
            if (TC.Count > 5) a5.Store(o + 5 * tileStride);
            if (TC.Count > 6) a6.Store(o + 6 * tileStride);
            if (TC.Count > 7) a7.Store(o + 7 * tileStride);
        }
    }

    /// <summary>
    /// <see cref="ForwardBlock{T, TC}"/> for at most 4 channels: two grid vectors at a time, so at least two
    /// independent sums are in flight per tap (one channel alone would wait on each FMA's latency: 4.2 vs 1.8 ms
    /// for a 1-channel input gradient). An odd last vector computes one more, into the tile's and image's slack.
    /// </summary>
    static void ForwardBlockPairs<T, TC>(T* image, T* w, T* bias, int* offsets, int taps, int vectors, T* tile, int tileStride)
        where T : unmanaged, INumber<T> where TC : struct, IChannelCount
    {
        int lanes = Vector512<T>.Count;
        for (int v = 0, j = 0; v < vectors; v += 2, j += 2 * lanes)
        {
            var a0 = Vector512.Create(bias[0]);
            var a1 = TC.Count > 1 ? Vector512.Create(bias[1]) : default;
            var a2 = TC.Count > 2 ? Vector512.Create(bias[2]) : default;
            var a3 = TC.Count > 3 ? Vector512.Create(bias[3]) : default;
            var b0 = a0; var b1 = a1; var b2 = a2; var b3 = a3;
            T* at = image + j;
            T* wk = w;
            for (int k = 0; k < taps; k++, wk += BlockChannels)
            {
                var x = Vector512.Load(at + offsets[k]);
                var y = Vector512.Load(at + offsets[k] + lanes);
                var w0 = Vector512.Create(wk[0]);
                a0 = Fma(x, w0, a0); b0 = Fma(y, w0, b0);
                if (TC.Count > 1) { var w1 = Vector512.Create(wk[1]); a1 = Fma(x, w1, a1); b1 = Fma(y, w1, b1); }
                if (TC.Count > 2) { var w2 = Vector512.Create(wk[2]); a2 = Fma(x, w2, a2); b2 = Fma(y, w2, b2); }
                if (TC.Count > 3) { var w3 = Vector512.Create(wk[3]); a3 = Fma(x, w3, a3); b3 = Fma(y, w3, b3); }
            }
            T* o = tile + j;
            a0.Store(o); b0.Store(o + lanes);
            if (TC.Count > 1) { a1.Store(o + tileStride); b1.Store(o + tileStride + lanes); }
            if (TC.Count > 2) { a2.Store(o + 2 * tileStride); b2.Store(o + 2 * tileStride + lanes); }
            if (TC.Count > 3) { a3.Store(o + 3 * tileStride); b3.Store(o + 3 * tileStride + lanes); }
        }
    }

    /// <summary>Tile row length for <paramref name="vectors"/> grid vectors, rounded up to a pair.</summary>
    static int TileStride<T>(int vectors) where T : unmanaged => (vectors + 1) / 2 * 2 * Vector512<T>.Count;

    /// <summary>A register block's channel count as a type, so the JIT drops the unused accumulators.</summary>
    interface IChannelCount { static abstract int Count { get; } }
    struct C1 : IChannelCount { public static int Count => 1; }
    struct C2 : IChannelCount { public static int Count => 2; }
    struct C3 : IChannelCount { public static int Count => 3; }
    struct C4 : IChannelCount { public static int Count => 4; }
    struct C5 : IChannelCount { public static int Count => 5; }
    struct C6 : IChannelCount { public static int Count => 6; }
    struct C7 : IChannelCount { public static int Count => 7; }
    struct C8 : IChannelCount { public static int Count => 8; }

    // ---------------------------------------------------------------- input gradient

    /// <summary>
    /// du[n] (overwritten) = the adjoint of the forward: du_grid[ci][i] = Σ_{o,ki,kj} w[o, ci, ki, kj] ·
    /// dm_grid[o][i − spatial offset(ki, kj)], where dm_grid is the output gradient on the padded grid (zero at
    /// thrown-away positions and in a front margin). That is a forward pass of the same block kernel with taps
    /// (o, ki, kj), negative offsets and Cu output channels; only the unpadded rows of the grid are computed.
    /// </summary>
    public static void InputGradient<T>(in ConvShape s, ReadOnlySpan<T> dm, ReadOnlySpan<T> w, Span<T> du, int workers)
        where T : unmanaged, INumber<T>
    {
        var g = s.Geometry;
        int cu = s.UnfoldedChannels, cm = s.MatrixChannels, kernel = g.KernelH * g.KernelW, kg = s.Kg;
        int taps = cm * kernel, blocks = (cu + BlockChannels - 1) / BlockChannels;
        var pad = new Padded(s);
        int margin = (g.KernelH - 1) * g.DilationH * pad.Width + (g.KernelW - 1) * g.DilationW;
        int channelStride = margin + pad.Height * pad.Width + 2 * Vector512<T>.Count;
        // Weights as [block of ci][(o, ki, kj)][8].
        int weightSize = blocks * taps * BlockChannels;
        var packed = ArrayPool<T>.Shared.Rent(weightSize + BlockChannels);
        var offsets = new int[taps];
        try
        {
            Array.Clear(packed);
            for (int ci = 0; ci < cu; ci++)
            for (int o = 0; o < cm; o++)
            for (int r = 0; r < kernel; r++)
                packed[((ci / BlockChannels * taps) + o * kernel + r) * BlockChannels + ci % BlockChannels] = w[o * kg + ci * kernel + r];
            for (int o = 0; o < cm; o++)
            for (int r = 0; r < kernel; r++)
                offsets[o * kernel + r] = o * channelStride + margin - (r / g.KernelW * g.DilationH * pad.Width + r % g.KernelW * g.DilationW);
            fixed (T* pm = dm, pu = du, pw = packed)
            fixed (int* po = offsets)
            {
                var job = new InputGradientJob<T>
                {
                    Shape = s, Pad = pad, DM = pm, DU = pu, W = pw, Offsets = po, Taps = taps, Margin = margin,
                    ChannelStride = channelStride, Workers = workers,
                };
                WorkerPool.Run(workers, ref job);
            }
        }
        finally { ArrayPool<T>.Shared.Return(packed); }
    }

    struct InputGradientJob<T> : IPartJob where T : unmanaged, INumber<T>
    {
        public ConvShape Shape;
        public Padded Pad;
        public T* DM, DU, W;
        public int* Offsets;
        public int Taps, Margin, ChannelStride, Workers;

        public void Run(int part)
        {
            var (lo, hi) = ConvKernels.Chunk(Shape.Batch, Workers, part);
            var g = Shape.Geometry;
            int width = Pad.Width, outH = g.OutH, outW = g.OutW, inH = g.InH, inW = g.InW, cu = Shape.UnfoldedChannels;
            int vectors = (inH * width + Vector512<T>.Count - 1) / Vector512<T>.Count, tileStride = TileStride<T>(vectors);
            int blocks = (cu + BlockChannels - 1) / BlockChannels, gridSize = Shape.MatrixChannels * ChannelStride;
            var buffer = ArrayPool<T>.Shared.Rent(gridSize + BlockChannels * tileStride);
            try
            {
                Array.Clear(buffer);
                fixed (T* grid = buffer)
                {
                    T* tile = grid + gridSize;
                    T* zeroBias = W + blocks * Taps * BlockChannels;
                    // The first computed grid position is the first unpadded row.
                    T* origin = grid + g.PadH * width;
                    for (int n = lo; n < hi; n++)
                    {
                        T* src = DM + (long)n * Shape.MatrixSize;
                        for (int c = 0; c < Shape.MatrixChannels; c++)
                        for (int oy = 0; oy < outH; oy++)
                            new ReadOnlySpan<T>(src + (c * outH + oy) * outW, outW).CopyTo(new Span<T>(grid + c * ChannelStride + Margin + oy * width, outW));
                        T* dst = DU + (long)n * Shape.UnfoldedSize;
                        for (int b = 0; b < blocks; b++)
                        {
                            int count = Math.Min(BlockChannels, cu - b * BlockChannels);
                            RunBlock(count, origin, W + b * Taps * BlockChannels, zeroBias, Offsets, Taps, vectors, tile, tileStride);
                            for (int c = 0; c < count; c++)
                            for (int y = 0; y < inH; y++)
                                new ReadOnlySpan<T>(tile + c * tileStride + y * width + g.PadW, inW)
                                    .CopyTo(new Span<T>(dst + ((b * BlockChannels + c) * inH + y) * inW, inW));
                        }
                    }
                }
            }
            finally { ArrayPool<T>.Shared.Return(buffer); }
        }
    }

    /// <summary>Runs <see cref="ForwardBlock{T, TC}"/> with the block size as a type.</summary>
    static void RunBlock<T>(int count, T* image, T* w, T* bias, int* offsets, int taps, int vectors, T* tile, int tileStride)
        where T : unmanaged, INumber<T>
    {
        switch (count)
        {
            case 1: ForwardBlock<T, C1>(image, w, bias, offsets, taps, vectors, tile, tileStride); break;
            case 2: ForwardBlock<T, C2>(image, w, bias, offsets, taps, vectors, tile, tileStride); break;
            case 3: ForwardBlock<T, C3>(image, w, bias, offsets, taps, vectors, tile, tileStride); break;
            case 4: ForwardBlock<T, C4>(image, w, bias, offsets, taps, vectors, tile, tileStride); break;
            case 5: ForwardBlock<T, C5>(image, w, bias, offsets, taps, vectors, tile, tileStride); break;
            case 6: ForwardBlock<T, C6>(image, w, bias, offsets, taps, vectors, tile, tileStride); break;
            case 7: ForwardBlock<T, C7>(image, w, bias, offsets, taps, vectors, tile, tileStride); break;
            default: ForwardBlock<T, C8>(image, w, bias, offsets, taps, vectors, tile, tileStride); break;
        }
    }

    // ---------------------------------------------------------------- weight gradient

    /// <summary>dw[o, k] (overwritten) = Σ_n Σ_positions dm[n, o] · window_k(u[n]).</summary>
    public static void WeightGradient<T>(in ConvShape s, ReadOnlySpan<T> dm, ReadOnlySpan<T> u, Span<T> dw, int workers)
        where T : unmanaged, INumber<T>
    {
        int taps = s.Kg, cm = s.MatrixChannels, lanes = Vector512<T>.Count;
        int channelBlocks = (cm + GradChannels - 1) / GradChannels, tapBlocks = (taps + GradTaps - 1) / GradTaps;
        var padded = new Padded(s);
        var offsets = padded.TapOffsets(s.Geometry, taps, tapBlocks * GradTaps);
        // Per worker: vector partials [channel block][tap block][4 channels][4 taps][lanes].
        int partialSize = channelBlocks * tapBlocks * GradChannels * GradTaps * lanes;
        var partials = ArrayPool<T>.Shared.Rent(workers * partialSize);
        try
        {
            fixed (T* pm = dm, pu = u, pp = partials)
            fixed (int* po = offsets)
            {
                var job = new GradientJob<T>
                {
                    Shape = s, Pad = padded, DM = pm, U = pu, Partials = pp, PartialSize = partialSize,
                    Offsets = po, ChannelBlocks = channelBlocks, TapBlocks = tapBlocks, Workers = workers,
                };
                WorkerPool.Run(workers, ref job);
            }
            // Lanes, then workers in order: the result depends only on the worker count.
            for (int o = 0; o < cm; o++)
            for (int k = 0; k < taps; k++)
            {
                int at = (((o / GradChannels * tapBlocks + k / GradTaps) * GradChannels + o % GradChannels) * GradTaps + k % GradTaps) * lanes;
                T sum = T.Zero;
                for (int wk = 0; wk < workers; wk++)
                    sum += System.Numerics.Tensors.TensorPrimitives.Sum(new ReadOnlySpan<T>(partials, wk * partialSize + at, lanes));
                dw[o * taps + k] = sum;
            }
        }
        finally { ArrayPool<T>.Shared.Return(partials); }
    }

    struct GradientJob<T> : IPartJob where T : unmanaged, INumber<T>
    {
        public ConvShape Shape;
        public Padded Pad;
        public T* DM, U, Partials;
        public int PartialSize, ChannelBlocks, TapBlocks, Workers;
        public int* Offsets;

        public void Run(int part)
        {
            var (lo, hi) = ConvKernels.Chunk(Shape.Batch, Workers, part);
            var g = Shape.Geometry;
            int outH = g.OutH, outW = g.OutW, width = Pad.Width;
            int gradStride = Pad.Vectors<T>(g) * Vector512<T>.Count;
            // The output gradient of one image on the padded grid (row stride Width) with its channels padded to a
            // whole block; zero everywhere else, so the thrown-away grid positions contribute nothing.
            int gradSize = ChannelBlocks * GradChannels * gradStride;
            var buffer = ArrayPool<T>.Shared.Rent(Pad.Length<T>() + gradSize);
            T* partial = Partials + (long)part * PartialSize;
            new Span<T>(partial, PartialSize).Clear();
            try
            {
                Array.Clear(buffer);
                fixed (T* image = buffer)
                {
                    T* grad = image + Pad.Length<T>();
                    for (int n = lo; n < hi; n++)
                    {
                        Pad.Fill(U + (long)n * Shape.UnfoldedSize, g, image);
                        T* src = DM + (long)n * Shape.MatrixSize;
                        for (int c = 0; c < Shape.MatrixChannels; c++)
                        for (int oy = 0; oy < outH; oy++)
                            new ReadOnlySpan<T>(src + (c * outH + oy) * outW, outW).CopyTo(new Span<T>(grad + c * gradStride + oy * width, outW));
                        for (int cb = 0; cb < ChannelBlocks; cb++)
                        for (int tb = 0; tb < TapBlocks; tb++)
                            GradientBlock(image, grad + cb * GradChannels * gradStride, gradStride, Offsets + tb * GradTaps,
                                partial + (cb * TapBlocks + tb) * GradChannels * GradTaps * Vector512<T>.Count);
                    }
                }
            }
            finally { ArrayPool<T>.Shared.Return(buffer); }
        }
    }

    /// <summary>
    /// Adds, per lane, grad[c][j] · image[j + offset[t]] over the padded grid for 4 channels × 4 taps into the
    /// 16 vector partials at <paramref name="acc"/>. One flat loop over j keeps the 16 sums in registers.
    /// </summary>
    static void GradientBlock<T>(T* image, T* grad, int gradStride, int* offsets, T* acc) where T : unmanaged, INumber<T>
    {
        int lanes = Vector512<T>.Count;
        var s00 = Vector512.Load(acc); var s01 = Vector512.Load(acc + lanes); var s02 = Vector512.Load(acc + 2 * lanes); var s03 = Vector512.Load(acc + 3 * lanes);
        var s10 = Vector512.Load(acc + 4 * lanes); var s11 = Vector512.Load(acc + 5 * lanes); var s12 = Vector512.Load(acc + 6 * lanes); var s13 = Vector512.Load(acc + 7 * lanes);
        var s20 = Vector512.Load(acc + 8 * lanes); var s21 = Vector512.Load(acc + 9 * lanes); var s22 = Vector512.Load(acc + 10 * lanes); var s23 = Vector512.Load(acc + 11 * lanes);
        var s30 = Vector512.Load(acc + 12 * lanes); var s31 = Vector512.Load(acc + 13 * lanes); var s32 = Vector512.Load(acc + 14 * lanes); var s33 = Vector512.Load(acc + 15 * lanes);
        T* g0 = grad, g1 = grad + gradStride, g2 = grad + 2 * gradStride, g3 = grad + 3 * gradStride;
        T* x0 = image + offsets[0], x1 = image + offsets[1], x2 = image + offsets[2], x3 = image + offsets[3];
        for (nint j = 0; j < gradStride; j += lanes)
        {
            var d0 = Vector512.Load(g0 + j); var d1 = Vector512.Load(g1 + j); var d2 = Vector512.Load(g2 + j); var d3 = Vector512.Load(g3 + j);
            var v0 = Vector512.Load(x0 + j); var v1 = Vector512.Load(x1 + j); var v2 = Vector512.Load(x2 + j); var v3 = Vector512.Load(x3 + j);
            s00 = Fma(d0, v0, s00); s01 = Fma(d0, v1, s01); s02 = Fma(d0, v2, s02); s03 = Fma(d0, v3, s03);
            s10 = Fma(d1, v0, s10); s11 = Fma(d1, v1, s11); s12 = Fma(d1, v2, s12); s13 = Fma(d1, v3, s13);
            s20 = Fma(d2, v0, s20); s21 = Fma(d2, v1, s21); s22 = Fma(d2, v2, s22); s23 = Fma(d2, v3, s23);
            s30 = Fma(d3, v0, s30); s31 = Fma(d3, v1, s31); s32 = Fma(d3, v2, s32); s33 = Fma(d3, v3, s33);
        }
        s00.Store(acc); s01.Store(acc + lanes); s02.Store(acc + 2 * lanes); s03.Store(acc + 3 * lanes);
        s10.Store(acc + 4 * lanes); s11.Store(acc + 5 * lanes); s12.Store(acc + 6 * lanes); s13.Store(acc + 7 * lanes);
        s20.Store(acc + 8 * lanes); s21.Store(acc + 9 * lanes); s22.Store(acc + 10 * lanes); s23.Store(acc + 11 * lanes);
        s30.Store(acc + 12 * lanes); s31.Store(acc + 13 * lanes); s32.Store(acc + 14 * lanes); s33.Store(acc + 15 * lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}
