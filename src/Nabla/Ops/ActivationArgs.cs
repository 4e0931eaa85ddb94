namespace Nabla.Ops;

/// <summary>The dtype rules of the activation ops, with PyTorch-style messages that name the op and the shape.</summary>
internal static class ActivationArgs
{
    /// <summary>Activations such as leaky_relu and softmax are defined for floating tensors only (PyTorch refuses int64 too).</summary>
    public static void RequireFloating(Tensor x, string op)
    {
        if (!x.DType.IsFloating())
            throw new ArgumentException($"{op}: needs a floating tensor, got {x.DType.TorchName()} of shape {x.ShapeText}; convert with Float() first.");
    }

    /// <summary>Special functions (erf) accept integers, computing in float32, but not bool masks.</summary>
    public static void RejectBool(Tensor x, string op)
    {
        if (x.DType == DType.Bool)
            throw new ArgumentException($"{op}: not defined for a bool tensor of shape {x.ShapeText}.");
    }
}
