using Nabla.Autograd;

namespace Nabla.Ops;

/// <summary>dtype conversion; between floating types the gradient is converted back.</summary>
internal sealed class CastOp : Node
{
    DType _from;

    public static Tensor Forward(Tensor x, DType dtype)
    {
        var y = x.CastCopy(dtype);
        return Graph.Wants(x) && dtype.IsFloating() ? Graph.Attach(y, new CastOp { _from = x.DType }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [g.To(_from)];
}
