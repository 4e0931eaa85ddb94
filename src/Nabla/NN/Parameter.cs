namespace Nabla.NN;

/// <summary>
/// Makes parameters. Nabla has no Parameter type (Tensor is sealed): a parameter is a leaf tensor with
/// <see cref="Tensor.RequiresGrad"/> set that a module registers with <see cref="Module.RegisterParameter"/>.
/// </summary>
public static class Parameter
{
    /// <summary>
    /// A parameter holding <paramref name="data"/>'s values: a new leaf tensor sharing its storage (like
    /// <c>nn.Parameter(t)</c>), cut from any graph <paramref name="data"/> belongs to.
    /// </summary>
    public static Tensor Create(Tensor data, bool requiresGrad = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (requiresGrad && !data.DType.IsFloating())
            throw new ArgumentException($"parameter: only floating-point tensors can require gradients, got {data.DType.TorchName()} of shape {data.ShapeText} (pass requiresGrad: false).");
        return data.Detach().RequiresGrad_(requiresGrad);
    }
}
