using System.Numerics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Splits one long elementwise pass over dense spans into a chunk per worker (<see cref="WorkerPool"/>). The
/// transcendental maps (sigmoid, tanh, exp) are compute-bound and nearly halve on two cores; the streaming passes
/// (the fused backward maps, ReLU, add) gain ~2× while their operands fit the two cores' caches (256×16×10×10) and
/// break even on 1.2 M-element LeNet activations, where the shared cache's bandwidth is the limit (measured in
/// docs/PERFORMANCE.md with the second core idle; when another process holds it, any fork/join here loses).
/// Short spans, and calls made from inside a worker, run on the calling thread unchanged: below
/// <see cref="MinLength"/> elements the fork and join (a few microseconds) costs more than the second core gains,
/// and tiny ops such as the 1000-element add keep their one-compare fast path.
/// <para>
/// Chunk boundaries fall on 64-byte lines of the output, so two threads never write the same cache line. The
/// jobs are structs holding raw addresses (the spans are pinned by the caller's <c>fixed</c> for the whole
/// call): no allocation, no closure.
/// </para>
/// </summary>
internal static unsafe class DenseSplit
{
    /// <summary>Elements below which a pass runs on one thread (2¹⁶ floats: 256 KiB read, 256 KiB written; ~0.01 ms of add).</summary>
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

    /// <summary>d = op(x) over dense spans, split when long.</summary>
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

    /// <summary>d = op(x) for an op defined on every numeric dtype, split when long.</summary>
    public static void NumericUnary<T, TOp>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T> where TOp : INumericUnary
    {
        int parts = Parts(d.Length);
        if (parts == 1) { TOp.Span(x, d); return; }
        fixed (T* px = x, pd = d)
        {
            var job = new NumericUnaryJob<T, TOp> { X = px, D = pd, Length = d.Length, Parts = parts };
            WorkerPool.Run(parts, ref job);
        }
    }

    /// <summary>d = op(a, b) over three dense spans of one length, split when long.</summary>
    public static void Binary<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T> where TOp : INumericBinary
    {
        int parts = Parts(d.Length);
        if (parts == 1) { TOp.Span(a, b, d); return; }
        fixed (T* pa = a, pb = b, pd = d)
        {
            var job = new BinaryJob<T, TOp> { A = pa, B = pb, D = pd, Length = d.Length, Parts = parts };
            WorkerPool.Run(parts, ref job);
        }
    }

    /// <summary>d = op(a, s) with a scalar right operand (<paramref name="scalarFirst"/>: op(s, a)), split when long.</summary>
    public static void WithScalar<T, TOp>(ReadOnlySpan<T> a, T s, bool scalarFirst, Span<T> d) where T : unmanaged, INumber<T> where TOp : INumericBinary
    {
        int parts = Parts(d.Length);
        if (parts == 1)
        {
            if (scalarFirst) TOp.ScalarSpan(s, a, d); else TOp.SpanScalar(a, s, d);
            return;
        }
        fixed (T* pa = a, pd = d)
        {
            var job = new ScalarJob<T, TOp> { A = pa, S = s, ScalarFirst = scalarFirst, D = pd, Length = d.Length, Parts = parts };
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

    struct NumericUnaryJob<T, TOp> : IPartJob where T : unmanaged, INumber<T> where TOp : INumericUnary
    {
        public T* X, D;
        public int Length, Parts;

        public void Run(int part)
        {
            int lo = Start(D, Length, Parts, part), hi = Start(D, Length, Parts, part + 1);
            TOp.Span(new ReadOnlySpan<T>(X + lo, hi - lo), new Span<T>(D + lo, hi - lo));
        }
    }

    struct BinaryJob<T, TOp> : IPartJob where T : unmanaged, INumber<T> where TOp : INumericBinary
    {
        public T* A, B, D;
        public int Length, Parts;

        public void Run(int part)
        {
            int lo = Start(D, Length, Parts, part), hi = Start(D, Length, Parts, part + 1);
            TOp.Span(new ReadOnlySpan<T>(A + lo, hi - lo), new ReadOnlySpan<T>(B + lo, hi - lo), new Span<T>(D + lo, hi - lo));
        }
    }

    struct ScalarJob<T, TOp> : IPartJob where T : unmanaged, INumber<T> where TOp : INumericBinary
    {
        public T* A, D;
        public T S;
        public bool ScalarFirst;
        public int Length, Parts;

        public void Run(int part)
        {
            int lo = Start(D, Length, Parts, part), hi = Start(D, Length, Parts, part + 1);
            var a = new ReadOnlySpan<T>(A + lo, hi - lo);
            var d = new Span<T>(D + lo, hi - lo);
            if (ScalarFirst) TOp.ScalarSpan(S, a, d); else TOp.SpanScalar(a, S, d);
        }
    }
}
