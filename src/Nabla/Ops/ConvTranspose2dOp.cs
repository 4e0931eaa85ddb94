using Nabla.Autograd;
using Nabla.Backends.Cpu.Conv;

namespace Nabla.Ops;

/// <summary>
/// Transposed 2-D convolution of x [N, Cin, H, W] with w [Cin, Cout/G, kh, kw] (PyTorch's layout) and an
/// optional bias [Cout]: the adjoint of the convolution whose geometry maps the output [OH, OW] back to
/// [H, W]. Forward = GEMM (W_gᵀ·x_g) then col2im; dx = W_g·im2col(dy)_g (a plain convolution of dy);
/// dW = Σ_n x_g·im2col(dy)_gᵀ; db = Σ dy. The geometry's output size must equal x's spatial size (the
/// caller zero-extends x where output_padding ≥ stride makes it larger).
/// </summary>
internal sealed class ConvTranspose2dOp : Node
{
    Tensor? _x, _w;
    ConvShape _shape;

    public override string Name => "ConvolutionBackward";

    /// <param name="geometry">The adjoint convolution's geometry: its input is this op's output size.</param>
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, ConvGeometry geometry, int groups)
    {
        int n = x._shape[0], outChannels = w._shape[1] * groups;
        var s = new ConvShape(n, outChannels, x._shape[1], groups, geometry);
        var y = new Tensor([n, outChannels, geometry.InH, geometry.InW], x.DType);
        if (x.DType == DType.Float32) Run<float>(s, x, w, bias, y);
        else Run<double>(s, x, w, bias, y);
        bool wants = bias is null ? Graph.Wants(x, w) : Graph.Wants([x, w, bias]);
        return wants ? Graph.Attach(y, new ConvTranspose2dOp { _x = x, _w = w, _shape = s }, x, w, bias) : y;
    }

    static void Run<T>(in ConvShape s, Tensor x, Tensor w, Tensor? bias, Tensor y) where T : unmanaged, System.Numerics.INumber<T>
    {
        ConvKernels.UnfoldedFromMatrix<T>(s, x.Span<T>(), w.Span<T>(), y.Span<T>());
        if (bias is not null)
            ConvKernels.AddBias<T>(y.Span<T>(), s.Batch, s.UnfoldedChannels, s.Geometry.InH * s.Geometry.InW, bias.Span<T>());
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        g = g.Contiguous();
        var x = _x!;
        var w = _w!;
        Tensor? dx = null, dw = null, db = null;
        if (NeedsGrad(0)) dx = new Tensor(x._shape, x.DType);
        if (NeedsGrad(1)) dw = new Tensor(w._shape, w.DType);
        if (NeedsGrad(2)) db = new Tensor([_shape.UnfoldedChannels], g.DType);
        if (g.DType == DType.Float32) Grads<float>(_shape, g, x, w, dx, dw, db);
        else Grads<double>(_shape, g, x, w, dx, dw, db);
        return [dx, dw, db];
    }

    static void Grads<T>(in ConvShape s, Tensor g, Tensor x, Tensor w, Tensor? dx, Tensor? dw, Tensor? db) where T : unmanaged, System.Numerics.INumber<T>
    {
        if (dx is not null) ConvKernels.MatrixFromUnfolded<T>(s, g.Span<T>(), w.Span<T>(), dx.Span<T>());
        if (dw is not null) ConvKernels.WeightGradient<T>(s, x.Span<T>(), g.Span<T>(), dw.Span<T>());
        if (db is not null)
            ConvKernels.BiasGradient<T>(g.Span<T>(), s.Batch, s.UnfoldedChannels, s.Geometry.InH * s.Geometry.InW, db.Span<T>());
    }

    internal override void ReleaseSaved() => _x = _w = null;
}
