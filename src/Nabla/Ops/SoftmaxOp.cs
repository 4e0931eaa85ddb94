using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Softmax or log-softmax along one dim as one fused op (see <see cref="SoftmaxKernel"/>). The backward reads only
/// the saved output: softmax y ⊙ (g − Σ g·y), log-softmax g − e^y · Σ g. Tested against the composed twins
/// exp(x − max) / Σ and x − logsumexp(x).
/// </summary>
internal sealed class SoftmaxOp : Node
{
    Tensor? _y;
    int _dim;
    bool _log;

    public override string Name => _log ? "LogSoftmaxBackward" : "SoftmaxBackward";

    public static Tensor Forward(Tensor x, int dim, bool log)
    {
        string op = log ? "log_softmax" : "softmax";
        ActivationArgs.RequireFloating(x, op);
        int d = Layout.NormalizeDim(dim, x.Rank, op); // a 0-d tensor accepts dim 0 or −1, as in PyTorch
        var y = SoftmaxKernel.Forward(x, d, log);
        return Graph.Wants(x) ? Graph.Attach(y, new SoftmaxOp { _y = y.Detach(), _dim = d, _log = log }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) => [SoftmaxKernel.Backward(g, _y!, _dim, _log)];

    internal override void ReleaseSaved() => _y = null;
}
