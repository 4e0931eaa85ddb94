using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

internal sealed partial class RecurrentSequenceOp
{
    /// <summary>Gradients in the order of the inputs: x, h0, c0, W_ih, W_hh, b_ih, b_hh.</summary>
    internal override Tensor?[] Backward(Tensor g)
    {
        var gd = g.IsContiguous ? g : g.DenseCopy();
        return g.DType == DType.Float32 ? RunBackward<float>(gd) : RunBackward<double>(gd);
    }

    Tensor?[] RunBackward<T>(Tensor g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = _steps, batch = _batch, hidden = _hidden, nh = batch * hidden, input = _input;
        int gh = _mode.Gates() * hidden, rows = steps * batch;
        bool lstm = _mode == RecurrentMode.Lstm, gru = _mode == RecurrentMode.Gru, relu = _mode == RecurrentMode.RnnRelu;
        var dtype = g.DType;
        var gs = g.Data<T>().AsSpan(g._offset, g.NumElements);
        var acts = (T[])_gates!;
        var hPrev = (T[])_hPrev!;
        var cPrev = (T[]?)_cPrev;
        var hnBuf = (T[]?)_hn;
        var cLast = (T[]?)_cLast;
        var wHh = Read<T>(_wHh!);

        var pool = ArrayPool<T>.Shared;
        // dIn: gradient of the input-side pre-activations (→ dX, dW_ih, db_ih); dHid: of W_hh·h + b_hh
        // (→ dh_{t−1}, dW_hh, db_hh). They differ only for the GRU's n gate, so LSTM and RNN share one buffer.
        var dIn = pool.Rent(rows * gh);
        var dHid = gru ? pool.Rent(rows * gh) : dIn;
        var dh = new T[nh];
        var dc = lstm ? new T[nh] : null;
        // W_hh is the right-hand operand of every step's dh product: packed once for all T steps.
        var wHhPacked = Gemm.PackB(false, gh, hidden, wHh, hidden);
        try
        {
            gs.Slice(steps * nh, nh).CopyTo(dh);
            if (lstm) gs.Slice((steps + 1) * nh, nh).CopyTo(dc);
            var pass = new BackwardPass<T>
            {
                G = g.Data<T>(), GOffset = g._offset, Acts = acts, HPrev = hPrev, DIn = dIn, DHid = dHid, Dh = dh,
                CPrev = cPrev, Hn = hnBuf, CLast = cLast, Dc = dc, W = wHhPacked,
            };
            var rowsJob = new BackwardRowsJob<T>(this, pass);
            ForBatchRows(batch, (long)steps * batch * gh * hidden, ref rowsJob);

            Tensor? dx = null, dwIh = null, dwHh = null, dbIh = null, dbHh = null;
            var dInAll = dIn.AsSpan(0, rows * gh);
            var dHidAll = dHid.AsSpan(0, rows * gh);
            if (NeedsGrad(0))
            {
                dx = new Tensor([steps, batch, input], dtype);
                Gemm.Multiply(false, false, rows, input, gh, T.One, dInAll, gh, Read<T>(_wIh!), input, T.Zero, dx.Data<T>().AsSpan(0, dx.NumElements), input);
            }
            if (NeedsGrad(3))
            {
                dwIh = new Tensor([gh, input], dtype);
                Gemm.Multiply(true, false, gh, input, rows, T.One, dInAll, gh, Read<T>(_x!), input, T.Zero, dwIh.Data<T>().AsSpan(0, dwIh.NumElements), input);
            }
            if (NeedsGrad(4))
            {
                dwHh = new Tensor([gh, hidden], dtype);
                Gemm.Multiply(true, false, gh, hidden, rows, T.One, dHidAll, gh, hPrev.AsSpan(0, rows * hidden), hidden, T.Zero, dwHh.Data<T>().AsSpan(0, dwHh.NumElements), hidden);
            }
            if (_hasBias && NeedsGrad(5)) dbIh = ColumnSums<T>(dInAll, rows, gh, dtype);
            if (_hasBias && NeedsGrad(6)) dbHh = ColumnSums<T>(dHidAll, rows, gh, dtype);
            var dh0 = NeedsGrad(1) ? Tensor.From(dh, batch, hidden) : null;
            var dc0 = lstm && NeedsGrad(2) ? Tensor.From(dc!, batch, hidden) : null;
            return [dx, dh0, dc0, dwIh, dwHh, dbIh, dbHh];
        }
        finally
        {
            wHhPacked.Dispose();
            pool.Return(dIn);
            if (gru) pool.Return(dHid);
        }
    }

    static Tensor ColumnSums<T>(ReadOnlySpan<T> m, int rows, int cols, DType dtype) where T : unmanaged, INumber<T>
    {
        var sum = new Tensor([cols], dtype);
        var s = sum.Data<T>().AsSpan(0, cols);
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(s, m.Slice(r * cols, cols), s);
        return sum;
    }
}
