using System.Numerics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Splits one long pass of a floating unary map (sigmoid, tanh, exp, log …) over dense spans into a chunk per
/// worker (<see cref="WorkerPool"/>): these maps spend nanoseconds of arithmetic per element, so a second core
/// nearly halves them. (Plain streaming passes — add, ReLU, the fused backward maps — measured no faster on two
/// cores and are not split.) Short spans, and calls made from inside a worker, run on the calling thread
/// unchanged: below <see cref="MinLength"/> elements the fork and join (a few microseconds) costs more than the
/// second core gains.
/// <para>
/// Chunk boundaries fall on 64-byte lines of the output, so two threads never write the same cache line. The
/// jobs are structs holding raw addresses (the spans are pinned by the caller's <c>fixed</c> for the whole
/// call): no allocation, no closure.
/// </para>
/// </summary>
internal static unsafe class DenseSplit
{
    /// <summary>Elements below which a pass runs on one thread (2¹⁶ floats: ~0.03 ms of sigmoid, ~0.2 ms of tanh).</summary>
    public const int MinLength = 1 << 16;

    /// <summary>How many chunks to cut a pass of <paramref name="length"/> elements into.</summary>
    public static int Parts(int length)
    {
        if (length < MinLength || Gemm.InsideWorker) return 1;
        int threads = Math.Min(Gemm.MaxThreads, Environment.ProcessorCount);
        return Math.Max(1, Math.Min(threads, length / (MinLength / 2)));
    }

    /// <summary>Start of chunk <paramref name="part"/> of <paramref name="parts"/>: an even split, moved up to the next 64-byte line of <paramref name="output"/>.</summary>
    public static int Start<T>(T* output, int length, int parts, int part) where T : unmanaged
    {
        if (part <= 0) return 0;
        if (part >= parts) return length;
        int even = (int)((long)length * part / parts);
        nint address = (nint)(output + even);
        int ahead = (int)((64 - (address & 63)) & 63) / sizeof(T);
        return Math.Min(length, even + ahead);
    }

    /// <summary>d = op(x) over dense spans of one length, split when long.</summary>
    public static void FloatUnary<T, TOp>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> where TOp : IFloatUnary
    {
        int parts = Parts(d.Length);
        if (parts == 1) { TOp.Span(x, d); return; }
        fixed (T* px = x, pd = d)
        {
            var job = new FloatUnaryJob<T, TOp> { X = px, D = pd, Length = d.Length, Parts = parts };
            WorkerPool.Run(parts, ref job);
        }
    }

    struct FloatUnaryJob<T, TOp> : IPartJob where T : unmanaged, IFloatingPointIeee754<T> where TOp : IFloatUnary
    {
        public T* X, D;
        public int Length, Parts;

        public void Run(int part)
        {
            int lo = Start(D, Length, Parts, part), hi = Start(D, Length, Parts, part + 1);
            TOp.Span(new ReadOnlySpan<T>(X + lo, hi - lo), new Span<T>(D + lo, hi - lo));
        }
    }
}
