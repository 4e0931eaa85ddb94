using System.Numerics;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// The time loops of the fused node, written for a range of batch rows. Row b of step t needs only row b of
/// step t ± 1 (h_{t−1}[b]·W_hhᵀ forward, dG_t[b]·W_hh backward), so the batch splits over threads once per pass
/// with no synchronisation between steps; each worker runs its own small products single-threaded on the shared
/// packed W_hh and applies the gate kernels to its rows. A row's numbers do not depend on the split.
/// </summary>
internal sealed partial class RecurrentSequenceOp
{
    /// <summary>Below this many multiply-adds in the recurrent products, one thread does the whole pass.</summary>
    const long ParallelWork = 1L << 21;

    /// <summary>
    /// Fewest rows per worker: the 8-row GEMM tile stays whole (a batch of 32 runs as 16 + 16 on two threads;
    /// measured, the fork per pass costs microseconds against milliseconds of work).
    /// </summary>
    const int MinRowsPerWorker = 8;

    /// <summary>Runs the job over a split of the batch rows, one part per thread.</summary>
    static void ForBatchRows<TJob>(int batch, long work, ref TJob job) where TJob : struct, IRangeJob
    {
        int threads = Math.Min(Gemm.MaxThreads, Environment.ProcessorCount);
        int parts = work < ParallelWork || Gemm.InsideWorker ? 1 : Math.Min(threads, batch / MinRowsPerWorker);
        // The worker's products stay on it (the pool marks it as a worker): the split is already here.
        RangeSplit.Run(batch, parts, ref job);
    }

