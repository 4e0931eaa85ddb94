using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Standardisation with batch statistics, the fused core of BatchNorm/LayerNorm/GroupNorm (train mode): a tensor
/// seen as [A, C, B] becomes x̂ = (x − mean_c)/√(var_c + eps), statistics per channel c over (a, b). The affine
/// weight and bias are applied afterwards by ordinary broadcast ops. The backward differentiates through the
/// statistics in one pass (see <see cref="NormalizeKernel.Backward"/>); the composed twin, built from Mean, Var,
/// Sqrt and division, is checked against it in the tests.
/// </summary>
internal sealed class NormalizeOp : Node
{
    Tensor? _xhat, _invStd;
    int _a, _c, _b;

    public override string Name => "NativeNormBackward";

    /// <summary>x̂ (recorded), and the per-channel mean and biased variance (plain tensors of shape [C]).</summary>
    public static (Tensor XHat, Tensor Mean, Tensor Var) Forward(Tensor x, int a, int c, int b, double eps)
    {
        var (xhat, mean, variance) = NormalizeKernel.Forward(x, a, c, b, eps);
        if (Graph.Wants(x))
        {
            Tensor invStd;
            using (new NoGrad()) invStd = 1.0 / (variance + eps).Sqrt();
            Graph.Attach(xhat, new NormalizeOp { _xhat = xhat.Detach(), _invStd = invStd, _a = a, _c = c, _b = b }, x);
        }
        return (xhat, mean, variance);
    }

    internal override Tensor?[] Backward(Tensor g) => [NormalizeKernel.Backward(g, _xhat!, _invStd!, _a, _c, _b)];

    internal override void ReleaseSaved() => _xhat = _invStd = null;
}
