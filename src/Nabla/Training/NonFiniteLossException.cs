namespace Nabla.Training;

/// <summary>
/// Thrown when a loss (or, with clipping, the gradient norm) is NaN or infinite. The trainer checks every batch's
/// loss before its backward pass, so the batch that produced it has not changed the parameters; the batches
/// before it in the same epoch have. Reload the last checkpoint to continue from a consistent state.
/// </summary>
public sealed class NonFiniteLossException : InvalidOperationException
{
    public NonFiniteLossException(string message, string phase, int epoch, int batch, double value) : base(message)
    {
        Phase = phase;
        Epoch = epoch;
        Batch = batch;
        Value = value;
    }

    /// <summary>"training", "validation" or "evaluation".</summary>
    public string Phase { get; }

    /// <summary>1-based epoch (0 outside <c>Fit</c>).</summary>
    public int Epoch { get; }

    /// <summary>1-based batch within the epoch.</summary>
    public int Batch { get; }

    /// <summary>The offending value (NaN, +∞ or −∞).</summary>
    public double Value { get; }
}
