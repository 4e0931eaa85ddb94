using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// x with <paramref name="value"/> written wherever the bool mask is true (the mask broadcasts; as in
/// PyTorch's out-of-place masked_fill the result takes the broadcast shape). The value is cast to x's
/// dtype. The gradient is zero at filled positions and passes through elsewhere.
/// </summary>
internal sealed class MaskedFillOp : Node
{
    Tensor? _mask;
    int[] _inputShape = [];

    public static Tensor Forward(Tensor x, Tensor mask, double value)
    {
        if (mask.DType != DType.Bool)
            throw new ArgumentException($"masked_fill: the mask must be a bool tensor, got {mask.DType.TorchName()} of shape {mask.ShapeText} (input of shape {x.ShapeText}).");
        var shape = Layout.BroadcastShapes(mask._shape, x._shape, "masked_fill");
        var y = WhereKernel.Select(mask, Tensor.Scalar(value, x.DType), x, x.DType, shape);
        return Graph.Wants(x) ? Graph.Attach(y, new MaskedFillOp { _mask = mask, _inputShape = x._shape }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Tensor.Where(_mask!, Tensor.Scalar(0, g.DType), g).SumTo(_inputShape)];

    internal override void ReleaseSaved() => _mask = null;
}
