using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>The direct convolution's input gradient: the forward block kernel run over the output gradient (see <see cref="DirectConv"/>).</summary>
internal static unsafe partial class DirectConv
{
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
            var (lo, hi) = RangeSplit.Range(Shape.Batch, Workers, part);
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
}
