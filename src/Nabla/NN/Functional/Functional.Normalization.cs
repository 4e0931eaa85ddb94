using Nabla.Autograd;
using Nabla.Ops;

namespace Nabla.NN;

// Batch, layer and group normalisation. Training-mode batch norm is one fused op (BatchNormOp: statistics, x̂ and
// the affine map in one node). Layer and group norm go through the fused NormalizeOp (x̂ and its backward in one
// kernel each) with the affine weight and bias as ordinary broadcast ops on top, so their gradients come from Mul/Add. Messages name the op (or the calling module, which passes its own name) and the shapes.
public static partial class Functional
{
    /// <summary>
    /// Batch normalisation over the channels of dim 1 (input [N, C, *]), PyTorch's F.batch_norm. In training mode (or
    /// without running statistics) each channel is normalised with its batch mean and biased variance, and the
    /// running statistics, when given, are updated in place: running = (1 − momentum)·running + momentum·batch, with
    /// the UNBIASED batch variance for running_var. Otherwise the running statistics normalise.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        BatchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps, "batch_norm");

    internal static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, double momentum, double eps, string op)
    {
        ActivationArgs.RequireFloating(input, op);
        if (input.Rank < 2)
            throw new ArgumentException($"{op}: expected an input of shape [N, C, *] with at least 2 dims, got shape {input.ShapeText}.");
        int n = input.Size(0), c = input.Size(1);
        int spatial = input.Shape.Skip(2).Aggregate(1, (p, s) => p * s);
        CheckPerChannel(runningMean, "running_mean", c, input, op);
        CheckPerChannel(runningVar, "running_var", c, input, op);
        CheckPerChannel(weight, "weight", c, input, op);
        CheckPerChannel(bias, "bias", c, input, op);
        if ((runningMean is null) != (runningVar is null))
            throw new ArgumentException($"{op}: running_mean and running_var must be given together (input of shape {input.ShapeText}).");

        bool useBatchStats = training || runningMean is null;
        var channelShape = ChannelShape(input.Rank, c);
        if (useBatchStats)
        {
            long perChannel = (long)n * spatial;
            if (training && perChannel <= 1)
                throw new ArgumentException($"{op}: Expected more than 1 value per channel when training, got input of shape {input.ShapeText}.");
            // The fused op when the affine parameters share the input's dtype (always, in practice); a mixed-dtype
            // weight promotes through the broadcast ops of the composed form, as in PyTorch.
            if ((weight is null || weight.DType == input.DType) && (bias is null || bias.DType == input.DType))
            {
                var (y, batchMean, batchVar) = BatchNormOp.Forward(input, weight, bias, n, c, spatial, eps);
                if (training && runningMean is not null) UpdateRunningStats(runningMean, runningVar!, batchMean, batchVar, perChannel, momentum);
                return y;
            }
            var (xhat, mean, variance) = NormalizeOp.Forward(input, n, c, spatial, eps);
            if (training && runningMean is not null) UpdateRunningStats(runningMean, runningVar!, mean, variance, perChannel, momentum);
            return Affine(xhat, weight, bias, channelShape);
        }

        // Eval: y = x · scale + shift with scale = w / √(running_var + eps), shift = b − running_mean · scale;
        // two passes over x, and the parameter gradients flow through the [C]-sized scale and shift.
        var scale = 1.0 / (runningVar!.To(input.DType) + eps).Sqrt();
        if (weight is not null) scale = scale * weight;
        var shift = -runningMean!.To(input.DType) * scale;
        if (bias is not null) shift = shift + bias;
        return input * scale.Reshape(channelShape) + shift.Reshape(channelShape);
    }

    static void UpdateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor variance, long count, double momentum)
    {
        using var _ = new NoGrad();
        var unbiased = variance * ((double)count / (count - 1));
        runningMean.CopyFrom(runningMean * (1 - momentum) + mean.To(runningMean.DType) * momentum);
        runningVar.CopyFrom(runningVar * (1 - momentum) + unbiased.To(runningVar.DType) * momentum);
    }

    /// <summary>
    /// Layer normalisation over the trailing dims given by <paramref name="normalizedShape"/> (PyTorch's F.layer_norm):
    /// each sample's last dims are standardised with their own mean and biased variance, then scaled by
    /// <paramref name="weight"/> and shifted by <paramref name="bias"/> (both of shape normalizedShape).
    /// </summary>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        LayerNorm(input, normalizedShape, weight, bias, eps, "layer_norm");

    internal static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight, Tensor? bias, double eps, string op)
    {
        ActivationArgs.RequireFloating(input, op);
        var shape = input.Shape;
        int k = normalizedShape.Length;
        bool matches = k >= 1 && k <= shape.Length && shape.AsSpan(shape.Length - k).SequenceEqual(normalizedShape);
        if (!matches)
            throw new ArgumentException($"{op}: given normalized_shape={Backends.Cpu.Layout.Format(normalizedShape)}, expected input with shape [*, {string.Join(", ", normalizedShape)}], but got input of shape {input.ShapeText}.");
        foreach (var (p, name) in new[] { (weight, "weight"), (bias, "bias") })
            if (p is not null && !p.Shape.SequenceEqual(normalizedShape))
                throw new ArgumentException($"{op}: {name} of shape {p.ShapeText} does not match normalized_shape={Backends.Cpu.Layout.Format(normalizedShape)}.");
        int features = normalizedShape.Aggregate(1, (p, s) => p * s);
        int rows = shape.Take(shape.Length - k).Aggregate(1, (p, s) => p * s);
        var (xhat, _, _) = NormalizeOp.Forward(input, 1, rows, features, eps);
        return Affine(xhat, weight, bias, normalizedShape);
    }

    /// <summary>
    /// Group normalisation (PyTorch's F.group_norm): the C channels of an [N, C, *] input are split into
    /// <paramref name="numGroups"/> groups of consecutive channels; each (sample, group) is standardised over its
    /// channels and positions, then an affine map per channel is applied.
    /// </summary>
    public static Tensor GroupNorm(Tensor input, int numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        GroupNorm(input, numGroups, weight, bias, eps, "group_norm");

    internal static Tensor GroupNorm(Tensor input, int numGroups, Tensor? weight, Tensor? bias, double eps, string op)
    {
        ActivationArgs.RequireFloating(input, op);
        if (input.Rank < 2)
            throw new ArgumentException($"{op}: expected an input of shape [N, C, *] with at least 2 dims, got shape {input.ShapeText}.");
        int n = input.Size(0), c = input.Size(1);
        if (numGroups < 1 || c % numGroups != 0)
            throw new ArgumentException($"{op}: expected the {c} channels of the input of shape {input.ShapeText} to be divisible by num_groups={numGroups}.");
        CheckPerChannel(weight, "weight", c, input, op);
        CheckPerChannel(bias, "bias", c, input, op);
        int perGroup = input.Shape.Skip(2).Aggregate(c / numGroups, (p, s) => p * s);
        var (xhat, _, _) = NormalizeOp.Forward(input, 1, n * numGroups, perGroup, eps);
        return Affine(xhat, weight, bias, ChannelShape(input.Rank, c));
    }

    /// <summary>x̂ · weight + bias with both reshaped to broadcast (either may be absent).</summary>
    static Tensor Affine(Tensor xhat, Tensor? weight, Tensor? bias, int[] paramShape)
    {
        var y = xhat;
        if (weight is not null) y = y * weight.Reshape(paramShape);
        if (bias is not null) y = y + bias.Reshape(paramShape);
        return y;
    }

    /// <summary>[1, C, 1, …, 1]: a per-channel vector laid along dim 1 of a rank-<paramref name="rank"/> input.</summary>
    static int[] ChannelShape(int rank, int channels)
    {
        var shape = Enumerable.Repeat(1, rank).ToArray();
        shape[1] = channels;
        return shape;
    }

    static void CheckPerChannel(Tensor? t, string name, int channels, Tensor input, string op)
    {
        if (t is not null && (t.Rank != 1 || t.NumElements != channels))
            throw new ArgumentException($"{op}: {name} of shape {t.ShapeText} does not match the {channels} channels of the input of shape {input.ShapeText}.");
    }
}
