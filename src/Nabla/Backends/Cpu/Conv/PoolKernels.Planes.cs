using System.Numerics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// The pooling entry points: planes are independent, so a large tensor is split into contiguous plane ranges,
/// one per worker (up to <see cref="Threading.NumThreads"/>), each running the range kernel single-threaded.
/// Small tensors stay on the caller's thread, where a fork would cost more than the pass. The split jobs are
/// structs holding the pinned spans' addresses (<see cref="RangeSplit"/>), so a call allocates nothing.
/// </summary>
internal static unsafe partial class PoolKernels
{
    /// <summary>Elements read and written below which one thread does the whole pass.</summary>
    const long ParallelWork = 1L << 16;

    static int Workers(int planes, long work) =>
        work < ParallelWork || Gemm.InsideWorker ? 1 : Math.Max(1, Math.Min(Math.Min(Gemm.MaxThreads, Environment.ProcessorCount), planes));

    public static void MaxForward<T>(ReadOnlySpan<T> input, int planes, in ConvGeometry g, Span<T> output, Span<long> indices)
        where T : unmanaged, INumber<T>
    {
        int workers = Workers(planes, (long)planes * (g.InH * g.InW + g.OutH * g.OutW));
        if (workers == 1) { MaxForwardRange(input, 0, planes, g, output, indices); return; }
        fixed (T* pi = input, po = output)
        fixed (long* px = indices)
        {
            var job = new MaxForwardJob<T>
            {
                Input = pi, InputLength = input.Length, Output = po, OutputLength = output.Length, Indices = px, IndicesLength = indices.Length, Geometry = g,
            };
            RangeSplit.Run(planes, workers, ref job);
        }
    }

    public static void MaxBackward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<long> indices, int planes, int inPlane, int outPlane, Span<T> gradInput)
        where T : unmanaged, INumber<T>
    {
        int workers = Workers(planes, (long)planes * (inPlane + outPlane));
        if (workers == 1) { MaxBackwardRange(gradOutput, indices, 0, planes, inPlane, outPlane, gradInput); return; }
        fixed (T* pg = gradOutput, pd = gradInput)
        fixed (long* px = indices)
        {
            var job = new MaxBackwardJob<T>
            {
                GradOutput = pg, GradOutputLength = gradOutput.Length, Indices = px, IndicesLength = indices.Length, GradInput = pd, GradInputLength = gradInput.Length,
                InPlane = inPlane, OutPlane = outPlane,
            };
            RangeSplit.Run(planes, workers, ref job);
        }
    }

    public static void AvgForward<T>(ReadOnlySpan<T> input, int planes, in ConvGeometry g, bool countIncludePad, Span<T> output)
        where T : unmanaged, INumber<T>
    {
        int workers = Workers(planes, (long)planes * (g.InH * g.InW + g.OutH * g.OutW));
        if (workers == 1) { AvgForwardRange(input, 0, planes, g, countIncludePad, output); return; }
        fixed (T* pi = input, po = output)
        {
            var job = new AvgJob<T> { Source = pi, SourceLength = input.Length, Destination = po, DestinationLength = output.Length, Geometry = g, CountIncludePad = countIncludePad };
            RangeSplit.Run(planes, workers, ref job);
        }
    }

    public static void AvgBackward<T>(ReadOnlySpan<T> gradOutput, int planes, in ConvGeometry g, bool countIncludePad, Span<T> gradInput)
        where T : unmanaged, INumber<T>
    {
        int workers = Workers(planes, (long)planes * (g.InH * g.InW + g.OutH * g.OutW));
        if (workers == 1) { AvgBackwardRange(gradOutput, 0, planes, g, countIncludePad, gradInput); return; }
        fixed (T* pg = gradOutput, pd = gradInput)
        {
            var job = new AvgJob<T>
            {
                Source = pg, SourceLength = gradOutput.Length, Destination = pd, DestinationLength = gradInput.Length, Geometry = g,
                CountIncludePad = countIncludePad, Backward = true,
            };
            RangeSplit.Run(planes, workers, ref job);
        }
    }

    struct MaxForwardJob<T> : IRangeJob where T : unmanaged, INumber<T>
    {
        public T* Input, Output;
        public long* Indices;
        public int InputLength, OutputLength, IndicesLength;
        public ConvGeometry Geometry;

        public void Run(int lo, int hi) => MaxForwardRange(new ReadOnlySpan<T>(Input, InputLength), lo, hi, Geometry,
            new Span<T>(Output, OutputLength), new Span<long>(Indices, IndicesLength));
    }

    struct MaxBackwardJob<T> : IRangeJob where T : unmanaged, INumber<T>
    {
        public T* GradOutput, GradInput;
        public long* Indices;
        public int GradOutputLength, IndicesLength, GradInputLength, InPlane, OutPlane;

        public void Run(int lo, int hi) => MaxBackwardRange(new ReadOnlySpan<T>(GradOutput, GradOutputLength),
            new ReadOnlySpan<long>(Indices, IndicesLength), lo, hi, InPlane, OutPlane, new Span<T>(GradInput, GradInputLength));
    }

    /// <summary>Average pooling either way: forward reads the input planes, backward the output gradient's.</summary>
    struct AvgJob<T> : IRangeJob where T : unmanaged, INumber<T>
    {
        public T* Source, Destination;
        public int SourceLength, DestinationLength;
        public ConvGeometry Geometry;
        public bool CountIncludePad, Backward;

        public void Run(int lo, int hi)
        {
            var source = new ReadOnlySpan<T>(Source, SourceLength);
            var destination = new Span<T>(Destination, DestinationLength);
            if (Backward) AvgBackwardRange(source, lo, hi, Geometry, CountIncludePad, destination);
            else AvgForwardRange(source, lo, hi, Geometry, CountIncludePad, destination);
        }
    }
}
