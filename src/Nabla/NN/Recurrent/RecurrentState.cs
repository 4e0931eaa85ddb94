namespace Nabla.NN;

/// <summary>
/// Hidden state of a recurrent layer: <see cref="H"/> is [layers·directions, batch, hidden] (or
/// [layers·directions, hidden] for unbatched input); <see cref="C"/> is the LSTM cell state of the same shape,
/// and null for RNN and GRU. Layer k's forward direction is row 2k of a bidirectional layer, its reverse 2k + 1,
/// as in PyTorch's h_n.
/// </summary>
public sealed record RecurrentState(Tensor H, Tensor? C = null)
{
    /// <summary>The same state cut from the graph (truncated backpropagation through time between batches).</summary>
    public RecurrentState Detach() => new(H.Detach(), C?.Detach());
}

/// <summary>
/// What a recurrent layer returns: <see cref="Output"/> holds the last layer's hidden state at every step,
/// [T, N, directions·hidden] (or [N, T, directions·hidden] when batch-first, [T, directions·hidden] unbatched),
/// and <see cref="State"/> the final state of every layer and direction.
/// </summary>
public sealed record RecurrentOutput(Tensor Output, RecurrentState State);
