using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Fused softmax cross-entropy over class-index targets, on logits laid out as [outer, classes, inner]
/// (contiguous). Each position (o, i) has one row of <c>classes</c> logits with stride <c>inner</c>; rows with
/// inner = 1 are read in place, others are gathered into a scratch row so both cases share the vector code.
/// <para>Forward, with lse = log Σ exp(x) (max-shifted), a = (1 − ε)·w_y, b = ε / C:</para>
/// <para>  loss = −a·(x_y − lse) − b·Σ_c w_c·(x_c − lse), and 0 for an ignored label.</para>
/// <para>Backward (p = softmax, W = Σ w_c):  ∂loss/∂x_c = p_c·(a + b·W) − a·[c = y] − b·w_c.</para>
/// Without weights w_c = 1, so with ε = 0 the gradient is the familiar softmax − one-hot.
/// </summary>
internal static class CrossEntropyKernel
{
    public readonly struct Geometry(int outer, int classes, int inner)
    {
        public readonly int Outer = outer, Classes = classes, Inner = inner;
        public int Positions => Outer * Inner;
        public int RowStart(int pos) => pos / Inner * Classes * Inner + pos % Inner;
    }

    /// <summary>Writes the per-position loss and keeps each row's log-sum-exp for the backward pass.</summary>
    public static void Forward<T>(Geometry g, ReadOnlySpan<T> x, ReadOnlySpan<long> labels, ReadOnlySpan<T> weight,
        long ignoreIndex, double smoothing, Span<T> loss, Span<T> lse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = g.Classes;
        var row = new T[c];
        var scratch = new T[c];
        T a0 = T.CreateChecked(1 - smoothing), b = T.CreateChecked(smoothing / c);
        for (int pos = 0; pos < g.Positions; pos++)
        {
            var r = Row(g, x, pos, row);
            T l = LogSumExp(r, scratch);
            lse[pos] = l;
            long y = labels[pos];
            if (y == ignoreIndex) { loss[pos] = T.Zero; continue; }
            T wy = weight.IsEmpty ? T.One : weight[(int)y];
            T value = -a0 * wy * (r[(int)y] - l);
            if (smoothing != 0)
            {
                // Σ w_c·(x_c − lse), subtracting lse per element so huge logits do not cancel catastrophically.
                TensorPrimitives.Subtract(r, l, scratch);
                T dot = weight.IsEmpty ? TensorPrimitives.Sum<T>(scratch) : TensorPrimitives.Dot(weight, scratch);
                value -= b * dot;
            }
            loss[pos] = value;
        }
    }

    /// <summary>dx for upstream gradients <paramref name="up"/> (one per position); dx is overwritten.</summary>
    public static void Backward<T>(Geometry g, ReadOnlySpan<T> x, ReadOnlySpan<long> labels, ReadOnlySpan<T> weight,
        long ignoreIndex, double smoothing, ReadOnlySpan<T> lse, ReadOnlySpan<T> up, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = g.Classes;
        var row = new T[c];
        var outRow = new T[c];
        T a0 = T.CreateChecked(1 - smoothing), b = T.CreateChecked(smoothing / c);
        T totalWeight = weight.IsEmpty ? T.CreateChecked(c) : TensorPrimitives.Sum(weight);
        for (int pos = 0; pos < g.Positions; pos++)
        {
            Span<T> dst = g.Inner == 1 ? dx.Slice(pos * c, c) : outRow;
            long y = labels[pos];
            if (y == ignoreIndex) dst.Clear();
            else
            {
                var r = Row(g, x, pos, row);
                T gy = up[pos];
                T a = a0 * (weight.IsEmpty ? T.One : weight[(int)y]);
                TensorPrimitives.Subtract(r, lse[pos], dst);
                TensorPrimitives.Exp<T>(dst, dst);
                TensorPrimitives.Multiply(dst, gy * (a + b * totalWeight), dst);
                if (smoothing != 0)
                {
                    if (weight.IsEmpty) TensorPrimitives.Subtract(dst, gy * b, dst);
                    else TensorPrimitives.MultiplyAdd(weight, -gy * b, dst, dst);
                }
                dst[(int)y] -= gy * a;
            }
            if (g.Inner != 1)
            {
                int start = g.RowStart(pos);
                for (int k = 0; k < c; k++) dx[start + k * g.Inner] = dst[k];
            }
        }
    }

    static ReadOnlySpan<T> Row<T>(Geometry g, ReadOnlySpan<T> x, int pos, T[] buffer) where T : unmanaged
    {
        if (g.Inner == 1) return x.Slice(pos * g.Classes, g.Classes);
        int start = g.RowStart(pos);
        for (int k = 0; k < buffer.Length; k++) buffer[k] = x[start + k * g.Inner];
        return buffer;
    }

    /// <summary>m + log Σ exp(x − m); an infinite maximum is replaced by 0 so ±inf and NaN behave as in logsumexp.</summary>
    static T LogSumExp<T>(ReadOnlySpan<T> r, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = TensorPrimitives.Max(r);
        if (T.IsInfinity(m)) m = T.Zero;
        TensorPrimitives.Subtract(r, m, scratch);
        TensorPrimitives.Exp<T>(scratch, scratch);
        return T.Log(TensorPrimitives.Sum<T>(scratch)) + m;
    }
}
