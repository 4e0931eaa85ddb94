using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Batch normalisation in training mode with its per-channel affine map fused in: a dense tensor seen as
/// [A, C, B] (BatchNorm's [N, C, spatial]) becomes y = (x − mean_c)·(w_c·invstd_c) + b_c, statistics per channel
/// over (a, b), biased variance, invstd = 1/√(var + eps). Forward reads x twice (mean, then squared deviations)
/// and writes y once; backward reads g and x once for Σg and Σg·(x − mean), and writes dx once:
/// dx = w·invstd·(g − mean(g) − x̂·mean(g·x̂)), dw = Σ g·x̂, db = Σ g, with x̂ = (x − mean)·invstd.
/// Every row works on deviations x − mean (never on x itself) so a large mean does not cancel digits away.
/// The row loops below are the SIMD kernels (<see cref="Vector{T}"/> with a scalar tail); BatchNormKernelTests
/// check them against scalar loops for every length 0–256.
/// </summary>
internal static class BatchNormKernel
{
    /// <summary>Per-channel mean and biased variance of x viewed as [A, C, B].</summary>
    public static unsafe void Statistics<T>(ReadOnlySpan<T> x, int a, int c, int b, Span<T> mean, Span<T> variance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, pm = mean, pv = variance)
        {
            var job = new StatisticsJob<T> { X = px, Length = x.Length, A = a, C = c, B = b, Mean = pm, Variance = pv };
            ForChannels(c, x.Length, ref job);
        }
    }

    unsafe struct StatisticsJob<T> : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* X, Mean, Variance;
        public int Length, A, C, B;

        public void Run(int c0, int c1) =>
            StatisticsRange(new ReadOnlySpan<T>(X, Length), A, C, B, new Span<T>(Mean, C), new Span<T>(Variance, C), c0, c1);
    }

    static void StatisticsRange<T>(ReadOnlySpan<T> x, int a, int c, int b, Span<T> mean, Span<T> variance, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating((double)a * b);
        for (int ch = c0; ch < c1; ch++)
        {
            T sum = T.Zero;
            for (int i = 0; i < a; i++) sum += Sum(Row(x, i, ch, c, b));
            T m = sum / count;
            T squares = T.Zero;
            for (int i = 0; i < a; i++) squares += SumSquaredDeviations(Row(x, i, ch, c, b), m);
            mean[ch] = m;
            variance[ch] = squares / count;
        }
    }

    /// <summary>y = (x − mean_c)·scale_c + shift_c for every row of channel c.</summary>
    public static unsafe void Normalize<T>(ReadOnlySpan<T> x, int a, int c, int b, ReadOnlySpan<T> mean, ReadOnlySpan<T> scale, ReadOnlySpan<T> shift, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, pm = mean, ps = scale, pt = shift, py = y)
        {
            var job = new NormalizeJob<T> { X = px, Y = py, Length = x.Length, A = a, C = c, B = b, Mean = pm, Scale = ps, Shift = pt };
            ForChannels(c, x.Length, ref job);
        }
    }

    unsafe struct NormalizeJob<T> : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* X, Y, Mean, Scale, Shift;
        public int Length, A, C, B;

        public void Run(int c0, int c1)
        {
            var xs = new ReadOnlySpan<T>(X, Length);
            var ys = new Span<T>(Y, Length);
            for (int i = 0; i < A; i++)
                for (int ch = c0; ch < c1; ch++)
                    AffineDeviation(Row(xs, i, ch, C, B), Mean[ch], Scale[ch], Shift[ch], Row(ys, i, ch, C, B));
        }
    }

    /// <summary>
    /// The backward pass. <paramref name="dx"/> may be empty (x needs no gradient); <paramref name="dw"/> and
    /// <paramref name="db"/> receive Σ g·x̂ and Σ g per channel (always computed: dx needs both).
    /// <paramref name="weight"/> is empty when the layer has no affine weight (w = 1).
    /// </summary>
    public static unsafe void Backward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, int a, int c, int b, ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd,
        ReadOnlySpan<T> weight, Span<T> dx, Span<T> dw, Span<T> db)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pg = g, px = x, pm = mean, ps = invStd, pw = weight, pdx = dx, pdw = dw, pdb = db)
        {
            var job = new BackwardJob<T>
            {
                G = pg, X = px, Length = x.Length, A = a, C = c, B = b, Mean = pm, InvStd = ps, Weight = pw, WeightLength = weight.Length,
                Dx = pdx, DxLength = dx.Length, Dw = pdw, Db = pdb,
            };
            ForChannels(c, x.Length, ref job);
        }
    }

    unsafe struct BackwardJob<T> : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* G, X, Mean, InvStd, Weight, Dx, Dw, Db;
        public int Length, A, C, B, WeightLength, DxLength;

        public void Run(int c0, int c1) => BackwardRange(
            new ReadOnlySpan<T>(G, Length), new ReadOnlySpan<T>(X, Length), A, C, B,
            new ReadOnlySpan<T>(Mean, C), new ReadOnlySpan<T>(InvStd, C), new ReadOnlySpan<T>(Weight, WeightLength),
            new Span<T>(Dx, DxLength), new Span<T>(Dw, C), new Span<T>(Db, C), c0, c1);
    }

    static void BackwardRange<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, int a, int c, int b, ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd,
        ReadOnlySpan<T> weight, Span<T> dx, Span<T> dw, Span<T> db, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating((double)a * b);
        for (int ch = c0; ch < c1; ch++)
        {
            T m = mean[ch], s = invStd[ch];
            T sumG = T.Zero, sumGD = T.Zero;
            for (int i = 0; i < a; i++)
            {
                var gRow = Row(g, i, ch, c, b);
                sumG += Sum(gRow);
                sumGD += DotDeviation(gRow, Row(x, i, ch, c, b), m);
            }
            T sumGXhat = sumGD * s;
            dw[ch] = sumGXhat;
            db[ch] = sumG;
            if (dx.IsEmpty) continue;
            // dx = ws·(g − mean(g)) − ws·s·mean(g·x̂)·(x − m), with ws = w·invstd.
            T ws = (weight.IsEmpty ? T.One : weight[ch]) * s;
            T k1 = ws, k2 = -ws * s * (sumGXhat / count), k3 = -ws * (sumG / count);
            for (int i = 0; i < a; i++)
                CombineRow(Row(g, i, ch, c, b), Row(x, i, ch, c, b), m, k1, k2, k3, Row(dx, i, ch, c, b));
        }
    }

    /// <summary>
    /// Runs the job over a split of the channels, one part per worker, for tensors large enough to be worth a fork.
    /// Channels are independent (each sums its own rows in the same order), so the results do not depend on the
    /// thread count.
    /// </summary>
    static void ForChannels<TJob>(int c, int elements, ref TJob job) where TJob : struct, IRangeJob
    {
        int parts = elements < DenseSplit.MinLength || Gemm.InsideWorker ? 1 : Math.Min(c, Math.Min(Gemm.MaxThreads, Environment.ProcessorCount));
        RangeSplit.Run(c, parts, ref job);
    }

    // ---- row kernels: Vector<T> body, scalar tail ----

    internal static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, w = Vector<T>.Count;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && x.Length >= w)
        {
            var acc = Vector<T>.Zero;
            ref T p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
            for (; i <= x.Length - w; i += w) acc += Vector.LoadUnsafe(ref p, (nuint)i);
            sum = Vector.Sum(acc);
        }
        for (; i < x.Length; i++) sum += x[i];
        return sum;
    }

    /// <summary>Σ (x − m)².</summary>
    internal static T SumSquaredDeviations<T>(ReadOnlySpan<T> x, T m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, w = Vector<T>.Count;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && x.Length >= w)
        {
            var acc = Vector<T>.Zero;
            var vm = new Vector<T>(m);
            ref T p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
            for (; i <= x.Length - w; i += w)
            {
                var d = Vector.LoadUnsafe(ref p, (nuint)i) - vm;
                acc += d * d;
            }
            sum = Vector.Sum(acc);
        }
        for (; i < x.Length; i++) { T d = x[i] - m; sum += d * d; }
        return sum;
    }

    /// <summary>Σ g·(x − m).</summary>
    internal static T DotDeviation<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, T m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, w = Vector<T>.Count, n = x.Length;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= w)
        {
            var acc = Vector<T>.Zero;
            var vm = new Vector<T>(m);
            ref T pg = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(g);
            ref T px = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
            for (; i <= n - w; i += w)
                acc += Vector.LoadUnsafe(ref pg, (nuint)i) * (Vector.LoadUnsafe(ref px, (nuint)i) - vm);
            sum = Vector.Sum(acc);
        }
        for (; i < n; i++) sum += g[i] * (x[i] - m);
        return sum;
    }

    /// <summary>y = (x − m)·scale + shift.</summary>
    internal static void AffineDeviation<T>(ReadOnlySpan<T> x, T m, T scale, T shift, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, w = Vector<T>.Count, n = x.Length;
        if (Vector.IsHardwareAccelerated && n >= w)
        {
            Vector<T> vm = new(m), vs = new(scale), vb = new(shift);
            ref T px = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
            ref T py = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
            for (; i <= n - w; i += w)
                ((Vector.LoadUnsafe(ref px, (nuint)i) - vm) * vs + vb).StoreUnsafe(ref py, (nuint)i);
        }
        for (; i < n; i++) y[i] = (x[i] - m) * scale + shift;
    }

    /// <summary>dx = k1·g + k2·(x − m) + k3.</summary>
    internal static void CombineRow<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, T m, T k1, T k2, T k3, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, w = Vector<T>.Count, n = x.Length;
        if (Vector.IsHardwareAccelerated && n >= w)
        {
            Vector<T> vm = new(m), v1 = new(k1), v2 = new(k2), v3 = new(k3);
            ref T pg = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(g);
            ref T px = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
            ref T pd = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(dx);
            for (; i <= n - w; i += w)
                (Vector.LoadUnsafe(ref pg, (nuint)i) * v1 + (Vector.LoadUnsafe(ref px, (nuint)i) - vm) * v2 + v3).StoreUnsafe(ref pd, (nuint)i);
        }
        for (; i < n; i++) dx[i] = k1 * g[i] + k2 * (x[i] - m) + k3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ReadOnlySpan<T> Row<T>(ReadOnlySpan<T> data, int i, int ch, int c, int b) => data.Slice((i * c + ch) * b, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Span<T> Row<T>(Span<T> data, int i, int ch, int c, int b) => data.Slice((i * c + ch) * b, b);
}
