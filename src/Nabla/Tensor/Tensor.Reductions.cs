using Nabla.Ops;

namespace Nabla;

// Reductions beyond sum/mean: max/min (with indices), argmax/argmin, prod, var/std and logsumexp.
// Dims may be negative; keepDim leaves each reduced dim in place with size 1, as in PyTorch.
public sealed partial class Tensor
{
    /// <summary>The largest element (a 0-d tensor); NaN if any element is NaN. Throws on an empty tensor.</summary>
    public Tensor Max() => ExtremumOp.Forward(this, isMax: true);

    /// <summary>The smallest element (a 0-d tensor); NaN if any element is NaN. Throws on an empty tensor.</summary>
    public Tensor Min() => ExtremumOp.Forward(this, isMax: false);

    /// <summary>The largest values along <paramref name="dim"/> and their int64 indices (first occurrence on ties).</summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false) => ExtremumDimOp.Forward(this, dim, keepDim, isMax: true);

    /// <summary>The smallest values along <paramref name="dim"/> and their int64 indices (first occurrence on ties).</summary>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false) => ExtremumDimOp.Forward(this, dim, keepDim, isMax: false);

    /// <summary>The flat (row-major) index of the largest element, as a 0-d int64 tensor (all-ones shape with keepDim).</summary>
    public Tensor ArgMax(bool keepDim = false) => ExtremumDimOp.ArgForward(this, null, keepDim, isMax: true);

    /// <summary>The int64 indices of the largest elements along <paramref name="dim"/>.</summary>
    public Tensor ArgMax(int dim, bool keepDim = false) => ExtremumDimOp.ArgForward(this, dim, keepDim, isMax: true);

    /// <summary>The flat (row-major) index of the smallest element, as a 0-d int64 tensor (all-ones shape with keepDim).</summary>
    public Tensor ArgMin(bool keepDim = false) => ExtremumDimOp.ArgForward(this, null, keepDim, isMax: false);

    /// <summary>The int64 indices of the smallest elements along <paramref name="dim"/>.</summary>
    public Tensor ArgMin(int dim, bool keepDim = false) => ExtremumDimOp.ArgForward(this, dim, keepDim, isMax: false);

    /// <summary>Product of all elements (a 0-d tensor; int64 for integer and bool inputs).</summary>
    public Tensor Prod() => ProdOp.Forward(this, null, false);

    /// <summary>Product along one dim.</summary>
    public Tensor Prod(int dim, bool keepDim = false) => ProdOp.Forward(this, [dim], keepDim);

    /// <summary>Variance of all elements; unbiased (divides by n − 1) unless <paramref name="unbiased"/> is false.</summary>
    public Tensor Var(bool unbiased = true) => VarOp.Forward(this, null, unbiased ? 1 : 0, false, std: false);

    public Tensor Var(int dim, bool unbiased = true, bool keepDim = false) => VarOp.Forward(this, [dim], unbiased ? 1 : 0, keepDim, std: false);

    /// <summary>Variance over <paramref name="dims"/> (all dims when null or empty).</summary>
    public Tensor Var(int[]? dims, bool unbiased = true, bool keepDim = false) => VarOp.Forward(this, dims, unbiased ? 1 : 0, keepDim, std: false);

    /// <summary>Variance over <paramref name="dims"/> dividing by n − <paramref name="correction"/> (PyTorch's correction=).</summary>
    public Tensor Var(int[]? dims, double correction, bool keepDim = false) => VarOp.Forward(this, dims, correction, keepDim, std: false);

    /// <summary>Standard deviation of all elements; unbiased unless <paramref name="unbiased"/> is false.</summary>
    public Tensor Std(bool unbiased = true) => VarOp.Forward(this, null, unbiased ? 1 : 0, false, std: true);

    public Tensor Std(int dim, bool unbiased = true, bool keepDim = false) => VarOp.Forward(this, [dim], unbiased ? 1 : 0, keepDim, std: true);

    /// <summary>Standard deviation over <paramref name="dims"/> (all dims when null or empty).</summary>
    public Tensor Std(int[]? dims, bool unbiased = true, bool keepDim = false) => VarOp.Forward(this, dims, unbiased ? 1 : 0, keepDim, std: true);

    /// <summary>Standard deviation over <paramref name="dims"/> dividing by n − <paramref name="correction"/>.</summary>
    public Tensor Std(int[]? dims, double correction, bool keepDim = false) => VarOp.Forward(this, dims, correction, keepDim, std: true);

    /// <summary>log Σ exp(x) along <paramref name="dim"/>, without overflow; integer inputs give float32.</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExpOp.Forward(this, [dim], keepDim);

    /// <summary>log Σ exp(x) over <paramref name="dims"/> (all dims when empty).</summary>
    public Tensor LogSumExp(int[] dims, bool keepDim = false) => LogSumExpOp.Forward(this, dims, keepDim);
}
