namespace Nabla.Autograd;

/// <summary>
/// Reverse-mode differentiation: orders the graph topologically from the output, then walks it once,
/// summing the gradients that reach each node before calling its Backward.
/// </summary>
internal static class Engine
{
    public static void Backward(Tensor root, Tensor? gradient, bool retainGraph)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException($"backward: the tensor of shape {root.ShapeText} does not require grad and has no grad_fn.");
        if (gradient is null)
        {
            if (root.NumElements != 1)
                throw new InvalidOperationException($"backward: grad can be implicitly created only for scalar outputs, but the output has shape {root.ShapeText}; pass a gradient of that shape.");
            gradient = Tensor.OnesLike(root);
        }
        else if (!gradient._shape.AsSpan().SequenceEqual(root._shape))
            throw new ArgumentException($"backward: the gradient has shape {gradient.ShapeText} but the output has shape {root.ShapeText}.");

        using var _ = new NoGrad();
        if (root.GradFn is null)
        {
            root.AccumulateGrad(gradient.To(root.DType));
            return;
        }

        var order = TopologicalOrder(root.GradFn);
        var pending = new Dictionary<Node, Tensor>(ReferenceEqualityComparer.Instance) { [root.GradFn] = gradient.To(root.DType) };
        // The gradients passed between nodes, and each node's scratch tensors, are the engine's own: once a node is
        // done, every buffer allocated since that no pending gradient uses is handed back for the next allocations.
        // What a leaf or a retained output keeps is allocated outside the lease.
        using var lease = StorageLease.Open();
        foreach (var node in order)
        {
            if (!pending.Remove(node, out var grad)) continue;
            if (node.Freed)
                throw new InvalidOperationException(
                    $"backward: trying to backward through {node.Name} a second time, but its saved tensors were freed after the first pass. Pass retainGraph: true to the first Backward call if you need to backward twice.");
            if (node.RetainedOutput is { } kept) Accumulate(kept, grad, lease);

            var inputGrads = node.Backward(grad);
            if (!retainGraph)
            {
                node.ReleaseSaved();
                node.Freed = true;
            }
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                if (node.Inputs[i] is not { } input || inputGrads[i] is not { } g) continue;
                // Mixed-dtype ops (float32 · float64) compute in the promoted type; each input receives its
                // gradient in its own dtype, as PyTorch's engine casts it.
                if (g.DType != input.DType) g = g.To(input.DType);
                if (!g._shape.AsSpan().SequenceEqual(input._shape))
                    throw new InvalidOperationException($"{node.Name}: computed a gradient of shape {g.ShapeText} for input {i} of shape {input.ShapeText} (internal error).");
                if (input.GradFn is { } producer)
                    pending[producer] = pending.TryGetValue(producer, out var sum) ? sum + g : g;
                else
                    Accumulate(input, g, lease);
            }
            lease?.RecycleAllBut(pending);
        }
    }

    /// <summary>Adds into a gradient the user keeps, with memory from the collector rather than the lease.</summary>
    static void Accumulate(Tensor target, Tensor grad, StorageLease? lease)
    {
        using (lease?.Suspend()) target.AccumulateGrad(grad);
    }

    /// <summary>Nodes ordered so that each comes before every node it feeds into (iterative DFS, safe for long RNN graphs).</summary>
    static List<Node> TopologicalOrder(Node root)
    {
        var post = new List<Node>();
        var visited = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Node node, int next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Inputs.Length)
            {
                stack.Push((node, next + 1));
                if (node.Inputs[next]?.GradFn is { } child && visited.Add(child))
                    stack.Push((child, 0));
            }
            else post.Add(node);
        }
        post.Reverse();
        return post;
    }
}
