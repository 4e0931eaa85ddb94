using Nabla.Autograd;
using Nabla.Backends.Cpu.Conv;

namespace Nabla.Ops;

/// <summary>
/// 2-D convolution (cross-correlation, as PyTorch) of x [N, C, H, W] with w [O, C/G, kh, kw] and an optional
/// bias [O]: im2col + GEMM per chunk of images and group, or a direct kernel for few output channels (see ConvKernels). Backward: dx = col2im(W_gᵀ·dy_g), dW = Σ_n dy_g·im2col(x)_gᵀ
/// (the columns are recomputed rather than kept, so the graph holds only x and w), db = Σ_{n,h,w} dy.
/// The caller (Functional) has checked ranks, channels, dtypes and sizes, and passes contiguous tensors.
/// </summary>
internal sealed class Conv2dOp : Node
{
    Tensor? _x, _w;
    ConvShape _shape;

    public override string Name => "ConvolutionBackward";

    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, ConvGeometry geometry, int groups)
    {
        int n = x._shape[0], outChannels = w._shape[0];
        var s = new ConvShape(n, x._shape[1], outChannels, groups, geometry);
        var y = Tensor.Uninitialized([n, outChannels, geometry.OutH, geometry.OutW], x.DType);
        if (x.DType == DType.Float32) Run<float>(s, x, w, bias, y);
        else Run<double>(s, x, w, bias, y);
        bool wants = bias is null ? Graph.Wants(x, w) : Graph.Wants([x, w, bias]);
        return wants ? Graph.Attach(y, new Conv2dOp { _x = x, _w = w, _shape = s }, x, w, bias) : y;
    }

    static void Run<T>(in ConvShape s, Tensor x, Tensor w, Tensor? bias, Tensor y) where T : unmanaged, System.Numerics.INumber<T>
    {
        // The bias is added while each chunk's result is still in cache (or starts the direct kernel's sums).
        ConvKernels.MatrixFromUnfolded<T>(s, x.Span<T>(), w.Span<T>(), y.Span<T>(), bias is null ? default : bias.Span<T>());
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        g = g.Contiguous();
        var x = _x!;
        var w = _w!;
        Tensor? dx = null, dw = null, db = null;
        if (NeedsGrad(0)) dx = Tensor.Uninitialized(x._shape, x.DType);
        if (NeedsGrad(1)) dw = Tensor.Uninitialized(w._shape, w.DType);
        if (NeedsGrad(2)) db = new Tensor([_shape.MatrixChannels], g.DType);
        if (g.DType == DType.Float32) Grads<float>(_shape, g, x, w, dx, dw, db);
        else Grads<double>(_shape, g, x, w, dx, dw, db);
        return [dx, dw, db];
    }

    static void Grads<T>(in ConvShape s, Tensor g, Tensor x, Tensor w, Tensor? dx, Tensor? dw, Tensor? db) where T : unmanaged, System.Numerics.INumber<T>
    {
        if (dx is not null) ConvKernels.UnfoldedFromMatrix<T>(s, g.Span<T>(), w.Span<T>(), dx.Span<T>());
        if (dw is not null) ConvKernels.WeightGradient<T>(s, g.Span<T>(), x.Span<T>(), dw.Span<T>());
        if (db is not null) ConvKernels.BiasGradient<T>(g.Span<T>(), s.Batch, s.MatrixChannels, s.Plane, db.Span<T>());
    }

    internal override void ReleaseSaved() => _x = _w = null;
}
