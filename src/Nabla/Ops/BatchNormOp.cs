using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Training-mode batch normalisation with the affine map fused in (see <see cref="BatchNormKernel"/>): one node
/// instead of normalise + broadcast multiply + broadcast add, so a step makes one pass to write y and one to
/// write dx, and the weight and bias gradients fall out of the sums dx needs anyway. The graph keeps x (alive
/// anyway as the previous layer's output) and two [C] vectors. Tested against its composed twin
/// (NormalizeOp followed by x̂·w + b). The caller (Functional.BatchNorm) passes weight and bias of x's dtype
/// (or null) and a rank ≥ 2 floating x.
/// </summary>
internal sealed class BatchNormOp : Node
{
    Tensor? _x, _w, _mean, _invStd;
    int _a, _c, _b;

    public override string Name => "NativeBatchNormBackward";

    /// <summary>y, plus the per-channel batch mean and biased variance (plain [C] tensors for the running statistics).</summary>
    public static (Tensor Y, Tensor Mean, Tensor Var) Forward(Tensor x, Tensor? weight, Tensor? bias, int a, int c, int b, double eps)
    {
        x = x.Contiguous();
        var y = Tensor.Uninitialized(x.Shape, x.DType);
        var mean = new Tensor([c], x.DType);
        var variance = new Tensor([c], x.DType);
        var invStd = new Tensor([c], x.DType);
        if (x.DType == DType.Float32) Run<float>(x, weight, bias, a, c, b, eps, y, mean, variance, invStd);
        else Run<double>(x, weight, bias, a, c, b, eps, y, mean, variance, invStd);
        bool wants = GradMode.IsEnabled && (x.RequiresGrad || weight is { RequiresGrad: true } || bias is { RequiresGrad: true });
        if (wants)
            Graph.Attach(y, new BatchNormOp { _x = x.Detach(), _w = weight?.Detach(), _mean = mean, _invStd = invStd, _a = a, _c = c, _b = b }, x, weight, bias);
        return (y, mean, variance);
    }

    static void Run<T>(Tensor x, Tensor? weight, Tensor? bias, int a, int c, int b, double eps, Tensor y, Tensor mean, Tensor variance, Tensor invStd)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m = mean.Span<T>();
        var v = variance.Span<T>();
        var s = invStd.Span<T>();
        BatchNormKernel.Statistics(x.Span<T>(), a, c, b, m, v);
        T e = T.CreateTruncating(eps);
        var scale = new T[c];
        var shift = new T[c];
        var w = weight is null ? default : weight.Contiguous().Span<T>();
        var bs = bias is null ? default : bias.Contiguous().Span<T>();
        for (int ch = 0; ch < c; ch++)
        {
            s[ch] = T.One / T.Sqrt(v[ch] + e);
            scale[ch] = weight is null ? s[ch] : w[ch] * s[ch];
            shift[ch] = bias is null ? T.Zero : bs[ch];
        }
        BatchNormKernel.Normalize<T>(x.Span<T>(), a, c, b, m, scale, shift, y.Span<T>());
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x!;
        g = g.To(x.DType).Contiguous();
        var dx = NeedsGrad(0) ? Tensor.Uninitialized(x.Shape, x.DType) : null;
        var dw = new Tensor([_c], x.DType);
        var db = new Tensor([_c], x.DType);
        if (x.DType == DType.Float32) Grads<float>(g, x, dx, dw, db);
        else Grads<double>(g, x, dx, dw, db);
        return [dx, NeedsGrad(1) ? dw : null, NeedsGrad(2) ? db : null];
    }

    void Grads<T>(Tensor g, Tensor x, Tensor? dx, Tensor dw, Tensor db) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var w = _w is null ? default : _w.Contiguous().Span<T>();
        BatchNormKernel.Backward<T>(g.Span<T>(), x.Span<T>(), _a, _c, _b, _mean!.Span<T>(), _invStd!.Span<T>(), w,
            dx is null ? default : dx.Span<T>(), dw.Span<T>(), db.Span<T>());
    }

    internal override void ReleaseSaved() => _x = _w = _mean = _invStd = null;
}
