namespace Nabla.NN;

/// <summary>
/// How a loss turns its per-element values into the returned tensor, as PyTorch's reduction strings.
/// <see cref="BatchMean"/> (sum divided by the batch size) is only meaningful for <see cref="KLDivLoss"/>; the
/// other losses refuse it.
/// </summary>
public enum Reduction
{
    /// <summary>Return the unreduced per-element (or per-sample) losses.</summary>
    None,

    /// <summary>Average; losses with class weights, ignore_index or a mask divide by the total weight / valid count.</summary>
    Mean,

    /// <summary>Sum of all per-element losses.</summary>
    Sum,

    /// <summary>Sum divided by the size of the first dimension (KL divergence only, PyTorch's "batchmean").</summary>
    BatchMean,
}

/// <summary>PyTorch's spelling of each reduction, for messages and reprs.</summary>
public static class ReductionExtensions
{
    public static string TorchName(this Reduction r) => r switch
    {
        Reduction.None => "none",
        Reduction.Mean => "mean",
        Reduction.Sum => "sum",
        Reduction.BatchMean => "batchmean",
        _ => throw new ArgumentOutOfRangeException(nameof(r), r, "unknown reduction"),
    };
}
