using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Fused log-softmax + negative log-likelihood (with optional class weights, ignore_index and label smoothing)
/// for class-index targets: one pass forward, and softmax − one-hot (generalised for weights and smoothing)
/// backward, instead of the half-dozen graph nodes of the composition. Output: the unreduced loss per position,
/// of the target's shape; the caller reduces. Labels are validated by the caller. Weights are constants.
/// Tested against its composed twin (log-softmax, gather, weights) in CrossEntropyFusedTests.
/// </summary>
internal sealed class CrossEntropyOp : Node
{
    Tensor? _x, _lse, _weight;
    long[] _labels = [];
    long _ignore;
    double _smoothing;
    CrossEntropyKernel.Geometry _geometry;

    public override string Name => "CrossEntropyBackward";

    /// <param name="logits">[N, C, d1, ...] or [C]; class dim 1 (0 when 1-D).</param>
    /// <param name="labels">row-major labels of the target shape; each is in [0, C) or equals ignoreIndex.</param>
    public static Tensor Forward(Tensor logits, long[] labels, int[] targetShape, Tensor? weight, long ignoreIndex, double smoothing)
    {
        var x = logits.Detach().Contiguous();
        var geometry = GeometryOf(logits);
        var loss = new Tensor((int[])targetShape.Clone(), x.DType);
        var lse = new Tensor((int[])targetShape.Clone(), x.DType);
        var w = weight?.Detach().Contiguous();
        if (x.DType == DType.Float32)
            CrossEntropyKernel.Forward<float>(geometry, x.Span<float>(), labels, w is null ? default : w.Span<float>(), ignoreIndex, smoothing, loss.Span<float>(), lse.Span<float>());
        else
            CrossEntropyKernel.Forward<double>(geometry, x.Span<double>(), labels, w is null ? default : w.Span<double>(), ignoreIndex, smoothing, loss.Span<double>(), lse.Span<double>());
        return Graph.Wants(logits)
            ? Graph.Attach(loss, new CrossEntropyOp { _x = x, _lse = lse, _weight = w, _labels = labels, _ignore = ignoreIndex, _smoothing = smoothing, _geometry = geometry }, logits)
            : loss;
    }

    static CrossEntropyKernel.Geometry GeometryOf(Tensor logits)
    {
        if (logits.Rank == 1) return new(1, logits._shape[0], 1);
        int inner = 1;
        for (int d = 2; d < logits.Rank; d++) inner *= logits._shape[d];
        return new(logits._shape[0], logits._shape[1], inner);
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x!;
        var up = g.Contiguous();
        var dx = new Tensor(x.Shape, x.DType);
        if (x.DType == DType.Float32)
            CrossEntropyKernel.Backward<float>(_geometry, x.Span<float>(), _labels, _weight is null ? default : _weight.Span<float>(), _ignore, _smoothing, _lse!.Span<float>(), up.Span<float>(), dx.Span<float>());
        else
            CrossEntropyKernel.Backward<double>(_geometry, x.Span<double>(), _labels, _weight is null ? default : _weight.Span<double>(), _ignore, _smoothing, _lse!.Span<double>(), up.Span<double>(), dx.Span<double>());
        return [dx];
    }

    internal override void ReleaseSaved()
    {
        _x = _lse = _weight = null;
        _labels = [];
    }
}
