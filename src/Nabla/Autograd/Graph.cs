namespace Nabla.Autograd;

/// <summary>How an op joins the graph: it asks whether recording is wanted, then attaches its node to the result.</summary>
internal static class Graph
{
    public static bool Wants(Tensor a) => GradMode.IsEnabled && a.RequiresGrad;

    public static bool Wants(Tensor a, Tensor b) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    public static bool Wants(ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Makes <paramref name="node"/> the producer of <paramref name="result"/>; returns the result.</summary>
    public static Tensor Attach(Tensor result, Node node, params Tensor?[] inputs)
    {
        var kept = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            kept[i] = inputs[i] is { RequiresGrad: true } t ? t : null;
        node.Inputs = kept;
        result.GradFn = node;
        result.MarkRequiresGradFromOp();
        return result;
    }
}
