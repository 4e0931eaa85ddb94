using Nabla.Ops;

namespace Nabla;

// The activation-family methods PyTorch also offers on tensors (torch.erf, Tensor.softmax, Tensor.log_softmax).
// The rest of the activations live in Nabla.NN.Functional.
public sealed partial class Tensor
{
    /// <summary>The error function, elementwise (integer tensors compute in float32).</summary>
    public Tensor Erf() => ErfOp.Forward(this);

    /// <summary>Softmax along <paramref name="dim"/>: e^(x − max) / Σ e^(x − max), stable for any magnitude.</summary>
    public Tensor Softmax(int dim) => SoftmaxOp.Forward(this, dim, log: false);

    /// <summary>Log-softmax along <paramref name="dim"/>: (x − max) − log Σ e^(x − max), stable for any magnitude.</summary>
    public Tensor LogSoftmax(int dim) => SoftmaxOp.Forward(this, dim, log: true);
}
