using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>Reverses the order of elements along some dims, as a copy (as PyTorch does); the gradient is flipped back.</summary>
internal sealed class FlipOp : Node
{
    int[] _dims = [];

    public static Tensor Forward(Tensor x, int[] dims)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(dims);
        var flipped = new bool[x.Rank];
        var normalized = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            int d = Layout.NormalizeDim(dims[i], x.Rank, "flip");
            if (x.Rank > 0 && flipped[d])
                throw new ArgumentException($"flip: dimension {d} appears more than once in dims {Layout.Format(dims)} for shape {x.ShapeText}.");
            if (x.Rank > 0) flipped[d] = true;
            normalized[i] = d;
        }
        var y = MovementKernel.Flip(x, flipped);
        return Graph.Wants(x) ? Graph.Attach(y, new FlipOp { _dims = normalized }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Forward(g, _dims)];
}
