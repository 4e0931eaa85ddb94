using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>The direct convolution's weight gradient: 4 channels × 4 taps in registers across a worker's images (see <see cref="DirectConv"/>).</summary>
internal static unsafe partial class DirectConv
{
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
            var (lo, hi) = RangeSplit.Range(Shape.Batch, Workers, part);
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
}
