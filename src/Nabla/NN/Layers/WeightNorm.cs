using Nabla.Autograd;

namespace Nabla.NN;

/// <summary>
/// Weight normalisation (Salimans &amp; Kingma; PyTorch's torch.nn.utils.weight_norm): a parameter w is
/// reparametrised as w = g · v / ‖v‖, so its direction (v) and length (g) are learned separately.
/// </summary>
/// <remarks>
/// <para><see cref="Apply{T}"/> replaces the parameter <c>name</c> of a module by <c>name_g</c> and <c>name_v</c>,
/// registered after the module's other parameters exactly as PyTorch orders and shapes them (a Linear's state dict
/// becomes <c>bias, weight_g, weight_v</c>). <c>v</c> starts as the old weight (sharing its storage) and <c>g</c> as
/// its norm. The norm is taken over every dim except <c>dim</c>, so <c>g</c> has the weight's size at <c>dim</c> and 1
/// elsewhere; <c>dim: null</c> (or −1, as in PyTorch) takes one norm over the whole tensor and makes <c>g</c> 0-d.</para>
/// <para>The weight is not stored: the module's reads of it (layers read parameters through the registry) return
/// g · v / ‖v‖ computed afresh from the current g and v, so every Forward uses the recomputed weight and its
/// gradient reaches g and v. A layer that reads the weight several times in one Forward recomputes it each time.</para>
/// </remarks>
public static class WeightNorm
{
    /// <summary>Reparametrises parameter <paramref name="name"/> of <paramref name="module"/>; returns the module.</summary>
    public static T Apply<T>(T module, string name = "weight", int? dim = 0) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        if (module.HasComputedParameter(name))
            throw new InvalidOperationException($"weight_norm: parameter '{name}' of {module.TypeName} already has weight norm; it cannot be applied twice.");
        if (!module.HasParameterSlot(name) || module.StoredParameter(name) is not { } weight)
            throw new ArgumentException($"weight_norm: {module.TypeName} has no parameter named '{name}'.");
        if (!weight.DType.IsFloating())
            throw new ArgumentException($"weight_norm: parameter '{name}' of {module.TypeName} is {weight.DType.TorchName()}; it must be floating-point.");
        int? d = NormalizeDim(dim, weight, module.TypeName, name);

        Tensor g;
        using (new NoGrad()) g = NormExceptDim(weight.Detach(), d).Contiguous();
        var v = Parameter.Create(weight);
        bool trainable = weight.RequiresGrad;
        module.RemoveParameter(name);
        module.RegisterParameter(name + "_g", g, trainable);
        module.RegisterParameter(name + "_v", v, trainable);
        string gName = name + "_g", vName = name + "_v";
        module.SetComputedParameter(name, () => Compute(module.StoredParameter(vName)!, module.StoredParameter(gName)!, d));
        return module;
    }

    /// <summary>Undoes <see cref="Apply{T}"/>: stores the current g · v / ‖v‖ as a plain parameter <paramref name="name"/> again.</summary>
    public static T Remove<T>(T module, string name = "weight") where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        if (!module.HasComputedParameter(name))
            throw new ArgumentException($"remove_weight_norm: weight_norm of '{name}' not found in {module.TypeName}.");
        Tensor weight;
        using (new NoGrad()) weight = module.ComputeParameter(name).Contiguous();
        module.SetComputedParameter(name, null);
        module.RemoveParameter(name + "_g");
        module.RemoveParameter(name + "_v");
        module.RegisterParameter(name, Parameter.Create(weight));
        return module;
    }

    /// <summary>w = v · (g / ‖v‖), the norm over every dim but <paramref name="dim"/> (null: over all of v), as torch._weight_norm.</summary>
    public static Tensor Compute(Tensor v, Tensor g, int? dim = 0)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(g);
        var d = NormalizeDim(dim, v, "weight_norm", "v");
        return v * (g / NormExceptDim(v, d));
    }

    /// <summary>The 2-norm over all dims but <paramref name="dim"/>, keeping them as size 1 (PyTorch's norm_except_dim).</summary>
    static Tensor NormExceptDim(Tensor v, int? dim)
    {
        var sq = v * v;
        if (dim is not { } d) return sq.Sum().Sqrt();
        var others = Enumerable.Range(0, v.Rank).Where(i => i != d).ToArray();
        // Nothing to sum over for a 1-D v: the norm of each element is its magnitude.
        return (others.Length == 0 ? sq : sq.Sum(others, keepDim: true)).Sqrt();
    }

    /// <summary>null and −1 mean "the whole tensor" (PyTorch maps dim=None to −1); other negative dims count from the end.</summary>
    static int? NormalizeDim(int? dim, Tensor weight, string owner, string name)
    {
        if (dim is not { } d || d == -1) return null;
        int rank = weight.Rank;
        if (d < -rank || d >= rank)
            throw new ArgumentException($"weight_norm: dim {d} is out of range for parameter '{name}' of {owner} with shape {weight.ShapeText}.");
        return d < 0 ? d + rank : d;
    }
}