    /// <summary>The forward time loop over a range of batch rows: a struct, so the split allocates no closure.</summary>
    readonly struct ForwardRowsJob<T>(RecurrentSequenceOp op, ForwardPass<T> pass) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int b0, int b1) => op.ForwardRows(pass, b0, b1);
    }

    /// <summary>The backward time loop over a range of batch rows.</summary>
    readonly struct BackwardRowsJob<T>(RecurrentSequenceOp op, BackwardPass<T> pass) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int b0, int b1) => op.BackwardRows(pass, b0, b1);
    }

    /// <summary>The buffers of one forward pass (see <see cref="RunForward{T}"/>); workers write disjoint rows.</summary>
    sealed class ForwardPass<T> where T : unmanaged, INumber<T>
    {
        public required T[] Gates, HPrev, Y;
        public T[]? CPrev, Hn, CLast, Hh;
        public Tensor? BHh;
        public required GemmPackedB<T> W;
    }

    void ForwardRows<T>(ForwardPass<T> p, int b0, int b1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = _steps, batch = _batch, hidden = _hidden, nh = batch * hidden, m = b1 - b0;
        int gh = _mode.Gates() * hidden;
        bool lstm = _mode == RecurrentMode.Lstm, gru = _mode == RecurrentMode.Gru, relu = _mode == RecurrentMode.RnnRelu;
        ReadOnlySpan<T> bHn = p.BHh is not null ? Read<T>(p.BHh).Slice(2 * hidden, hidden) : default;
        for (int s = 0; s < steps; s++)
        {
            int t = _reverse ? steps - 1 - s : s, next = _reverse ? t - 1 : t + 1;
            bool last = s == steps - 1;
            var hp = p.HPrev.AsSpan(t * nh, nh);
            var hOut = last ? p.Y.AsSpan(steps * nh, nh) : p.HPrev.AsSpan(next * nh, nh);
            var gt = p.Gates.AsSpan(t * batch * gh, batch * gh);
            var hRows = hp.Slice(b0 * hidden, m * hidden);
            if (gru) Gemm.Multiply(false, m, T.One, hRows, hidden, p.W, T.Zero, p.Hh.AsSpan(b0 * gh, m * gh), gh);
            else Gemm.Multiply(false, m, T.One, hRows, hidden, p.W, T.One, gt.Slice(b0 * gh, m * gh), gh);
            var cp = lstm ? p.CPrev.AsSpan(t * nh, nh) : default;
            var cOut = lstm ? (last ? p.CLast.AsSpan(0, nh) : p.CPrev.AsSpan(next * nh, nh)) : default;
            var yt = p.Y.AsSpan(t * nh, nh);
            for (int b = b0; b < b1; b++)
            {
                var row = gt.Slice(b * gh, gh);
                var hRow = hOut.Slice(b * hidden, hidden);
                if (!Active(t, b))
                {
                    hp.Slice(b * hidden, hidden).CopyTo(hRow);
                    if (lstm) cp.Slice(b * hidden, hidden).CopyTo(cOut.Slice(b * hidden, hidden));
                    continue;   // the output row stays zero
                }
                switch (_mode)
                {
                    case RecurrentMode.Lstm: RecurrentKernels.LstmForward<T>(row, cp.Slice(b * hidden, hidden), cOut.Slice(b * hidden, hidden), hRow); break;
                    case RecurrentMode.Gru: RecurrentKernels.GruForward<T>(row, p.Hh.AsSpan(b * gh, gh), bHn, hp.Slice(b * hidden, hidden), p.Hn.AsSpan(t * nh + b * hidden, hidden), hRow); break;
                    default: RecurrentKernels.RnnForward<T>(row, relu); row.CopyTo(hRow); break;
                }
                hRow.CopyTo(yt.Slice(b * hidden, hidden));
            }
        }
    }

    /// <summary>The buffers of one backward pass (see <see cref="RunBackward{T}"/>); workers write disjoint rows.</summary>
    sealed class BackwardPass<T> where T : unmanaged, INumber<T>
    {
        public required T[] G, Acts, HPrev, DIn, DHid, Dh;
        public int GOffset;
        public T[]? CPrev, Hn, CLast, Dc;
        public required GemmPackedB<T> W;
    }

    void BackwardRows<T>(BackwardPass<T> p, int b0, int b1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = _steps, batch = _batch, hidden = _hidden, nh = batch * hidden, m = b1 - b0;
        int gh = _mode.Gates() * hidden;
        bool lstm = _mode == RecurrentMode.Lstm, gru = _mode == RecurrentMode.Gru, relu = _mode == RecurrentMode.RnnRelu;
        var gs = p.G.AsSpan(p.GOffset, (steps + (lstm ? 2 : 1)) * nh);
        var tanhC = lstm ? new T[hidden] : null;
        var dh = p.Dh;
        for (int s = steps - 1; s >= 0; s--)
        {
            int t = _reverse ? steps - 1 - s : s, next = _reverse ? t - 1 : t + 1;
            bool last = s == steps - 1;
            var gy = gs.Slice(t * nh, nh);
            var dInT = p.DIn.AsSpan(t * batch * gh, batch * gh);
            var dHidT = p.DHid.AsSpan(t * batch * gh, batch * gh);
            for (int b = b0; b < b1; b++)
            {
                var dhRow = dh.AsSpan(b * hidden, hidden);
                if (!Active(t, b))
                {
                    // The state passed through unchanged and the output was a constant zero.
                    dInT.Slice(b * gh, gh).Clear();
                    if (gru) dHidT.Slice(b * gh, gh).Clear();
                    continue;
                }
                System.Numerics.Tensors.TensorPrimitives.Add(dhRow, gy.Slice(b * hidden, hidden), dhRow);
                var a = p.Acts.AsSpan(t * batch * gh + b * gh, gh);
                int at = t * nh + b * hidden;
                switch (_mode)
                {
                    case RecurrentMode.Lstm:
                        ReadOnlySpan<T> c = last ? p.CLast.AsSpan(b * hidden, hidden) : p.CPrev.AsSpan(next * nh + b * hidden, hidden);
                        RecurrentKernels.LstmBackward<T>(a, c, p.CPrev.AsSpan(at, hidden), dhRow, p.Dc.AsSpan(b * hidden, hidden),
                            tanhC, dInT.Slice(b * gh, gh));
                        dhRow.Clear();
                        break;
                    case RecurrentMode.Gru:
                        RecurrentKernels.GruBackward<T>(a, p.Hn.AsSpan(at, hidden), p.HPrev.AsSpan(at, hidden), dhRow,
                            dInT.Slice(b * gh, gh), dHidT.Slice(b * gh, gh));
                        break;
                    default:
                        RecurrentKernels.RnnBackward<T>(a, dhRow, dInT.Slice(b * gh, gh), relu);
                        break;
                }
            }
            // dh_{t−1} = direct part (left in dh) + dHid_t · W_hh, for this worker's rows.
            Gemm.Multiply(false, m, T.One, dHidT.Slice(b0 * gh, m * gh), gh, p.W, T.One, dh.AsSpan(b0 * hidden, m * hidden), hidden);
        }
    }
}
