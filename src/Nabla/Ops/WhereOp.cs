using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// where(cond, a, b): a where cond is true, else b, all three broadcast together; a and b promote to a
/// common dtype. The gradient flows to a where cond holds and to b elsewhere, summed back to each shape.
/// </summary>
internal sealed class WhereOp : Node
{
    Tensor? _cond;
    int[] _aShape = [], _bShape = [];
    DType _aType, _bType;

    public static Tensor Forward(Tensor cond, Tensor a, Tensor b)
    {
        if (cond.DType != DType.Bool)
            throw new ArgumentException($"where: the condition must be a bool tensor, got {cond.DType.TorchName()} of shape {cond.ShapeText}; compare it first (e.g. x.Ne(0)).");
        var shape = BroadcastShape(cond, a, b);
        var y = WhereKernel.Select(cond, a, b, DTypes.Promote(a.DType, b.DType), shape);
        return Graph.Wants(a, b)
            ? Graph.Attach(y, new WhereOp { _cond = cond, _aShape = a._shape, _bShape = b._shape, _aType = a.DType, _bType = b.DType }, a, b)
            : y;
    }

    static int[] BroadcastShape(Tensor cond, Tensor a, Tensor b)
    {
        try
        {
            return Layout.BroadcastShapes(Layout.BroadcastShapes(cond._shape, a._shape, "where"), b._shape, "where");
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"where: condition of shape {cond.ShapeText}, input of shape {a.ShapeText} and other of shape {b.ShapeText} cannot be broadcast together.", e);
        }
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        var zero = Tensor.Scalar(0, g.DType);
        return
        [
            NeedsGrad(0) ? Tensor.Where(_cond!, g, zero).SumTo(_aShape).To(_aType) : null,
            NeedsGrad(1) ? Tensor.Where(_cond!, zero, g).SumTo(_bShape).To(_bType) : null,
        ];
    }

    internal override void ReleaseSaved() => _cond = null;
}
