using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Batched matrix product of a [..., m, k] and b [..., k, n] with broadcast batch dims (the one primitive
/// behind matmul, mm and bmm; the 1-D promotions are views around it). Gradients: dA = dC·Bᵀ and
/// dB = Aᵀ·dC, summed over the batch dims that were broadcast.
/// </summary>
internal sealed class MatMulOp : Node
{
    Tensor? _a, _b;

    /// <summary>Both inputs have rank ≥ 2 and were checked by the caller; <paramref name="batch"/> is the broadcast batch shape.</summary>
    public static Tensor Forward(Tensor a, Tensor b, int[] batch)
    {
        var y = BatchedMatMul.Multiply(a, b, batch);
        return Graph.Wants(a, b) ? Graph.Attach(y, new MatMulOp { _a = a, _b = b }, a, b) : y;
    }

    internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? GradA(g, _a!, _b!) : null, NeedsGrad(1) ? GradB(g, _a!, _b!) : null];

    /// <summary>dA = dC·Bᵀ summed to A's shape. Bᵀ is a transposed view: GEMM reads it with a flag, no copy.</summary>
    static Tensor GradA(Tensor g, Tensor a, Tensor b)
    {
        if (a.Rank == 2 && b.Rank > 2 && g.NumElements > 0 && b.NumElements > 0)
        {
            // A was shared by every batch item: Σ_i dC_i·B_iᵀ is one product [m, batch·n] · [batch·n, k]
            // (the dC_i side by side times the B_iᵀ stacked, both flattened in the same batch order).
            int r = g.Rank, m = a._shape[0], k = a._shape[1];
            var perm = new int[r];
            perm[0] = r - 2;
            for (int d = 0; d < r - 2; d++) perm[d + 1] = d;
            perm[r - 1] = r - 1;
            var gm = g.Permute(perm).Reshape(m, -1);
            var bt = b.Transpose(-1, -2).Reshape(-1, k);
            return Tensor.MatMul(gm, bt);
        }
        return Tensor.MatMul(g, b.Transpose(-1, -2)).SumTo(a._shape);
    }

    /// <summary>dB = Aᵀ·dC summed to B's shape.</summary>
    static Tensor GradB(Tensor g, Tensor a, Tensor b)
    {
        if (b.Rank == 2 && a.Rank > 2 && g.NumElements > 0 && a.NumElements > 0)
        {
            // B was shared: Σ_i A_iᵀ·dC_i is one product of the stacked rows, [k, batch·m] · [batch·m, n].
            int k = b._shape[0], n = b._shape[1];
            return Tensor.MatMul(a.Reshape(-1, k).T(), g.Reshape(-1, n));
        }
        return Tensor.MatMul(a.Transpose(-1, -2), g).SumTo(b._shape);
    }

    internal override void ReleaseSaved() => _a = _b = null;
}
