using Nabla.Autograd;

namespace Nabla.NN;

/// <summary>
/// Shared body of <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> (PyTorch's _BatchNorm): per-channel
/// affine weight (ones) and bias (zeros), buffers running_mean (zeros), running_var (ones) and num_batches_tracked
/// (int64 0), registered in PyTorch's order and names. Training uses batch statistics and updates the running ones
/// (momentum, or a cumulative average when momentum is null); evaluation uses the running statistics, unless
/// <c>trackRunningStats</c> is off, in which case batch statistics are used in both modes.
/// </summary>
public abstract class BatchNormBase : Module
{
    protected BatchNormBase(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType dtype)
    {
        if (numFeatures < 1)
            throw new ArgumentException($"{TypeName}: num_features must be positive, got {numFeatures}.");
        if (!dtype.IsFloating())
            throw new ArgumentException($"{TypeName}: dtype must be floating, got {dtype.TorchName()}.");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        IsAffine = affine;
        TrackRunningStats = trackRunningStats;
        RegisterParameter("weight", affine ? Tensor.Ones([numFeatures], dtype) : null);
        RegisterParameter("bias", affine ? Tensor.Zeros([numFeatures], dtype) : null);
        RegisterBuffer("running_mean", trackRunningStats ? Tensor.Zeros([numFeatures], dtype) : null);
        RegisterBuffer("running_var", trackRunningStats ? Tensor.Ones([numFeatures], dtype) : null);
        RegisterBuffer("num_batches_tracked", trackRunningStats ? Tensor.Scalar(0, DType.Int64) : null);
    }

    public int NumFeatures { get; }
    public double Eps { get; }
    /// <summary>The running-average factor; null means a cumulative (equal-weight) average over all batches seen.</summary>
    public double? Momentum { get; }
    public bool IsAffine { get; }
    public bool TrackRunningStats { get; }

    public Tensor? Weight => Param("weight");
    public Tensor? Bias => Param("bias");
    public Tensor? RunningMean => Buffer("running_mean");
    public Tensor? RunningVar => Buffer("running_var");
    public Tensor? NumBatchesTracked => Buffer("num_batches_tracked");

    /// <summary>Checks the rank for this dimensionality (the message names the layer and the shape).</summary>
    protected abstract void CheckInputRank(Tensor input);

    public override Tensor Forward(Tensor input)
    {
        CheckInputRank(input);
        if (input.Size(1) != NumFeatures)
            throw new ArgumentException($"{TypeName}: expected input with {NumFeatures} channels, got shape {input.ShapeText}.");

        double factor = 0;
        if (IsTraining && TrackRunningStats)
        {
            // Check the batch first so that a refused batch does not count as tracked.
            if (input.NumElements / NumFeatures <= 1)
                throw new ArgumentException($"{TypeName}: Expected more than 1 value per channel when training, got input of shape {input.ShapeText}.");
            var tracked = NumBatchesTracked!;
            using (new NoGrad()) tracked.CopyFrom(tracked + 1L);
            factor = Momentum ?? 1.0 / tracked.Item<long>();
        }
        // Running statistics are read in eval mode and updated in training mode; without them, batch statistics always.
        bool useRunning = !IsTraining || TrackRunningStats;
        return Functional.BatchNorm(input, useRunning ? RunningMean : null, useRunning ? RunningVar : null, Weight, Bias,
            IsTraining || RunningMean is null, factor, Eps, TypeName);
    }

    /// <summary>Running mean 0, running variance 1, no batches tracked.</summary>
    public void ResetRunningStats()
    {
        if (!TrackRunningStats) return;
        using var _ = new NoGrad();
        RunningMean!.FillInPlace(0);
        RunningVar!.FillInPlace(1);
        NumBatchesTracked!.FillInPlace(0);
    }

    /// <summary>Running statistics reset, weight 1 and bias 0 (PyTorch's reset_parameters).</summary>
    public void ResetParameters()
    {
        ResetRunningStats();
        if (!IsAffine) return;
        using var _ = new NoGrad();
        Weight!.FillInPlace(1);
        Bias!.FillInPlace(0);
    }

    public override string ExtraRepr() =>
        $"{NumFeatures}, eps={PyNumberText.Float(Eps)}, momentum={(Momentum is { } m ? PyNumberText.Float(m) : "None")}, " +
        $"affine={PyNumberText.Bool(IsAffine)}, track_running_stats={PyNumberText.Bool(TrackRunningStats)}";
}

/// <summary>Batch normalisation of [N, C] or [N, C, L] inputs (statistics over N, or N and L, per channel).</summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    protected override void CheckInputRank(Tensor input)
    {
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"BatchNorm1d: expected 2D or 3D input (got {input.Rank}D input of shape {input.ShapeText}).");
    }
}

/// <summary>Batch normalisation of [N, C, H, W] inputs (statistics over N, H and W per channel).</summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    protected override void CheckInputRank(Tensor input)
    {
        if (input.Rank != 4)
            throw new ArgumentException($"BatchNorm2d: expected 4D input (got {input.Rank}D input of shape {input.ShapeText}).");
    }
}
