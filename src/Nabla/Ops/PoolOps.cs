using Nabla.Autograd;
using Nabla.Backends.Cpu.Conv;

namespace Nabla.Ops;

/// <summary>
/// Max pooling over the last two dims of a contiguous [N, C, H, W] tensor. The forward pass records the flat
/// in-plane index of each window's winner (PyTorch's return_indices); backward routes each output gradient
/// to that element, so ties give the whole gradient to the first maximum, as PyTorch does.
/// </summary>
internal sealed class MaxPool2dOp : Node
{
    Tensor? _indices;
    int[] _inShape = [];

    public override string Name => "MaxPool2DWithIndicesBackward";

    public static (Tensor Output, Tensor Indices) Forward(Tensor x, ConvGeometry g)
    {
        var outShape = new[] { x._shape[0], x._shape[1], g.OutH, g.OutW };
        var y = Tensor.Uninitialized(outShape, x.DType);
        var indices = Tensor.Uninitialized(outShape, DType.Int64);
        int planes = x._shape[0] * x._shape[1];
        if (x.DType == DType.Float32) PoolKernels.MaxForward<float>(x.Span<float>(), planes, g, y.Span<float>(), indices.Span<long>());
        else PoolKernels.MaxForward<double>(x.Span<double>(), planes, g, y.Span<double>(), indices.Span<long>());
        if (Graph.Wants(x)) Graph.Attach(y, new MaxPool2dOp { _indices = indices, _inShape = x._shape }, x);
        return (y, indices);
    }

    internal override Tensor?[] Backward(Tensor g) => [RouteToIndices(g, _indices!, _inShape)];

    /// <summary>Shared with adaptive max pooling: gradient of a max whose winners are <paramref name="indices"/>.</summary>
    internal static Tensor RouteToIndices(Tensor g, Tensor indices, int[] inShape)
    {
        g = g.Contiguous();
        var dx = Tensor.Uninitialized(inShape, g.DType);
        int planes = inShape[0] * inShape[1], inPlane = inShape[2] * inShape[3], outPlane = g._shape[2] * g._shape[3];
        if (g.DType == DType.Float32) PoolKernels.MaxBackward<float>(g.Span<float>(), indices.Span<long>(), planes, inPlane, outPlane, dx.Span<float>());
        else PoolKernels.MaxBackward<double>(g.Span<double>(), indices.Span<long>(), planes, inPlane, outPlane, dx.Span<double>());
        return dx;
    }

    internal override void ReleaseSaved() => _indices = null;
}

/// <summary>
/// Average pooling over the last two dims of a contiguous [N, C, H, W] tensor; the divisor counts padded
/// cells when <c>countIncludePad</c> (PyTorch's default) and never counts the overhang of ceil mode.
/// Backward spreads each output gradient evenly over its window with the same divisor.
/// </summary>
internal sealed class AvgPool2dOp : Node
{
    ConvGeometry _g;
    bool _countIncludePad;
    int[] _inShape = [];

    public override string Name => "AvgPool2DBackward";

    public static Tensor Forward(Tensor x, ConvGeometry g, bool countIncludePad)
    {
        var y = Tensor.Uninitialized([x._shape[0], x._shape[1], g.OutH, g.OutW], x.DType);
        int planes = x._shape[0] * x._shape[1];
        if (x.DType == DType.Float32) PoolKernels.AvgForward<float>(x.Span<float>(), planes, g, countIncludePad, y.Span<float>());
        else PoolKernels.AvgForward<double>(x.Span<double>(), planes, g, countIncludePad, y.Span<double>());
        return Graph.Wants(x) ? Graph.Attach(y, new AvgPool2dOp { _g = g, _countIncludePad = countIncludePad, _inShape = x._shape }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        g = g.Contiguous();
        var dx = Tensor.Uninitialized(_inShape, g.DType);
        int planes = _inShape[0] * _inShape[1];
        if (g.DType == DType.Float32) PoolKernels.AvgBackward<float>(g.Span<float>(), planes, _g, _countIncludePad, dx.Span<float>());
        else PoolKernels.AvgBackward<double>(g.Span<double>(), planes, _g, _countIncludePad, dx.Span<double>());
        return [dx];
    }
}

/// <summary>Adaptive average pooling of a contiguous [N, C, H, W] tensor to [N, C, outH, outW] (windows: see AdaptivePoolKernels).</summary>
internal sealed class AdaptiveAvgPool2dOp : Node
{
    int[] _inShape = [];

    public override string Name => "AdaptiveAvgPool2DBackward";

    public static Tensor Forward(Tensor x, int outH, int outW)
    {
        int n = x._shape[0], c = x._shape[1], h = x._shape[2], w = x._shape[3];
        var y = Tensor.Uninitialized([n, c, outH, outW], x.DType);
        if (x.DType == DType.Float32) AdaptivePoolKernels.AvgForward<float>(x.Span<float>(), n * c, h, w, outH, outW, y.Span<float>());
        else AdaptivePoolKernels.AvgForward<double>(x.Span<double>(), n * c, h, w, outH, outW, y.Span<double>());
        return Graph.Wants(x) ? Graph.Attach(y, new AdaptiveAvgPool2dOp { _inShape = x._shape }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        g = g.Contiguous();
        var dx = Tensor.Uninitialized(_inShape, g.DType);
        int planes = _inShape[0] * _inShape[1], h = _inShape[2], w = _inShape[3], oh = g._shape[2], ow = g._shape[3];
        if (g.DType == DType.Float32) AdaptivePoolKernels.AvgBackward<float>(g.Span<float>(), planes, h, w, oh, ow, dx.Span<float>());
        else AdaptivePoolKernels.AvgBackward<double>(g.Span<double>(), planes, h, w, oh, ow, dx.Span<double>());
        return [dx];
    }
}

/// <summary>Adaptive max pooling of a contiguous [N, C, H, W] tensor; backward as max pooling's, through the recorded winners.</summary>
internal sealed class AdaptiveMaxPool2dOp : Node
{
    Tensor? _indices;
    int[] _inShape = [];

    public override string Name => "AdaptiveMaxPool2DBackward";

    public static (Tensor Output, Tensor Indices) Forward(Tensor x, int outH, int outW)
    {
        int n = x._shape[0], c = x._shape[1], h = x._shape[2], w = x._shape[3];
        var y = Tensor.Uninitialized([n, c, outH, outW], x.DType);
        var indices = Tensor.Uninitialized([n, c, outH, outW], DType.Int64);
        if (x.DType == DType.Float32) AdaptivePoolKernels.MaxForward<float>(x.Span<float>(), n * c, h, w, outH, outW, y.Span<float>(), indices.Span<long>());
        else AdaptivePoolKernels.MaxForward<double>(x.Span<double>(), n * c, h, w, outH, outW, y.Span<double>(), indices.Span<long>());
        if (Graph.Wants(x)) Graph.Attach(y, new AdaptiveMaxPool2dOp { _indices = indices, _inShape = x._shape }, x);
        return (y, indices);
    }

    internal override Tensor?[] Backward(Tensor g) => [MaxPool2dOp.RouteToIndices(g, _indices!, _inShape)];

    internal override void ReleaseSaved() => _indices = null;
}
