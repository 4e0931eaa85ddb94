namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>
    /// The tensor's values as PyTorch's str(tensor) writes them, e.g. <c>tensor([[1., 2.], [3., 4.]])</c> with
    /// a newline between rows, a dtype suffix for float64 and a grad_fn / requires_grad suffix.
    /// Large tensors (over 1000 elements) are summarised with "...".
    /// </summary>
    public override string ToString() => TensorFormatter.Format(this);
}
