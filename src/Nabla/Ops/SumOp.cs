using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>Sum over dims (keepdim optional); the gradient is the upstream gradient broadcast back over the summed dims.</summary>
internal sealed class SumOp : Node
{
    int[] _inputShape = [], _keptShape = [];

    public static Tensor Forward(Tensor x, int[]? dims, bool keepDim)
    {
        var reduced = ReducedDims(x, dims, "sum");
        if (x.DType == DType.Bool) x = x.To(DType.Int64);
        var y = SumKernel.Sum(x, reduced);
        var kept = KeptShape(x._shape, reduced);
        if (keepDim) y = y.Detach().Reshape(kept);
        return Graph.Wants(x) ? Graph.Attach(y, new SumOp { _inputShape = x._shape, _keptShape = kept }, x) : y;
    }

    /// <summary>Which dims a reduction removes: all of them when <paramref name="dims"/> is null or empty.</summary>
    public static bool[] ReducedDims(Tensor x, int[]? dims, string op)
    {
        var reduced = new bool[x.Rank];
        if (dims is null || dims.Length == 0) { Array.Fill(reduced, true); return reduced; }
        foreach (int dim in dims)
        {
            int d = Layout.NormalizeDim(dim, x.Rank, op);
            if (x.Rank == 0) continue;
            if (reduced[d]) throw new ArgumentException($"{op}: dimension {d} appears twice in the reduction dims.");
            reduced[d] = true;
        }
        return reduced;
    }

    /// <summary>The input shape with each reduced dim set to 1 (the keepdim shape).</summary>
    public static int[] KeptShape(int[] shape, bool[] reduced) => shape.Select((s, i) => reduced[i] ? 1 : s).ToArray();

    internal override Tensor?[] Backward(Tensor g) => [g.Reshape(_keptShape).Expand(_inputShape)];
}
