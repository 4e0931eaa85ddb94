using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Max or min of all elements (a 0-d tensor). The gradient is shared evenly among the elements that attain
/// the result, as in PyTorch, so ties split it instead of sending it all to one arbitrary element.
/// </summary>
internal sealed class ExtremumOp : Node
{
    Tensor? _x, _y;
    bool _isMax;

    public override string Name => _isMax ? "MaxBackward" : "MinBackward";

    public static Tensor Forward(Tensor x, bool isMax)
    {
        string op = isMax ? "max" : "min";
        if (x.NumElements == 0)
            throw new ArgumentException($"{op}: cannot reduce the empty tensor of shape {x.ShapeText} over all elements; specify a dim with non-zero size (as in PyTorch).");
        if (x.DType == DType.Bool) return Forward(x.To(DType.Int64), isMax).To(DType.Bool);
        var y = isMax ? ExtremumKernel.All<MaxOperator>(x) : ExtremumKernel.All<MinOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new ExtremumOp { _x = x.Detach(), _y = y.Detach(), _isMax = isMax }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [ExtremumKernel.DistributeEvenly(_x!, _y!, g)];

    internal override void ReleaseSaved() => _x = _y = null;
}
