using System.Numerics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// The pooling entry points: planes are independent, so a large tensor is split into contiguous plane ranges,
/// one per worker (up to <see cref="Threading.NumThreads"/>), each running the range kernel single-threaded.
/// Small tensors stay on the caller's thread, where a fork would cost more than the pass.
/// </summary>
internal static partial class PoolKernels
{
    /// <summary>Elements read and written below which one thread does the whole pass.</summary>
    const long ParallelWork = 1L << 16;

    static int Workers(int planes, long work) =>
        work < ParallelWork || Gemm.InsideWorker ? 1 : Math.Max(1, Math.Min(Math.Min(Gemm.MaxThreads, Environment.ProcessorCount), planes));

    static (int Lo, int Hi) Chunk(int n, int workers, int w) => ((int)((long)n * w / workers), (int)((long)n * (w + 1) / workers));

    public static unsafe void MaxForward<T>(ReadOnlySpan<T> input, int planes, in ConvGeometry g, Span<T> output, Span<long> indices)
        where T : unmanaged, INumber<T>
    {
        int workers = Workers(planes, (long)planes * (g.InH * g.InW + g.OutH * g.OutW));
        if (workers == 1) { MaxForwardRange(input, 0, planes, g, output, indices); return; }
        var geo = g;
        fixed (T* pi = input, po = output)
        fixed (long* px = indices)
        {
            nint ai = (nint)pi, ao = (nint)po, ax = (nint)px;
            int li = input.Length, lo = output.Length, lx = indices.Length;
            WorkerPool.Run(workers, w =>
            {
                var (a, b) = Chunk(planes, workers, w);
                MaxForwardRange(new ReadOnlySpan<T>((T*)ai, li), a, b, geo, new Span<T>((T*)ao, lo), new Span<long>((long*)ax, lx));
            });
        }
    }

    public static unsafe void MaxBackward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<long> indices, int planes, int inPlane, int outPlane, Span<T> gradInput)
        where T : unmanaged, INumber<T>
    {
        int workers = Workers(planes, (long)planes * (inPlane + outPlane));
        if (workers == 1) { MaxBackwardRange(gradOutput, indices, 0, planes, inPlane, outPlane, gradInput); return; }
        fixed (T* pg = gradOutput, pd = gradInput)
        fixed (long* px = indices)
        {
            nint ag = (nint)pg, ad = (nint)pd, ax = (nint)px;
            int lg = gradOutput.Length, ld = gradInput.Length, lx = indices.Length;
            WorkerPool.Run(workers, w =>
            {
                var (a, b) = Chunk(planes, workers, w);
                MaxBackwardRange(new ReadOnlySpan<T>((T*)ag, lg), new ReadOnlySpan<long>((long*)ax, lx), a, b, inPlane, outPlane, new Span<T>((T*)ad, ld));
            });
        }
    }

    public static unsafe void AvgForward<T>(ReadOnlySpan<T> input, int planes, in ConvGeometry g, bool countIncludePad, Span<T> output)
        where T : unmanaged, INumber<T>
    {
        int workers = Workers(planes, (long)planes * (g.InH * g.InW + g.OutH * g.OutW));
        if (workers == 1) { AvgForwardRange(input, 0, planes, g, countIncludePad, output); return; }
        var geo = g;
        fixed (T* pi = input, po = output)
        {
            nint ai = (nint)pi, ao = (nint)po;
            int li = input.Length, lo = output.Length;
            WorkerPool.Run(workers, w =>
            {
                var (a, b) = Chunk(planes, workers, w);
                AvgForwardRange(new ReadOnlySpan<T>((T*)ai, li), a, b, geo, countIncludePad, new Span<T>((T*)ao, lo));
            });
        }
    }

    public static unsafe void AvgBackward<T>(ReadOnlySpan<T> gradOutput, int planes, in ConvGeometry g, bool countIncludePad, Span<T> gradInput)
        where T : unmanaged, INumber<T>
    {
        int workers = Workers(planes, (long)planes * (g.InH * g.InW + g.OutH * g.OutW));
        if (workers == 1) { AvgBackwardRange(gradOutput, 0, planes, g, countIncludePad, gradInput); return; }
        var geo = g;
        fixed (T* pg = gradOutput, pd = gradInput)
        {
            nint ag = (nint)pg, ad = (nint)pd;
            int lg = gradOutput.Length, ld = gradInput.Length;
            WorkerPool.Run(workers, w =>
            {
                var (a, b) = Chunk(planes, workers, w);
                AvgBackwardRange(new ReadOnlySpan<T>((T*)ag, lg), a, b, geo, countIncludePad, new Span<T>((T*)ad, ld));
            });
        }
    }
}
