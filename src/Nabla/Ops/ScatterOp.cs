using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// A copy of self with self[index[i][j][k]][j][k] = src[i][j][k] (for dim 0); src may be a scalar value.
/// Gradients: self's is the upstream gradient with the overwritten positions zeroed; src's is the upstream
/// gradient gathered at the index (zero where src is larger than the index and never read).
/// </summary>
internal sealed class ScatterOp : Node
{
    Tensor? _index;
    int _dim;
    int[] _srcShape = [];

    public static Tensor Forward(Tensor self, int dim, Tensor index, Tensor src)
    {
        var (d, y) = Run(self, dim, index, src, accumulate: false, "scatter", copy: true);
        return Graph.Wants(self, src) ? Graph.Attach(y, new ScatterOp { _index = index, _dim = d, _srcShape = src._shape }, self, src) : y;
    }

    /// <summary>Scatter of one value: the src tensor is that value broadcast to the index's shape.</summary>
    public static Tensor Forward(Tensor self, int dim, Tensor index, double value)
    {
        IndexArgs.RequireInt64(index, "scatter");
        return Forward(self, dim, index, Tensor.Scalar(value, self.DType).Expand(index._shape));
    }

    /// <summary>Shared checks and kernel call for scatter and scatter_add, out of place (a copy) or in place.</summary>
    internal static (int dim, Tensor result) Run(Tensor self, int dim, Tensor index, Tensor src, bool accumulate, string op, bool copy)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(src);
        IndexArgs.RequireInt64(index, op);
        if (src.DType != self.DType)
            throw new ArgumentException($"{op}: src of dtype {src.DType.TorchName()} and shape {src.ShapeText} must have the dtype of self ({self.DType.TorchName()}, shape {self.ShapeText}).");
        if (accumulate && self.DType == DType.Bool)
            throw new ArgumentException($"{op}: bool tensors cannot be accumulated (self of shape {self.ShapeText}).");
        int d = IndexArgs.Dim(self, dim, op);
        IndexArgs.CheckShapes(op, d, index, self, "self", src);
        IndexArgs.CheckBounds(index, IndexArgs.DimSize(self, d), d, op, self);
        var result = copy ? self.DenseCopy() : self;
        GatherScatterKernel.Scatter(result, d, index, src, accumulate);
        return (d, result);
    }

    internal override Tensor?[] Backward(Tensor g) =>
    [
        NeedsGrad(0) ? g.Scatter(_dim, _index!, 0.0) : null,
        NeedsGrad(1) ? IndexArgs.PadTo(g.Gather(_dim, _index!), _srcShape) : null,
    ];

    internal override void ReleaseSaved() => _index = null;
}
