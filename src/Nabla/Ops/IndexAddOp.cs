using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// A copy of self with source's slices added at the given positions along one dim (repeated positions
/// accumulate). Gradients: self's is the upstream gradient; source's is the upstream gradient index-selected.
/// </summary>
internal sealed class IndexAddOp : Node
{
    long[] _index = [];
    int _dim;

    public static Tensor Forward(Tensor self, int dim, Tensor index, Tensor source)
    {
        const string op = "index_add";
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(source);
        var positions = IndexSelectOp.Positions(index, self, dim, op, out int d);
        if (self.DType == DType.Bool)
            throw new ArgumentException($"{op}: bool tensors cannot be accumulated (self of shape {self.ShapeText}).");
        if (source.DType != self.DType)
            throw new ArgumentException($"{op}: source of dtype {source.DType.TorchName()} and shape {source.ShapeText} must have the dtype of self ({self.DType.TorchName()}, shape {self.ShapeText}).");
        var expected = (int[])self._shape.Clone();
        expected[d] = positions.Length;
        if (!source._shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{op}: source of shape {source.ShapeText} does not match self of shape {self.ShapeText} with dimension {d} replaced by the {positions.Length} indices (expected {Layout.Format(expected)}).");
        var y = self.DenseCopy();
        IndexSelectKernel.IndexAdd(y, d, positions, source);
        return Graph.Wants(self, source) ? Graph.Attach(y, new IndexAddOp { _index = positions, _dim = d }, self, source) : y;
    }

    internal override Tensor?[] Backward(Tensor g) =>
    [
        NeedsGrad(0) ? g : null,
        NeedsGrad(1) ? g.IndexSelect(_dim, Tensor.From(_index, [_index.Length])) : null,
    ];
}
