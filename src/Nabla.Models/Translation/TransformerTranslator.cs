using Nabla.Models.Text;
namespace Nabla.Models.Translation;

/// <summary>
/// The decoder state of <see cref="TransformerTranslator"/> for B hypotheses: the encoder's output
/// <see cref="Memory"/> [B, S, d], which source positions are padding (<see cref="SourcePadding"/>, bool [B, S],
/// True = ignore; null when every position is real), and the target tokens fed so far (<see cref="Prefix"/>,
/// int64 [B, t], starting with &lt;bos&gt;; [B, 0] before the first step).
/// </summary>
public sealed record TransformerTranslatorState(Tensor Memory, Tensor? SourcePadding, Tensor Prefix);

/// <summary>
/// The notes' Transformer for translation (10.7): source and target embeddings scaled by √d plus sinusoidal
/// positions, nn.Transformer (encoder and decoder stacks, batch-first) with the source padding masked in the
/// encoder and in cross-attention and a causal mask on the target, and a Linear to the target vocabulary.
/// State dict: <c>source_embedding.*</c>, <c>target_embedding.*</c>, <c>transformer.*</c> (PyTorch's names), <c>dense.*</c>.
/// </summary>
/// <remarks>
/// Decoding re-runs the decoder over the whole prefix at each step (no key/value cache): sentences here are at most
/// a dozen tokens, and the result is then exactly the teacher-forced forward pass's last position.
/// The embeddings start from N(0, 1/d) (Vaswani et al.'s scaling of the shared table), so after the √d factor
/// they have the unit scale of the positional table; PyTorch's N(0, 1) default would drown the positions.
/// </remarks>
public sealed class TransformerTranslator : TranslationModel<TransformerTranslatorState>
{
    readonly Embedding _sourceEmbedding;
    readonly Embedding _targetEmbedding;
    readonly PositionalEncoding _positions;
    readonly Transformer _transformer;
    readonly Linear _dense;

    public int SourceVocabSize { get; }
    public int TargetVocabSize { get; }
    public int DModel { get; }

    /// <param name="maxLength">the longest source or target the positional table covers; longer input throws.</param>
    public TransformerTranslator(int sourceVocab, int targetVocab, int dModel = 256, int heads = 4, int encoderLayers = 2, int decoderLayers = 2,
        int feedForward = 1024, double dropout = 0.1, bool normFirst = false, int maxLength = 128, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (sourceVocab < 1 || targetVocab < 1)
            throw new ArgumentException($"TransformerTranslator: both vocabularies need at least one token, got source {sourceVocab} and target {targetVocab}.");
        SourceVocabSize = sourceVocab;
        TargetVocabSize = targetVocab;
        DModel = dModel;
        _sourceEmbedding = RegisterModule("source_embedding", new Embedding(sourceVocab, dModel, dtype: dtype, generator: generator));
        _targetEmbedding = RegisterModule("target_embedding", new Embedding(targetVocab, dModel, dtype: dtype, generator: generator));
        _positions = RegisterModule("positions", new PositionalEncoding(dModel, dropout, maxLength, dtype));
        _transformer = RegisterModule("transformer", new Transformer(dModel, heads, encoderLayers, decoderLayers, feedForward, dropout,
            batchFirst: true, normFirst: normFirst, dtype: dtype, generator: generator));
        _dense = RegisterModule("dense", new Linear(dModel, targetVocab, bias: true, dtype, generator));
        Init.Normal(_sourceEmbedding.Weight, 0, 1 / Math.Sqrt(dModel), generator);
        Init.Normal(_targetEmbedding.Weight, 0, 1 / Math.Sqrt(dModel), generator);
    }

    public Transformer Transformer => _transformer;

    public override Tensor Forward(Tensor source, Tensor decoderInput, Tensor? sourceLengths = null)
    {
        var state = Start(source, sourceLengths);
        Seq2SeqChecks.Ids(decoderInput, TargetVocabSize, TypeName);
        if (decoderInput.Size(0) != source.Size(0))
            throw new ArgumentException($"{TypeName}: the source has {source.Size(0)} sentences but the decoder input {decoderInput.Shape.ShapeString()} has {decoderInput.Size(0)}.");
        return Decode(decoderInput, state);
    }

