namespace Nabla.Autograd;

/// <summary>
/// One recorded operation in the graph: it knows its inputs and how to turn the gradient of its output
/// into gradients of those inputs. Each op class derives from Node and keeps Forward and Backward together.
/// </summary>
public abstract class Node
{
    /// <summary>The op's tensor inputs, in order; an input that needs no gradient is null.</summary>
    internal Tensor?[] Inputs = [];

    /// <summary>Set once the saved tensors are released; backward through it again is an error.</summary>
    internal bool Freed;

    /// <summary>A non-leaf output whose gradient the user asked to keep.</summary>
    internal Tensor? RetainedOutput;

    /// <summary>PyTorch-style name, e.g. MulBackward.</summary>
    public virtual string Name => GetType().Name.Replace("Op", "Backward");

    /// <summary>Gradients for each input, aligned with <see cref="Inputs"/>; null where not needed.</summary>
    internal abstract Tensor?[] Backward(Tensor grad);

    /// <summary>Drops references to saved tensors so their memory can be reclaimed.</summary>
    internal virtual void ReleaseSaved() { }

    /// <summary>Whether input <paramref name="i"/> wants a gradient.</summary>
    protected bool NeedsGrad(int i) => Inputs[i] is { } t && t.RequiresGrad;
}
