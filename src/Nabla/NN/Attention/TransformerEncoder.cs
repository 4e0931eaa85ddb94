namespace Nabla.NN;

/// <summary>
/// A stack of <c>numLayers</c> encoder layers and an optional final LayerNorm, identical to PyTorch's
/// nn.TransformerEncoder: children <c>layers.0</c> .. <c>layers.{n-1}</c> and <c>norm</c>. As in PyTorch's
/// _get_clones, every layer is a deep copy of <paramref name="encoderLayer"/> (the prototype itself is not used), so
/// all layers start from the same parameters and train apart from there.
/// </summary>
public sealed class TransformerEncoder : Module
{
    readonly ModuleList<TransformerEncoderLayer> _layers;
    readonly LayerNorm? _norm;

    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, LayerNorm? norm = null)
    {
        ArgumentNullException.ThrowIfNull(encoderLayer);
        if (numLayers < 1)
            throw new ArgumentException($"TransformerEncoder: num_layers must be at least 1, got {numLayers}.");
        _layers = RegisterModule("layers", new ModuleList<TransformerEncoderLayer>(Enumerable.Range(0, numLayers).Select(_ => encoderLayer.DeepCopy())));
        if (norm is not null) _norm = RegisterModule("norm", norm);
    }

    public IReadOnlyList<TransformerEncoderLayer> Layers => _layers;
    public LayerNorm? Norm => _norm;

    public override Tensor Forward(Tensor src) => Forward(src, null, null);

    /// <summary>Runs every layer with the same <paramref name="mask"/> and <paramref name="srcKeyPaddingMask"/>, then the final norm.</summary>
    public Tensor Forward(Tensor src, Tensor? mask, Tensor? srcKeyPaddingMask)
    {
        ArgumentNullException.ThrowIfNull(src);
        var x = src;
        foreach (var layer in _layers) x = layer.Forward(x, mask, srcKeyPaddingMask);
        return _norm is null ? x : _norm.Forward(x);
    }
}
