using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// x[start:end:step] along one dim, as a view. The gradient is scattered into zeros of the input's shape
/// through the same view.
/// </summary>
internal sealed class SliceOp : Node
{
    int[] _inputShape = [];
    int _dim, _start, _step;

    public static Tensor Forward(Tensor x, int dim, int start, int end, int step)
    {
        if (x.Rank == 0) throw new ArgumentException("slice: cannot slice a 0-dimensional tensor.");
        dim = Layout.NormalizeDim(dim, x.Rank, "slice");
        if (step <= 0) throw new ArgumentException($"slice: step must be positive, got {step}.");
        int size = x._shape[dim];
        start = Clamp(start < 0 ? start + size : start, size);
        end = Clamp(end < 0 ? end + size : end, size);
        int length = end > start ? (end - start + step - 1) / step : 0;

        var shape = (int[])x._shape.Clone();
        var strides = (int[])x._strides.Clone();
        shape[dim] = length;
        strides[dim] *= step;
        int offset = x._offset + (length > 0 ? start * x._strides[dim] : 0);
        var y = new Tensor(x._storage, shape, strides, offset);
        return Graph.Wants(x) ? Graph.Attach(y, new SliceOp { _inputShape = x._shape, _dim = dim, _start = start, _step = step }, x) : y;
    }

    static int Clamp(int i, int size) => Math.Clamp(i, 0, size);

    internal override Tensor?[] Backward(Tensor g)
    {
        var full = Tensor.Zeros(_inputShape, g.DType);
        int end = _start + (g._shape[_dim] - 1) * _step + 1;
        if (g._shape[_dim] > 0) full.Slice(_dim, _start, end, _step).CopyFrom(g);
        return [full];
    }
}
