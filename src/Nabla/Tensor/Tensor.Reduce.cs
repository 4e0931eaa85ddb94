using Nabla.Backends.Cpu;
using Nabla.Ops;

namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>Sum of all elements (a 0-d tensor).</summary>
    public Tensor Sum() => SumOp.Forward(this, null, false);

    /// <summary>Sum over one dim.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => SumOp.Forward(this, [dim], keepDim);

    /// <summary>Sum over several dims.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false) => SumOp.Forward(this, dims, keepDim);

    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Mean(null, false);

    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    public Tensor Mean(int[]? dims, bool keepDim = false)
    {
        if (!DType.IsFloating())
            throw new ArgumentException($"mean: needs a floating tensor, got {DType.TorchName()} of shape {ShapeText}; convert with Float() first.");
        var reduced = SumOp.ReducedDims(this, dims, "mean");
        long count = 1;
        for (int i = 0; i < Rank; i++) if (reduced[i]) count *= _shape[i];
        return SumOp.Forward(this, dims, keepDim) / (double)count;
    }

    /// <summary>Sums this tensor down to <paramref name="shape"/>, undoing a broadcast (used by gradients).</summary>
    public Tensor SumTo(int[] shape)
    {
        if (_shape.AsSpan().SequenceEqual(shape)) return this;
        int lead = Rank - shape.Length;
        if (lead < 0) throw new ArgumentException($"sum_to: cannot sum shape {ShapeText} to the larger shape {Layout.Format(shape)}.");
        var dims = new List<int>();
        for (int i = 0; i < Rank; i++)
        {
            if (i < lead) { dims.Add(i); continue; }
            int target = shape[i - lead];
            if (target == 1 && _shape[i] != 1) dims.Add(i);
            else if (target != _shape[i])
                throw new ArgumentException($"sum_to: shape {ShapeText} does not broadcast from {Layout.Format(shape)}.");
        }
        var summed = dims.Count > 0 ? Sum(dims.ToArray(), keepDim: true) : this;
        return summed.Reshape(shape);
    }
}
