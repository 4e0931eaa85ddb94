using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Max or min along one dim, returning the values and their int64 indices (the first occurrence on ties,
/// a NaN when the slice holds one). The gradient goes to the selected element only; indices carry none.
/// Also serves ArgMax/ArgMin, which are the indices alone and never recorded.
/// </summary>
internal sealed class ExtremumDimOp : Node
{
    Tensor? _indices;
    int[] _inputShape = [];
    int _dim;
    bool _isMax;

    public override string Name => _isMax ? "MaxBackward" : "MinBackward";

    public static (Tensor Values, Tensor Indices) Forward(Tensor x, int dim, bool keepDim, bool isMax)
    {
        string op = isMax ? "max" : "min";
        int d = CheckDim(x, dim, op);
        if (x.DType == DType.Bool)
        {
            var (v, i) = Forward(x.To(DType.Int64), dim, keepDim, isMax);
            return (v.To(DType.Bool), i);
        }
        var (values, indices) = isMax ? ExtremumKernel.AlongDim<MaxOperator>(x, d) : ExtremumKernel.AlongDim<MinOperator>(x, d);
        if (keepDim) { values = values.Reshape(KeptShape(x, d)); indices = indices.Reshape(KeptShape(x, d)); }
        if (Graph.Wants(x))
            Graph.Attach(values, new ExtremumDimOp { _indices = indices, _inputShape = x._shape, _dim = d, _isMax = isMax }, x);
        return (values, indices);
    }

    /// <summary>The indices of the max/min along <paramref name="dim"/>, or of all elements (flattened) when it is null.</summary>
    public static Tensor ArgForward(Tensor x, int? dim, bool keepDim, bool isMax)
    {
        string op = isMax ? "argmax" : "argmin";
        if (x.DType == DType.Bool)
            throw new ArgumentException($"{op}: not implemented for bool tensors (shape {x.ShapeText}), as in PyTorch; convert with Long() first.");
        Tensor input = x.Detach();
        int d;
        if (dim is null)
        {
            if (x.NumElements == 0)
                throw new ArgumentException($"{op}: cannot reduce the empty tensor of shape {x.ShapeText} over all elements; specify a dim with non-zero size (as in PyTorch).");
            input = input.Reshape(-1);
            d = 0;
        }
        else d = CheckDim(x, dim.Value, op);
        var (_, indices) = isMax
            ? ExtremumKernel.AlongDim<MaxOperator>(input, d, wantValues: false)
            : ExtremumKernel.AlongDim<MinOperator>(input, d, wantValues: false);
        if (!keepDim) return indices;
        return indices.Reshape(dim is null ? Enumerable.Repeat(1, x.Rank).ToArray() : KeptShape(x, d));
    }

    static int CheckDim(Tensor x, int dim, string op)
    {
        int d = ReductionDims.Normalize(x, dim, op);
        if (x.Rank > 0 && x._shape[d] == 0)
            throw new ArgumentException($"{op}: cannot reduce dimension {d} of size 0 in the tensor of shape {x.ShapeText}.");
        return d;
    }

    static int[] KeptShape(Tensor x, int d)
    {
        var shape = (int[])x._shape.Clone();
        if (shape.Length > 0) shape[d] = 1;
        return shape;
    }

    internal override Tensor?[] Backward(Tensor g) => [ExtremumKernel.ScatterAlongDim(g, _indices!, _inputShape, _dim)];

    internal override void ReleaseSaved() => _indices = null;
}
