using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>−1, 0 or +1 per element (a bool tensor is its own sign); the gradient is zero everywhere.</summary>
internal sealed class SignOp : Node
{
    public static Tensor Forward(Tensor x)
    {
        if (x.DType == DType.Bool) return x.DenseCopy();
        var y = Elementwise.NumericUnary<SignOperator>(x);
        return Graph.Wants(x) ? Graph.Attach(y, new SignOp(), x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [Tensor.ZerosLike(g)];
}
