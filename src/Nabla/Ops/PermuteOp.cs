using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>Reorders dims as a view; the gradient is permuted back by the inverse permutation.</summary>
internal sealed class PermuteOp : Node
{
    int[] _inverse = [];

    public static Tensor Forward(Tensor x, int[] dims)
    {
        int rank = x.Rank;
        if (dims.Length != rank)
            throw new ArgumentException($"permute: got {dims.Length} dims {Layout.Format(dims)} for a tensor of shape {x.ShapeText}.");
        var seen = new bool[rank];
        var shape = new int[rank];
        var strides = new int[rank];
        var inverse = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int d = Layout.NormalizeDim(dims[i], rank, "permute");
            if (seen[d]) throw new ArgumentException($"permute: dimension {d} repeats in {Layout.Format(dims)}.");
            seen[d] = true;
            shape[i] = x._shape[d];
            strides[i] = x._strides[d];
            inverse[d] = i;
        }
        var y = new Tensor(x._storage, shape, strides, x._offset);
        return Graph.Wants(x) ? Graph.Attach(y, new PermuteOp { _inverse = inverse }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [g.Permute(_inverse)];
}
