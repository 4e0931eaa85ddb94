namespace Nabla.NN;

/// <summary>
/// The whole encoder–decoder Transformer, identical to PyTorch's nn.Transformer: <c>encoder</c> (a
/// <see cref="TransformerEncoder"/> with a final <c>encoder.norm</c>) and <c>decoder</c> (a
/// <see cref="TransformerDecoder"/> with <c>decoder.norm</c>). As PyTorch's _reset_parameters, every parameter with
/// more than one dimension is then re-drawn with xavier_uniform_, so the layers no longer share their start.
/// Embeddings and the output projection are the caller's, as in PyTorch.
/// </summary>
public sealed class Transformer : Module
{
    readonly TransformerEncoder _encoder;
    readonly TransformerDecoder _decoder;

    public int DModel { get; }
    public int NHead { get; }
    public bool BatchFirst { get; }

    public Transformer(int dModel = 512, int nHead = 8, int numEncoderLayers = 6, int numDecoderLayers = 6, int dimFeedforward = 2048,
        double dropout = 0.1, string activation = "relu", double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        DModel = dModel;
        NHead = nHead;
        BatchFirst = batchFirst;
        var encoderLayer = new TransformerEncoderLayer(dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, dtype, generator);
        _encoder = RegisterModule("encoder", new TransformerEncoder(encoderLayer, numEncoderLayers, new LayerNorm(dModel, layerNormEps, dtype: dtype)));
        var decoderLayer = new TransformerDecoderLayer(dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, dtype, generator);
        _decoder = RegisterModule("decoder", new TransformerDecoder(decoderLayer, numDecoderLayers, new LayerNorm(dModel, layerNormEps, dtype: dtype)));
        foreach (var (_, p) in NamedParameters())
            if (p.Rank > 1) Init.XavierUniform(p, generator: generator);
    }

    public TransformerEncoder Encoder => _encoder;
    public TransformerDecoder Decoder => _decoder;

    public override Tensor Forward(Tensor src) =>
        throw new InvalidOperationException("Transformer: forward needs the source and the target; call Forward(src, tgt, ...).");

    /// <summary>
    /// <c>memory = encoder(src, srcMask, srcKeyPaddingMask)</c>, then <c>decoder(tgt, memory, tgtMask, memoryMask,
    /// tgtKeyPaddingMask, memoryKeyPaddingMask)</c>. src [S, N, E], tgt [T, N, E] ([N, S, E] / [N, T, E] with batch_first,
    /// or unbatched [S, E] / [T, E]).
    /// </summary>
    public Tensor Forward(Tensor src, Tensor tgt, Tensor? srcMask = null, Tensor? tgtMask = null, Tensor? memoryMask = null,
        Tensor? srcKeyPaddingMask = null, Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(tgt);
        string shapes = $"src {src.ShapeText}, tgt {tgt.ShapeText}";
        if (src.Rank != tgt.Rank || src.Rank is not (2 or 3))
            throw new ArgumentException($"Transformer: src and tgt must both be 3-D or both 2-D unbatched, got {shapes}.");
        int batchDim = BatchFirst ? 0 : 1;
        if (src.Rank == 3 && src.Size(batchDim) != tgt.Size(batchDim))
            throw new ArgumentException($"Transformer: the batch number of src and tgt must be equal (dim {batchDim}), got {shapes}.");
        if (src.Size(-1) != DModel || tgt.Size(-1) != DModel)
            throw new ArgumentException($"Transformer: the feature number of src and tgt must be equal to d_model {DModel}, got {shapes}.");
        var memory = _encoder.Forward(src, srcMask, srcKeyPaddingMask);
        return _decoder.Forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
    }

    /// <summary>PyTorch's Transformer.generate_square_subsequent_mask: see <see cref="Functional.SquareSubsequentMask"/>.</summary>
    public static Tensor GenerateSquareSubsequentMask(int size, DType dtype = DType.Float32) => Functional.SquareSubsequentMask(size, dtype);
}