    public override TransformerTranslatorState Start(Tensor source, Tensor? sourceLengths = null)
    {
        Seq2SeqChecks.Ids(source, SourceVocabSize, TypeName);
        int n = source.Size(0), s = source.Size(1);
        Tensor? padding = null;
        if (sourceLengths is not null)
        {
            if (sourceLengths.Rank != 1 || sourceLengths.DType != DType.Int64 || sourceLengths.Size(0) != n)
                throw new ArgumentException($"{TypeName}: the source lengths must be int64 [{n}] for source ids {source.Shape.ShapeString()}, got {sourceLengths.DType.TorchName()} {sourceLengths.Shape.ShapeString()}.");
            // A sentence without one real position would leave its queries nothing to attend to.
            long shortest = sourceLengths.Min().Item<long>(), longest = sourceLengths.Max().Item<long>();
            if (shortest < 1 || longest > s)
                throw new ArgumentException($"{TypeName}: every source length must lie in 1..{s} (the padded width of {source.Shape.ShapeString()}), got lengths from {shortest} to {longest}.");
            padding = Tensor.Arange((long)s).Unsqueeze(0).Ge(sourceLengths.Unsqueeze(1));
        }
        var memory = _transformer.Encoder.Forward(Embed(_sourceEmbedding, source), null, padding);
        return new TransformerTranslatorState(memory, padding, Tensor.Zeros([n, 0], DType.Int64));
    }

    public override (Tensor LogProbs, TransformerTranslatorState State) Step(TransformerTranslatorState state, Tensor lastTokens)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(lastTokens);
        int n = state.Memory.Size(0);
        if (lastTokens.Rank != 1 || lastTokens.Size(0) != n)
            throw new ArgumentException($"{TypeName}: a step takes one token per hypothesis, int64 [{n}], got {lastTokens.DType.TorchName()} {lastTokens.Shape.ShapeString()}.");
        var prefix = Tensor.Cat([state.Prefix, lastTokens.Unsqueeze(1)], 1);
        var logits = Decode(prefix, state);
        return (logits.Select(1, prefix.Size(1) - 1).LogSoftmax(-1), state with { Prefix = prefix });
    }

    public override TransformerTranslatorState SelectRows(TransformerTranslatorState state, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rows);
        var index = Tensor.From([.. rows.Select(r => (long)r)], rows.Length);
        return new TransformerTranslatorState(state.Memory.IndexSelect(0, index), state.SourcePadding?.IndexSelect(0, index), state.Prefix.IndexSelect(0, index));
    }

    /// <summary>
    /// The cross-attention weights of the last decoder layer (averaged over heads) for each target position of a
    /// teacher-forced pass: [N, T_dec, T_src]. What `nabla translate --attention` draws.
    /// </summary>
    public Tensor CrossAttentionWeights(Tensor source, Tensor decoderInput, Tensor? sourceLengths = null)
    {
        var attention = _transformer.Decoder.Layers[^1].MultiheadAttn;
        attention.RecordWeights = true;
        try
        {
            Forward(source, decoderInput, sourceLengths);
            return attention.LastWeights!;
        }
        finally
        {
            attention.RecordWeights = false;
        }
    }

    Tensor Decode(Tensor targetIds, TransformerTranslatorState state)
    {
        var causal = Functional.SquareSubsequentMask(targetIds.Size(1), state.Memory.DType);
        var hidden = _transformer.Decoder.Forward(Embed(_targetEmbedding, targetIds), state.Memory, causal, null, null, state.SourcePadding);
        return _dense.Forward(hidden);
    }

    Tensor Embed(Embedding embedding, Tensor ids) => _positions.Forward(embedding.Forward(ids) * Math.Sqrt(DModel));
}
