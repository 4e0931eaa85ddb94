using System.Buffers;
using System.Numerics;
using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// One direction of one recurrent layer (RNN, LSTM or GRU) over the whole sequence as ONE autograd node.
/// Forward: one GEMM computes X·W_ihᵀ + b for every step into a [T, N, G·H] buffer; each step then adds
/// h_{t−1}·W_hhᵀ with one small GEMM and a fused row kernel (<see cref="RecurrentKernels"/>) applies the gates.
/// Backward walks the steps in reverse with the fused gate-gradient kernels and one GEMM per step for dh_{t−1};
/// the weight gradients are then ONE GEMM each over all steps (dW_ih = dGᵀ·X, dW_hh = dG_hᵀ·H_prev) and dX one more.
/// Output: [T + S, N, H] — rows 0..T−1 the outputs (zeros at inactive steps), row T the final h, row T+1 the
/// final c (LSTM); the layer slices it. Semantics are those of <see cref="NN.RecurrentReference"/>, its tested twin.
/// All buffers are indexed by TIME (not by processing order), so a reverse direction needs no flips:
/// Hprev[t] is the state the step at time t started from.
/// </summary>
internal sealed partial class RecurrentSequenceOp : Node
{
    RecurrentMode _mode;
    bool _reverse;
    int[]? _lengths;
    int _steps, _batch, _input, _hidden;
    Tensor? _x, _wIh, _wHh;
    bool _hasBias;
    // Saved buffers (pooled arrays of float or double, length ≥ the sizes below):
    // _gates [T·N·GH] activations (LSTM i,f,g,o; GRU r,z,n; RNN h); _hPrev [T·N·H]; _cPrev [T·N·H] (LSTM);
    // _hn [T·N·H] (GRU: W_hn·h + b_hn); _cLast [N·H] final c (LSTM).
    Array? _gates, _hPrev, _cPrev, _hn, _cLast;

    /// <summary>x [T, N, in], h0 and c0 [N, H] (c0 only for LSTM); weights as the layer holds them. Checked by the layer.</summary>
    public static Tensor Forward(RecurrentMode mode, Tensor x, Tensor h0, Tensor? c0, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh,
        bool reverse, int[]? lengths)
    {
        int hidden = wHh._shape[1];
        var node = new RecurrentSequenceOp
        {
            _mode = mode, _reverse = reverse, _lengths = lengths,
            _steps = x._shape[0], _batch = x._shape[1], _input = x._shape[2], _hidden = hidden,
            _hasBias = bIh is not null,
        };
        int extra = mode == RecurrentMode.Lstm ? 2 : 1;
        var y = new Tensor([node._steps + extra, node._batch, hidden], x.DType);
        var xd = Dense(x);
        var wIhD = Dense(wIh);
        var wHhD = Dense(wHh);
        if (x.DType == DType.Float32) node.RunForward<float>(xd, Dense(h0), c0 is null ? null : Dense(c0), wIhD, wHhD, bIh is null ? null : Dense(bIh), bHh is null ? null : Dense(bHh), y);
        else node.RunForward<double>(xd, Dense(h0), c0 is null ? null : Dense(c0), wIhD, wHhD, bIh is null ? null : Dense(bIh), bHh is null ? null : Dense(bHh), y);

        Tensor?[] inputs = [x, h0, c0, wIh, wHh, bIh, bHh];
        bool wants = false;
        foreach (var t in inputs) wants |= t is { RequiresGrad: true };
        if (!GradMode.IsEnabled || !wants)
        {
            node.ReleaseSaved();
            return y;
        }
        node._x = xd;
        node._wIh = wIhD;
        node._wHh = wHhD;
        return Graph.Attach(y, node, inputs);
    }

    static Tensor Dense(Tensor t) => t.IsContiguous ? t.Detach() : t.Detach().DenseCopy();

