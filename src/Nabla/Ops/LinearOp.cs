using System.Numerics;
using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// y = x·Wᵀ + b over the last dim of x [..., in] with W [out, in] and b [out]: one GEMM that reads W with its
/// transpose flag (no copy of Wᵀ) and accumulates onto rows pre-filled with the bias, so the bias add costs no
/// extra pass over y and the graph holds one node instead of matmul + transpose + add. Tested against its
/// composed twin x.MatMul(W.T()) + b. Gradients: dx = g·W, dW = gᵀ·x, db = Σ_rows g.
/// </summary>
internal sealed class LinearOp : Node
{
    Tensor? _x, _w;
    bool _hasBias;

    /// <summary>Shapes and dtypes were checked by the caller (Functional.Linear).</summary>
    public static Tensor Forward(Tensor x, Tensor w, Tensor? b)
    {
        int outF = w._shape[0];
        var y = new Tensor([.. x._shape[..^1], outF], x.DType);
        if (x.DType == DType.Float32) Run<float>(x, w, b, y);
        else Run<double>(x, w, b, y);

        bool wants = b is null ? Graph.Wants(x, w) : Graph.Wants([x, w, b]);
        if (!wants) return y;
        var node = new LinearOp { _x = x, _w = w, _hasBias = b is not null };
        return b is null ? Graph.Attach(y, node, x, w) : Graph.Attach(y, node, x, w, b);
    }

    static void Run<T>(Tensor x, Tensor w, Tensor? b, Tensor y) where T : unmanaged, INumber<T>
    {
        int outF = w._shape[0], inF = w._shape[1];
        int rows = Layout.NumElements(x._shape[..^1]);
        var yd = y.Data<T>().AsSpan(0, y.NumElements);
        if (rows == 0 || outF == 0) return;

        // Bias first, then C = 1·x·Wᵀ + 1·C: GEMM's beta does the add.
        T beta = T.Zero;
        if (b is not null)
        {
            var bias = b.IsContiguous ? b.Data<T>().AsSpan(b._offset, outF) : b.Detach().DenseCopy().Span<T>();
            for (int r = 0; r < rows; r++) bias.CopyTo(yd.Slice(r * outF, outF));
            beta = T.One;
        }
        if (inF == 0) return;

        // x as a rows×in matrix: a contiguous tensor, or a 2-D view whose rows or columns are adjacent.
        bool transA = false;
        int lda = inF;
        if (!x.IsContiguous && !(x.Rank == 2 && BatchedMatMul.MatrixLayout(rows, inF, x._strides[0], x._strides[1], out transA, out lda)))
        {
            x = x.Detach().DenseCopy();
            (transA, lda) = (false, inF);
        }

        // op(B) must be Wᵀ [in, out]: a row-major W is read transposed; a transposed view of a row-major Wᵀ is read plainly.
        if (!BatchedMatMul.MatrixLayout(outF, inF, w._strides[0], w._strides[1], out bool wTrans, out int ldw))
        {
            w = w.Detach().DenseCopy();
            wTrans = false;
            ldw = inF;
        }
        Gemm.Multiply(transA, !wTrans, rows, outF, inF, T.One,
            x.Data<T>().AsSpan(x._offset), lda, w.Data<T>().AsSpan(w._offset), ldw, beta, yd, outF);
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x!;
        var w = _w!;
        int outF = w._shape[0], inF = w._shape[1];
        var g2 = g.Reshape(-1, outF);
        var dx = NeedsGrad(0) ? g2.MatMul(w).Reshape(x._shape) : null;
        var dw = NeedsGrad(1) ? g2.T().MatMul(x.Reshape(-1, inF)) : null;
        if (!_hasBias) return [dx, dw];
        var db = NeedsGrad(2) ? g2.Sum(0) : null;
        return [dx, dw, db];
    }

    internal override void ReleaseSaved() => _x = _w = null;
}
