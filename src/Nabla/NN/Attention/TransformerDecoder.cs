namespace Nabla.NN;

/// <summary>
/// A stack of <c>numLayers</c> decoder layers and an optional final LayerNorm, identical to PyTorch's
/// nn.TransformerDecoder: children <c>layers.0</c> .. <c>layers.{n-1}</c> and <c>norm</c>. Every layer is a deep copy
/// of <paramref name="decoderLayer"/> (PyTorch's _get_clones), and every layer attends to the same memory.
/// </summary>
public sealed class TransformerDecoder : Module
{
    readonly ModuleList<TransformerDecoderLayer> _layers;
    readonly LayerNorm? _norm;

    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, LayerNorm? norm = null)
    {
        ArgumentNullException.ThrowIfNull(decoderLayer);
        if (numLayers < 1)
            throw new ArgumentException($"TransformerDecoder: num_layers must be at least 1, got {numLayers}.");
        _layers = RegisterModule("layers", new ModuleList<TransformerDecoderLayer>(Enumerable.Range(0, numLayers).Select(_ => decoderLayer.DeepCopy())));
        if (norm is not null) _norm = RegisterModule("norm", norm);
    }

    public IReadOnlyList<TransformerDecoderLayer> Layers => _layers;
    public LayerNorm? Norm => _norm;

    public override Tensor Forward(Tensor tgt) =>
        throw new InvalidOperationException("TransformerDecoder: forward needs the target and the encoder's memory; call Forward(tgt, memory, ...).");

    /// <summary>Runs every layer against the same <paramref name="memory"/> and masks (see <see cref="TransformerDecoderLayer"/>), then the final norm.</summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null,
        Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null)
    {
        ArgumentNullException.ThrowIfNull(tgt);
        var x = tgt;
        foreach (var layer in _layers) x = layer.Forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        return _norm is null ? x : _norm.Forward(x);
    }
}