    static ReadOnlySpan<T> Read<T>(Tensor t) where T : unmanaged => t.Data<T>().AsSpan(t._offset, t.NumElements);

    bool Active(int t, int b) => _lengths is null || t < _lengths[b];

    void RunForward<T>(Tensor x, Tensor h0, Tensor? c0, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh, Tensor y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = _steps, batch = _batch, hidden = _hidden, nh = batch * hidden;
        int gh = _mode.Gates() * hidden, rows = steps * batch;
        bool lstm = _mode == RecurrentMode.Lstm, gru = _mode == RecurrentMode.Gru, relu = _mode == RecurrentMode.RnnRelu;
        var pool = ArrayPool<T>.Shared;
        var gates = pool.Rent(rows * gh);
        var hPrev = pool.Rent(rows * hidden);
        var cPrev = lstm ? pool.Rent(rows * hidden) : null;
        var hnBuf = gru ? pool.Rent(rows * hidden) : null;
        var cLast = lstm ? pool.Rent(nh) : null;
        var hh = gru ? pool.Rent(batch * gh) : null;
        (_gates, _hPrev, _cPrev, _hn, _cLast) = (gates, hPrev, cPrev, hnBuf, cLast);
        var ys = y.Data<T>().AsSpan(0, y.NumElements);

        // Pre-activations of every step at once: bias rows (b_ih, plus b_hh where it simply adds), then X·W_ihᵀ.
        var g = gates.AsSpan(0, rows * gh);
        T beta = T.Zero;
        if (bIh is not null)
        {
            var bias = new T[gh];
            Read<T>(bIh).CopyTo(bias);
            var bh = Read<T>(bHh!);
            // GRU keeps b_hn apart: the reset gate multiplies it (n = tanh(W_in x + b_in + r·(W_hn h + b_hn))).
            int folded = gru ? 2 * hidden : gh;
            System.Numerics.Tensors.TensorPrimitives.Add(bias.AsSpan(0, folded), bh[..folded], bias.AsSpan(0, folded));
            for (int r = 0; r < rows; r++) bias.CopyTo(g.Slice(r * gh, gh));
            beta = T.One;
        }
        Gemm.Multiply(false, true, rows, gh, _input, T.One, Read<T>(x), _input, Read<T>(wIh), _input, beta, g, gh);
        // W_hhᵀ is the right-hand operand of every step's product: pack it once for all T steps.
        using var wHhPacked = Gemm.PackB(true, hidden, gh, Read<T>(wHh), hidden);
        int first = _reverse ? steps - 1 : 0;
        Read<T>(h0).CopyTo(hPrev.AsSpan(first * nh, nh));
        if (lstm) Read<T>(c0!).CopyTo(cPrev.AsSpan(first * nh, nh));
        var pass = new ForwardPass<T>
        {
            Gates = gates, HPrev = hPrev, CPrev = cPrev, Hn = hnBuf, CLast = cLast, Hh = hh, Y = y.Data<T>(),
            BHh = gru ? bHh : null, W = wHhPacked,
        };
        // Batch rows never interact in the recurrence, so the whole time loop splits over threads by rows.
        var rowsJob = new ForwardRowsJob<T>(this, pass);
        ForBatchRows(batch, (long)steps * batch * gh * hidden, ref rowsJob);
        if (lstm) cLast.AsSpan(0, nh).CopyTo(ys.Slice((steps + 1) * nh, nh));
        if (hh is not null) pool.Return(hh);
    }

    internal override void ReleaseSaved()
    {
        Return(ref _gates);
        Return(ref _hPrev);
        Return(ref _cPrev);
        Return(ref _hn);
        Return(ref _cLast);
        _x = _wIh = _wHh = null;
    }

    static void Return(ref Array? buffer)
    {
        if (buffer is float[] f) ArrayPool<float>.Shared.Return(f);
        else if (buffer is double[] d) ArrayPool<double>.Shared.Return(d);
        buffer = null;
    }
}
