using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// log Σ exp(x) over dims, computed stably (see <see cref="LogSumExpKernel"/>). Integer inputs are
/// promoted to float32 as in PyTorch. The gradient is softmax over the reduced dims: g · exp(x − y).
/// </summary>
internal sealed class LogSumExpOp : Node
{
    Tensor? _x, _y;
    int[] _keptShape = [];

    public static Tensor Forward(Tensor x, int[]? dims, bool keepDim)
    {
        var reduced = ReductionDims.Mask(x, dims, "logsumexp");
        if (!x.DType.IsFloating()) x = x.To(DType.Float32);
        var y = LogSumExpKernel.LogSumExp(x, reduced);
        var kept = SumOp.KeptShape(x._shape, reduced);
        if (keepDim) y = y.Reshape(kept);
        return Graph.Wants(x) ? Graph.Attach(y, new LogSumExpOp { _x = x.Detach(), _y = y.Detach(), _keptShape = kept }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) =>
        [(_x! - _y!.Reshape(_keptShape)).Exp() * g.Reshape(_keptShape)];

    internal override void ReleaseSaved() => _x = _y = null;
}
