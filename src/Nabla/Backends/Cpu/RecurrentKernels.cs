using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// The fused per-row gate kernels of the recurrent layers: one call turns one batch row's gate pre-activations
/// into the new state (forward) or one row's state gradients into the gate gradients (backward). Activations go
/// through TensorPrimitives (vectorised σ and tanh); the products in between are one Vector&lt;T&gt; pass each, so
/// a row is read and written a few times instead of once per primitive op of the composed cell.
/// Gate layouts follow PyTorch: LSTM [i | f | g | o], GRU [r | z | n], RNN [a], each slice H wide.
/// </summary>
internal static class RecurrentKernels
{
    // ---------- forward ----------

    /// <summary>
    /// LSTM step for one row: gates [4H] hold pre-activations and are overwritten with i, f, g, o (saved for
    /// backward); c = f·cPrev + i·g, h = o·tanh(c). <paramref name="h"/> may alias <paramref name="y"/>.
    /// </summary>
    public static void LstmForward<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Length, done = 0;
        // One fused pass with a vectorised exp (RecurrentGateMath); the TensorPrimitives passes below finish
        // the columns past the last whole vector, or everything where the fused path does not run.
        if (RecurrentGateMath.Vectorized<T>()) done = RecurrentGateMath.LstmForward(gates, cPrev, c, h);
        if (done == n) return;
        if (done > 0)
        {
            // Tail columns: the same computation per gate slice from column `done` on.
            LstmForwardColumns(gates, cPrev, c, h, done);
            return;
        }
        var ifg = gates[..(2 * n)];
        TensorPrimitives.Sigmoid<T>(ifg, ifg);
        var g = gates.Slice(2 * n, n);
        TensorPrimitives.Tanh<T>(g, g);
        var o = gates.Slice(3 * n, n);
        TensorPrimitives.Sigmoid<T>(o, o);
        ReadOnlySpan<T> i = gates[..n], f = gates.Slice(n, n);
        // c = f·cPrev + i·g
        TensorPrimitives.Multiply(f, cPrev, c);
        TensorPrimitives.MultiplyAdd(i, g, c, c);
        TensorPrimitives.Tanh<T>(c, h);
        TensorPrimitives.Multiply(o, h, h);
    }

    /// <summary>The LSTM step for columns from <paramref name="start"/> on, scalar (the tail of a fused vector pass).</summary>
    static void LstmForwardColumns<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h, int start) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Length;
        for (int k = start; k < n; k++)
        {
            T i = T.One / (T.One + T.Exp(-gates[k])), f = T.One / (T.One + T.Exp(-gates[n + k]));
            T g = T.Tanh(gates[2 * n + k]), o = T.One / (T.One + T.Exp(-gates[3 * n + k]));
            (gates[k], gates[n + k], gates[2 * n + k], gates[3 * n + k]) = (i, f, g, o);
            c[k] = f * cPrev[k] + i * g;
            h[k] = o * T.Tanh(c[k]);
        }
    }

    /// <summary>
    /// GRU step for one row: gates [3H] hold W_i·x + b_i (+ b_hr, b_hz folded into r, z), hh [3H] holds W_h·hPrev;
    /// overwrites gates with r, z, n, stores hn = W_hn·hPrev + b_hn, and writes h = (1 − z)·n + z·hPrev = n + z·(hPrev − n).
    /// </summary>
    public static void GruForward<T>(Span<T> gates, ReadOnlySpan<T> hh, ReadOnlySpan<T> bHn, ReadOnlySpan<T> hPrev, Span<T> hn, Span<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = h.Length;
        var rz = gates[..(2 * n)];
        TensorPrimitives.Add(rz, hh[..(2 * n)], rz);
        TensorPrimitives.Sigmoid<T>(rz, rz);
        if (bHn.IsEmpty) hh.Slice(2 * n, n).CopyTo(hn);
        else TensorPrimitives.Add(hh.Slice(2 * n, n), bHn, hn);
        var nn = gates.Slice(2 * n, n);
        TensorPrimitives.MultiplyAdd(gates[..n], hn, nn, nn);
        TensorPrimitives.Tanh<T>(nn, nn);
        ReadOnlySpan<T> z = gates.Slice(n, n);
        TensorPrimitives.Subtract(hPrev, nn, h);
        TensorPrimitives.MultiplyAdd(z, h, nn, h);
    }

    /// <summary>Elman step for one row: pre [H] is overwritten with act(pre), which is also h.</summary>
    public static void RnnForward<T>(Span<T> pre, bool relu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (relu) TensorPrimitives.Max(pre, T.Zero, pre);
        else TensorPrimitives.Tanh<T>(pre, pre);
    }

    // ---------- backward ----------

    /// <summary>
    /// LSTM backward for one active row. In: acts [4H] = i, f, g, o; c (this step's cell), cPrev; dh (total
    /// gradient reaching h_t); dc (gradient reaching c_t from later steps), updated in place to the gradient of
    /// cPrev; tanhC scratch [H]. Out: dGates [4H] = gradients of the four pre-activations.
    /// </summary>
    public static void LstmBackward<T>(ReadOnlySpan<T> acts, ReadOnlySpan<T> c, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh,
        Span<T> dc, Span<T> tanhC, Span<T> dGates) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Length;
        if (RecurrentGateMath.Vectorized<T>()) RecurrentGateMath.Tanh(c, tanhC);
        else TensorPrimitives.Tanh<T>(c, tanhC);
        ReadOnlySpan<T> ai = acts[..n], af = acts.Slice(n, n), ag = acts.Slice(2 * n, n), ao = acts.Slice(3 * n, n);
        Span<T> di = dGates[..n], df = dGates.Slice(n, n), dg = dGates.Slice(2 * n, n), dO = dGates.Slice(3 * n, n);
        int w = Vector<T>.Count, k = 0;
        var one = Vector<T>.One;
        if (Vector.IsHardwareAccelerated)
            for (; k <= n - w; k += w)
            {
                var i = new Vector<T>(ai[k..]); var f = new Vector<T>(af[k..]); var g = new Vector<T>(ag[k..]); var o = new Vector<T>(ao[k..]);
                var tc = new Vector<T>(tanhC[k..]); var gh = new Vector<T>(dh[k..]);
                var dct = new Vector<T>(dc[k..]) + gh * o * (one - tc * tc);
                (gh * tc * o * (one - o)).CopyTo(dO[k..]);
                (dct * g * i * (one - i)).CopyTo(di[k..]);
                (dct * new Vector<T>(cPrev[k..]) * f * (one - f)).CopyTo(df[k..]);
                (dct * i * (one - g * g)).CopyTo(dg[k..]);
                (dct * f).CopyTo(dc[k..]);
            }
        for (; k < n; k++)
        {
            T i = ai[k], f = af[k], g = ag[k], o = ao[k], tc = tanhC[k], gh = dh[k];
            T dct = dc[k] + gh * o * (T.One - tc * tc);
            dO[k] = gh * tc * o * (T.One - o);
            di[k] = dct * g * i * (T.One - i);
            df[k] = dct * cPrev[k] * f * (T.One - f);
            dg[k] = dct * i * (T.One - g * g);
            dc[k] = dct * f;
        }
    }

    /// <summary>
    /// GRU backward for one active row. In: acts [3H] = r, z, n; hn = W_hn·hPrev + b_hn; hPrev; dh (total gradient
    /// reaching h_t), overwritten with its direct part z·dh (the rest of dhPrev flows through W_hh). Out: dIn [3H]
    /// = gradients of the input-side pre-activations (r, z, n), dHid [3H] = those of W_h·hPrev + b_h (n's is scaled by r).
    /// </summary>
    public static void GruBackward<T>(ReadOnlySpan<T> acts, ReadOnlySpan<T> hn, ReadOnlySpan<T> hPrev, Span<T> dh,
        Span<T> dIn, Span<T> dHid) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = hn.Length;
        ReadOnlySpan<T> ar = acts[..n], az = acts.Slice(n, n), an = acts.Slice(2 * n, n);
        int w = Vector<T>.Count, k = 0;
        var one = Vector<T>.One;
        if (Vector.IsHardwareAccelerated)
            for (; k <= n - w; k += w)
            {
                var r = new Vector<T>(ar[k..]); var z = new Vector<T>(az[k..]); var nv = new Vector<T>(an[k..]);
                var gh = new Vector<T>(dh[k..]); var hp = new Vector<T>(hPrev[k..]);
                var dpn = gh * (one - z) * (one - nv * nv);
                var dpz = gh * (hp - nv) * z * (one - z);
                var dpr = dpn * new Vector<T>(hn[k..]) * r * (one - r);
                dpr.CopyTo(dIn[k..]); dpr.CopyTo(dHid[k..]);
                dpz.CopyTo(dIn[(n + k)..]); dpz.CopyTo(dHid[(n + k)..]);
                dpn.CopyTo(dIn[(2 * n + k)..]); (dpn * r).CopyTo(dHid[(2 * n + k)..]);
                (gh * z).CopyTo(dh[k..]);
            }
        for (; k < n; k++)
        {
            T r = ar[k], z = az[k], nv = an[k], gh = dh[k];
            T dpn = gh * (T.One - z) * (T.One - nv * nv);
            T dpz = gh * (hPrev[k] - nv) * z * (T.One - z);
            T dpr = dpn * hn[k] * r * (T.One - r);
            dIn[k] = dHid[k] = dpr;
            dIn[n + k] = dHid[n + k] = dpz;
            dIn[2 * n + k] = dpn;
            dHid[2 * n + k] = dpn * r;
            dh[k] = gh * z;
        }
    }

    /// <summary>Elman backward for one active row: dPre = dh·act'(pre) from the saved output a = act(pre); dh is then cleared (no direct path).</summary>
    public static void RnnBackward<T>(ReadOnlySpan<T> a, Span<T> dh, Span<T> dPre, bool relu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < a.Length; k++)
            dPre[k] = relu ? (a[k] > T.Zero ? dh[k] : T.Zero) : dh[k] * (T.One - a[k] * a[k]);
        dh.Clear();
    }
}
