namespace Nabla.Optim;

/// <summary>
/// The per-parameter state an optimizer keeps (created lazily at a parameter's first update): a step count
/// and named buffers of the parameter's shape and dtype, under PyTorch's names ("exp_avg", "momentum_buffer", ...).
/// </summary>
public sealed class ParamState
{
    public long Step { get; set; }

    public Dictionary<string, Tensor> Buffers { get; } = new();

    /// <summary>The buffer <paramref name="key"/>, created filled with <paramref name="fill"/> in the shape and dtype of <paramref name="like"/> when absent.</summary>
    internal Tensor Buffer(string key, Tensor like, double fill = 0)
    {
        if (!Buffers.TryGetValue(key, out var t))
        {
            t = Tensor.Full(like.Shape, fill, like.DType);
            Buffers[key] = t;
        }
        return t;
    }

    /// <summary>A deep copy: the buffers are fresh dense tensors sharing nothing with this state.</summary>
    public ParamState Clone()
    {
        var copy = new ParamState { Step = Step };
        foreach (var (k, v) in Buffers) copy.Buffers[k] = v.Detach().DenseCopy();
        return copy;
    }
}

/// <summary>
/// Everything needed to resume an optimizer exactly: each group's hyper-parameters with the indices of its
/// parameters (numbered across groups in order, as PyTorch does), and the state of each parameter by index.
/// </summary>
public sealed class OptimizerStateDict
{
    public required string Optimizer { get; init; }
    public required IReadOnlyList<ParamGroupState> ParamGroups { get; init; }
    public required IReadOnlyDictionary<int, ParamState> State { get; init; }
}

/// <summary>One saved parameter group: its options and the indices of its parameters.</summary>
public sealed record ParamGroupState(IReadOnlyDictionary<string, double> Options, int[] Params);
