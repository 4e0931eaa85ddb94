using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// <see cref="ErfMath.Erf"/> over a span, vectorised: the same piecewise Chebyshev interpolants and the same Clenshaw
/// recurrence, operation for operation, on <see cref="Vector{T}"/> lanes of doubles. The elements are first sorted by
/// the piece their |x| falls in (a counting sort of their indices), so each interpolant runs over a contiguous run of
/// its own arguments and no lane computes a piece it does not use. e^(−x²) comes from TensorPrimitives' vector
/// exponential instead of Math.Exp; the tail term it scales is below 0.16, so results stay within an ulp or so of the
/// scalar routine (rounded to float32 they are almost always the same bits).
/// </summary>
internal static class ErfSpan
{
    /// <summary>Elements handled at a time; their buffers (three of doubles, indices, pieces) live on the stack, 15 KB.</summary>
    const int Chunk = 512;

    /// <summary>|x| ≤ 1, then the three tails of <see cref="ErfMath"/> up to 6, then ±1.</summary>
    const int Pieces = 5;

    /// <summary>
    /// y = erf(x · scale) in T, computed as the scalar maps compute it: the product in T, erf in double, the result
    /// rounded back to T. <paramref name="y"/> may be <paramref name="x"/>.
    /// </summary>
    public static void Erf<T>(ReadOnlySpan<T> x, T scale, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> t = stackalloc double[Chunk], values = stackalloc double[Chunk], exps = stackalloc double[Chunk];
        Span<int> order = stackalloc int[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            Span<T> yc = y.Slice(start, n);
            Span<double> tc = t[..n];
            TensorPrimitives.Multiply(x.Slice(start, n), scale, yc);
            TensorPrimitives.ConvertTruncating<T, double>(yc, tc);
            Erf(tc, tc, values, exps, order);
            TensorPrimitives.ConvertTruncating<double, T>(tc, yc);
        }
    }

    /// <summary>r = erf(x) for at most <see cref="Chunk"/> elements (r may be x), with work buffers at least as long as x.</summary>
    static void Erf(ReadOnlySpan<double> x, Span<double> r, Span<double> values, Span<double> exps, Span<int> order)
    {
        int n = x.Length;
        // Counting sort of the indices by piece: first[p] is where piece p's run starts in order (and in values).
        Span<byte> piece = stackalloc byte[n];
        Span<int> first = stackalloc int[Pieces + 1];
        first.Clear();
        for (int i = 0; i < n; i++)
        {
            piece[i] = Piece(x[i]);
            first[piece[i] + 1]++;
        }
        for (int p = 0; p < Pieces; p++) first[p + 1] += first[p];
        Span<int> next = stackalloc int[Pieces];
        first[..Pieces].CopyTo(next);
        for (int i = 0; i < n; i++) order[next[piece[i]]++] = i;

        // Each element's argument, in its piece's run, as ErfMath forms it; −x² for the tails' exponential.
        for (int j = first[0]; j < first[1]; j++) { double v = x[order[j]]; values[j] = 2 * v * v - 1; }
        for (int j = first[1]; j < first[4]; j++)
        {
            double ax = Math.Abs(x[order[j]]);
            values[j] = j < first[2] ? (2 * ax - 3.5) / 1.5 : j < first[3] ? (2 * ax - 6.5) / 1.5 : ax - 5;
            exps[j] = -ax * ax;
        }
        Clenshaw(ErfMath.Small, values[first[0]..first[1]]);
        Clenshaw(ErfMath.Tail0, values[first[1]..first[2]]);
        Clenshaw(ErfMath.Tail1, values[first[2]..first[3]]);
        Clenshaw(ErfMath.Tail2, values[first[3]..first[4]]);
        Span<double> tailExps = exps[first[1]..first[4]];
        TensorPrimitives.Exp(tailExps, tailExps);

        // Back to each element's place: x · P(2x² − 1) for the small piece, ±(1 − e^(−x²) · Q) for the tails, ±1 beyond.
        for (int j = first[0]; j < first[1]; j++) { int i = order[j]; r[i] = x[i] * values[j]; }
        // 1 − e·Q lies in (0, 1], so copying x's sign is the scalar routine's x < 0 ? −r : r.
        for (int j = first[1]; j < first[4]; j++) { int i = order[j]; r[i] = Math.CopySign(1 - exps[j] * values[j], x[i]); }
        for (int j = first[4]; j < n; j++) { int i = order[j]; r[i] = Math.CopySign(1.0, x[i]); }
    }

    /// <summary>
    /// The piece of x, counted without branches (random signs and sizes would mispredict them): 0 for |x| ≤ 1, 1 below
    /// 2.5, 2 below 4, 3 below 6, 4 beyond. NaN counts as piece 0, whose x · P(2x² − 1) is NaN too.
    /// </summary>
    static byte Piece(double x)
    {
        double ax = Math.Abs(x);
        return (byte)((ax > 1 ? 1 : 0) + (ax >= 2.5 ? 1 : 0) + (ax >= 4 ? 1 : 0) + (ax >= 6 ? 1 : 0));
    }

    /// <summary>
    /// t ← Σ cₖ Tₖ(t) for every element, the recurrence of <see cref="ErfMath"/> with the same operations in the same
    /// order. Four vectors at a time: each step waits on the one before, so one vector alone would wait on the latency
    /// of every multiply and add; four independent recurrences keep the units busy.
    /// </summary>
    static void Clenshaw(double[] c, Span<double> t)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<double>.Count;
            var two = new Vector<double>(2);
            for (; i <= t.Length - 4 * w; i += 4 * w)
            {
                Vector<double> t0 = new(t[i..]), t1 = new(t[(i + w)..]), t2 = new(t[(i + 2 * w)..]), t3 = new(t[(i + 3 * w)..]);
                Vector<double> d0 = two * t0, d1 = two * t1, d2 = two * t2, d3 = two * t3;
                Vector<double> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
                for (int k = c.Length - 1; k >= 1; k--)
                {
                    var ck = new Vector<double>(c[k]);
                    var n0 = d0 * a0 - b0 + ck; var n1 = d1 * a1 - b1 + ck; var n2 = d2 * a2 - b2 + ck; var n3 = d3 * a3 - b3 + ck;
                    b0 = a0; b1 = a1; b2 = a2; b3 = a3;
                    a0 = n0; a1 = n1; a2 = n2; a3 = n3;
                }
                var c0 = new Vector<double>(c[0]);
                (t0 * a0 - b0 + c0).CopyTo(t[i..]);
                (t1 * a1 - b1 + c0).CopyTo(t[(i + w)..]);
                (t2 * a2 - b2 + c0).CopyTo(t[(i + 2 * w)..]);
                (t3 * a3 - b3 + c0).CopyTo(t[(i + 3 * w)..]);
            }
            for (; i <= t.Length - w; i += w)
            {
                Vector<double> ti = new(t[i..]), d = two * ti, a = default, b = default;
                for (int k = c.Length - 1; k >= 1; k--) (a, b) = (d * a - b + new Vector<double>(c[k]), a);
                (ti * a - b + new Vector<double>(c[0])).CopyTo(t[i..]);
            }
        }
        for (; i < t.Length; i++) t[i] = ErfMath.Clenshaw(c, t[i]);
    }
}
