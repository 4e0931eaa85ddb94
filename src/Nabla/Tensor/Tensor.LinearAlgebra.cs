using Nabla.Backends.Cpu;
using Nabla.Ops;

namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product with PyTorch's matmul rules: 1-D·1-D is a dot product (0-d result); a 1-D left operand
    /// is a row vector and a 1-D right operand a column vector, the added dim removed afterwards; N-D operands
    /// are batches of matrices in the last two dims, with the batch dims broadcast. float32, float64 and int64.
    /// </summary>
    public Tensor MatMul(Tensor other) => MatMul(this, other);

    /// <inheritdoc cref="MatMul(Tensor)"/>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        CheckMatMulOperands(a, b, "matmul");
        if (a.Rank == 0 || b.Rank == 0)
            throw new ArgumentException($"matmul: both arguments need at least 1 dimension, got shapes {a.ShapeText} and {b.ShapeText}.");
        int ka = a._shape[^1], kb = b.Rank == 1 ? b._shape[0] : b._shape[^2];
        if (ka != kb)
            throw new ArgumentException($"matmul: shapes {a.ShapeText} and {b.ShapeText} cannot be multiplied ({ka} != {kb}).");

        // Promote vectors to matrices with views; the squeezes afterwards are views too, and their own
        // gradients undo the promotion, so MatMulOp only ever sees batches of matrices.
        var a2 = a.Rank == 1 ? a.Unsqueeze(0) : a;
        var b2 = b.Rank == 1 ? b.Unsqueeze(1) : b;
        var batch = MatMulBatch(a2, b2, a, b);
        var y = MatMulOp.Forward(a2, b2, batch);
        if (b.Rank == 1) y = y.Squeeze(-1);
        if (a.Rank == 1) y = y.Squeeze(b.Rank == 1 ? 0 : -2);
        return y;
    }

    /// <summary>The product of two matrices (strictly 2-D, no broadcasting).</summary>
    public static Tensor Mm(Tensor a, Tensor b)
    {
        CheckMatMulOperands(a, b, "mm");
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"mm: expects 2-D tensors, got shapes {a.ShapeText} and {b.ShapeText}.");
        if (a._shape[1] != b._shape[0])
            throw new ArgumentException($"mm: shapes {a.ShapeText} and {b.ShapeText} cannot be multiplied ({a._shape[1]} != {b._shape[0]}).");
        return MatMulOp.Forward(a, b, []);
    }

    /// <inheritdoc cref="Mm(Tensor, Tensor)"/>
    public Tensor Mm(Tensor other) => Mm(this, other);

    /// <summary>Batched matrix product of [B, m, k] and [B, k, n] (strictly 3-D, equal batch sizes, no broadcasting).</summary>
    public static Tensor Bmm(Tensor a, Tensor b)
    {
        CheckMatMulOperands(a, b, "bmm");
        if (a.Rank != 3 || b.Rank != 3)
            throw new ArgumentException($"bmm: expects 3-D tensors, got shapes {a.ShapeText} and {b.ShapeText}.");
        if (a._shape[0] != b._shape[0])
            throw new ArgumentException($"bmm: batch sizes differ, got shapes {a.ShapeText} and {b.ShapeText} ({a._shape[0]} != {b._shape[0]}).");
        if (a._shape[2] != b._shape[1])
            throw new ArgumentException($"bmm: shapes {a.ShapeText} and {b.ShapeText} cannot be multiplied ({a._shape[2]} != {b._shape[1]}).");
        return MatMulOp.Forward(a, b, [a._shape[0]]);
    }

    /// <inheritdoc cref="Bmm(Tensor, Tensor)"/>
    public Tensor Bmm(Tensor other) => Bmm(this, other);

    /// <summary>Outer product of two vectors: result[i, j] = a[i]·b[j]. Dtypes promote as in multiplication.</summary>
    public static Tensor Outer(Tensor a, Tensor b)
    {
        if (a.Rank != 1 || b.Rank != 1)
            throw new ArgumentException($"outer: expects 1-D tensors, got shapes {a.ShapeText} and {b.ShapeText}.");
        // A broadcast product: k = 1 is no work for a GEMM, and Mul has the gradients. The operands are cast to
        // the common dtype first (a recorded cast), so each gradient comes back in its own input's dtype.
        // Bool vectors multiply as 0/1 integers and the result is cast back: outer of masks is a mask, as in PyTorch.
        var dtype = DTypes.Promote(a.DType, b.DType);
        var work = dtype == DType.Bool ? DType.Int64 : dtype;
        var y = a.To(work).Unsqueeze(1) * b.To(work).Unsqueeze(0);
        return y.To(dtype);
    }

    /// <inheritdoc cref="Outer(Tensor, Tensor)"/>
    public Tensor Outer(Tensor other) => Outer(this, other);

    /// <summary>Both operands must share a dtype (as in PyTorch, no implicit promotion) and be numeric.</summary>
    static void CheckMatMulOperands(Tensor a, Tensor b, string op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: expected both tensors to have the same dtype, got {a.DType.TorchName()} and {b.DType.TorchName()} (shapes {a.ShapeText} and {b.ShapeText}); convert one with To().");
        if (a.DType == DType.Bool)
            throw new ArgumentException($"{op}: bool tensors are not supported (shapes {a.ShapeText} and {b.ShapeText}); convert with Float() or Long().");
    }

    /// <summary>The broadcast batch shape of two rank ≥ 2 operands, or an error naming the caller's original shapes.</summary>
    static int[] MatMulBatch(Tensor a, Tensor b, Tensor originalA, Tensor originalB)
    {
        var ba = a._shape.AsSpan(0, a.Rank - 2);
        var bb = b._shape.AsSpan(0, b.Rank - 2);
        int rank = Math.Max(ba.Length, bb.Length);
        var batch = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - ba.Length ? 1 : ba[i - (rank - ba.Length)];
            int db = i < rank - bb.Length ? 1 : bb[i - (rank - bb.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"matmul: the batch dimensions {Layout.Format(ba)} and {Layout.Format(bb)} of shapes {originalA.ShapeText} and {originalB.ShapeText} cannot be broadcast ({da} vs {db} at batch dimension {i}).");
            batch[i] = da == 1 ? db : da;
        }
        return batch;
    }
}
