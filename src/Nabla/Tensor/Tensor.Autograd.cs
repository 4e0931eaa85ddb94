using Nabla.Autograd;

namespace Nabla;

public sealed partial class Tensor
{
    bool _requiresGrad;
    internal Node? GradFn;

    /// <summary>Whether operations on this tensor are recorded for differentiation. Only floating tensors can require grad.</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (value && !DType.IsFloating())
                throw new InvalidOperationException($"requires_grad: only floating-point tensors can require gradients, this one is {DType.TorchName()}.");
            if (!value && GradFn != null)
                throw new InvalidOperationException("requires_grad: cannot turn gradients off on a non-leaf tensor; use Detach() instead.");
            _requiresGrad = value;
        }
    }

    /// <summary>The accumulated gradient of a leaf (or of a tensor that called <see cref="RetainGrad"/>).</summary>
    public Tensor? Grad { get; set; }

    /// <summary>True for tensors created by the user rather than by a recorded operation.</summary>
    public bool IsLeaf => GradFn == null;

    /// <summary>Name of the backward function that produced this tensor, as PyTorch's grad_fn.</summary>
    public string? GradFnName => GradFn?.Name;

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent construction.</summary>
    public Tensor RequiresGrad_(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    /// <summary>Forgets the accumulated gradient (PyTorch's zero_grad(set_to_none=True)).</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>Keeps the gradient of this non-leaf tensor in <see cref="Grad"/> during backward.</summary>
    public void RetainGrad()
    {
        if (GradFn != null) GradFn.RetainedOutput = this;
    }

    /// <summary>A tensor sharing this storage but cut from the graph: no gradient flows through it.</summary>
    public Tensor Detach() => new(_storage, _shape, _strides, _offset);

    /// <summary>
    /// Back-propagates from this tensor. Without <paramref name="gradient"/> the tensor must hold one element
    /// (a loss). The graph is freed afterwards unless <paramref name="retainGraph"/> is set.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        Engine.Backward(this, gradient, retainGraph);

    internal void MarkRequiresGradFromOp() => _requiresGrad = true;

    internal void AccumulateGrad(Tensor g)
    {
        if (Grad is null) Grad = g.Clone();
        else Grad = Grad + g;
    }
}
