using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Autograd;

namespace Nabla.Optim;

/// <summary>
/// Σ|x| as one graph node (the L1 penalty): the gradient is sign(x)·g, with sign(0) = 0 as PyTorch's abs.
/// Lives in Optim because the core op set has no abs yet; when an Abs op lands, L1 can become Abs().Sum().
/// </summary>
internal sealed class L1NormNode : Node
{
    Tensor? _x;

    public override string Name => "L1NormBackward";

    public static Tensor Forward(Tensor x)
    {
        if (!x.DType.IsFloating())
            throw new ArgumentException($"l1: needs a floating tensor, got {x.DType.TorchName()} of shape {x.ShapeText}.");
        var dense = x.Detach().Contiguous();
        var y = x.DType == DType.Float32
            ? Tensor.Scalar(TensorPrimitives.SumOfMagnitudes<float>(dense.Span<float>()), DType.Float32)
            : Tensor.Scalar(TensorPrimitives.SumOfMagnitudes<double>(dense.Span<double>()), DType.Float64);
        return Graph.Wants(x) ? Graph.Attach(y, new L1NormNode { _x = x.Detach() }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x!.Contiguous();
        var sign = new Tensor(x.Shape, x.DType);
        if (x.DType == DType.Float32) Sign<float>(x.Span<float>(), sign.Span<float>());
        else Sign<double>(x.Span<double>(), sign.Span<double>());
        return [sign * g];
    }

    static void Sign<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
            y[i] = T.IsNaN(x[i]) ? x[i] : x[i] > T.Zero ? T.One : x[i] < T.Zero ? -T.One : T.Zero;
    }

    internal override void ReleaseSaved() => _x = null;
}
