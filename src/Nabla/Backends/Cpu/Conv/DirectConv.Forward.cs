using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>The direct convolution's forward pass and its channel-block kernels (see <see cref="DirectConv"/>).</summary>
internal static unsafe partial class DirectConv
{
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
            var (lo, hi) = RangeSplit.Range(Shape.Batch, Workers, part);
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
}
