using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>Broadcasts size-1 dims to a larger shape as a stride-0 view; the gradient is summed back.</summary>
internal sealed class ExpandOp : Node
{
    int[] _inputShape = [];

    public static Tensor Forward(Tensor x, int[] shape)
    {
        if (shape.Length < x.Rank)
            throw new ArgumentException($"expand: the target shape {Layout.Format(shape)} has fewer dims than the input {x.ShapeText}.");
        var target = (int[])shape.Clone();
        int lead = target.Length - x.Rank;
        for (int i = 0; i < target.Length; i++)
        {
            int have = i < lead ? 1 : x._shape[i - lead];
            if (target[i] == -1 && i >= lead) target[i] = have;
            if (have != target[i] && have != 1)
                throw new ArgumentException($"expand: the input {x.ShapeText} cannot be expanded to {Layout.Format(shape)} (dimension {i}: {have} vs {target[i]}).");
        }
        var strides = Layout.BroadcastStrides(x._shape, x._strides, target);
        var y = new Tensor(x._storage, target, strides, x._offset);
        return Graph.Wants(x) ? Graph.Attach(y, new ExpandOp { _inputShape = x._shape }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [g.SumTo(_inputShape)];
}
