namespace Nabla.Optim;

/// <summary>
/// Penalty terms to add to a loss (loss + λ·Regularization.L2(ps)); they are ordinary graph tensors, so
/// their gradients flow through Backward. Weight decay in the optimizers is the usual alternative to L2.
/// </summary>
public static class Regularization
{
    /// <summary>Σ over the parameters of Σ|p| (a 0-d tensor; 0 for no parameters).</summary>
    public static Tensor L1(IEnumerable<Tensor> parameters) => Total(parameters, L1NormNode.Forward, "l1");

    /// <summary>Σ over the parameters of Σp², the squared L2 norm (a 0-d tensor; 0 for no parameters).</summary>
    public static Tensor L2(IEnumerable<Tensor> parameters) => Total(parameters, p => (p * p).Sum(), "l2");

    static Tensor Total(IEnumerable<Tensor> parameters, Func<Tensor, Tensor> term, string op)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Tensor? total = null;
        int i = 0;
        foreach (var p in parameters)
        {
            if (p is null) throw new ArgumentException($"{op}: parameter {i} is null.");
            if (!p.DType.IsFloating())
                throw new ArgumentException($"{op}: parameter {i} of shape {p.ShapeText} is {p.DType.TorchName()}; penalties need floating-point tensors.");
            var t = term(p);
            total = total is null ? t : total + t;
            i++;
        }
        return total ?? Tensor.Scalar(0);
    }
}
