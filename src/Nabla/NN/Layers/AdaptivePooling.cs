namespace Nabla.NN;

/// <summary>
/// Adaptive average pooling to a fixed output size: output cell i covers input [⌊i·in/out⌋, ⌈(i+1)·in/out⌉),
/// so any input size works (windows overlap by one where the sizes do not divide).
/// </summary>
public sealed class AdaptiveAvgPool2d(Size2 outputSize) : Module
{
    public Size2 OutputSize { get; } = outputSize;

    public override Tensor Forward(Tensor input) => Functional.AdaptiveCore(TypeName, 2, input, OutputSize, max: false).Output;

    public override string ExtraRepr() => $"output_size={OutputSize}";
}

/// <summary>Adaptive max pooling to a fixed output size (windows as <see cref="AdaptiveAvgPool2d"/>).</summary>
public sealed class AdaptiveMaxPool2d(Size2 outputSize, bool returnIndices = false) : Module
{
    public Size2 OutputSize { get; } = outputSize;
    public bool ReturnIndices { get; } = returnIndices;

    public override Tensor Forward(Tensor input) => ForwardWithIndices(input).Output;

    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input) => Functional.AdaptiveCore(TypeName, 2, input, OutputSize, max: true);

    public override string ExtraRepr() => $"output_size={OutputSize}";
}

/// <summary>Adaptive average pooling of [N, C, L] to a fixed length.</summary>
public sealed class AdaptiveAvgPool1d(int outputSize) : Module
{
    public int OutputSize { get; } = outputSize;

    public override Tensor Forward(Tensor input) => Functional.AdaptiveCore(TypeName, 1, input, OutputSize, max: false).Output;

    public override string ExtraRepr() => $"output_size={OutputSize}";
}

/// <summary>Adaptive max pooling of [N, C, L] to a fixed length.</summary>
public sealed class AdaptiveMaxPool1d(int outputSize) : Module
{
    public int OutputSize { get; } = outputSize;

    public override Tensor Forward(Tensor input) => Functional.AdaptiveCore(TypeName, 1, input, OutputSize, max: true).Output;

    public override string ExtraRepr() => $"output_size={OutputSize}";
}

/// <summary>
/// Global average pooling (not a PyTorch class: the usual AdaptiveAvgPool2d(1) + Flatten head in one module).
/// [N, C, H, W] → [N, C], or [N, C, 1, 1] with keepDim; unbatched [C, H, W] → [C] (or [C, 1, 1]).
/// ExtraRepr prints "keepdim=True" only when set.
/// </summary>
public sealed class GlobalAvgPool2d(bool keepDim = false) : Module
{
    public bool KeepDim { get; } = keepDim;

    public override Tensor Forward(Tensor input) => Functional.GlobalCore(TypeName, input, KeepDim, max: false);

    public override string ExtraRepr() => KeepDim ? "keepdim=True" : "";
}

/// <summary>Global max pooling: AdaptiveMaxPool2d(1), flattened to [N, C] unless keepDim (see <see cref="GlobalAvgPool2d"/>).</summary>
public sealed class GlobalMaxPool2d(bool keepDim = false) : Module
{
    public bool KeepDim { get; } = keepDim;

    public override Tensor Forward(Tensor input) => Functional.GlobalCore(TypeName, input, KeepDim, max: true);

    public override string ExtraRepr() => KeepDim ? "keepdim=True" : "";
}
