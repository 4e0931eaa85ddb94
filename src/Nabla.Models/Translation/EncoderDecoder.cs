using Nabla.Models.Text;
namespace Nabla.Models.Translation;

/// <summary>
/// The notes' EncoderDecoder (10.6) around <see cref="Seq2SeqEncoder"/> and a decoder (<see cref="Seq2SeqDecoder"/>,
/// or <see cref="Seq2SeqAttentionDecoder"/>): encode the
/// source, start the decoder from the encoder's final state, and read the decoder input (teacher forcing in
/// training). State dict: <c>encoder.*</c>, <c>decoder.*</c>. It is also the <see cref="IStepModel{TState}"/> of the
/// searches: one step feeds the last tokens and returns log-softmax of the logits.
/// </summary>
public sealed class EncoderDecoder : TranslationModel<DecoderState>
{
    readonly Seq2SeqEncoder _encoder;
    readonly Seq2SeqDecoderBase _decoder;

    public EncoderDecoder(Seq2SeqEncoder encoder, Seq2SeqDecoderBase decoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(decoder);
        if (encoder.NumHiddens != decoder.NumHiddens || encoder.NumLayers != decoder.NumLayers)
            throw new ArgumentException($"EncoderDecoder: the encoder ({encoder.NumLayers} layers of {encoder.NumHiddens}) and the decoder ({decoder.NumLayers} layers of {decoder.NumHiddens}) must have the same layers and hidden size.");
        _encoder = RegisterModule("encoder", encoder);
        _decoder = RegisterModule("decoder", decoder);
    }

    /// <summary>The notes' configuration: the same embedding size, hidden size, layers and dropout on both sides.</summary>
    public static EncoderDecoder Create(int sourceVocab, int targetVocab, int embedSize, int numHiddens, int numLayers, double dropout = 0,
        DType dtype = DType.Float32, Generator? generator = null) =>
        new(new Seq2SeqEncoder(sourceVocab, embedSize, numHiddens, numLayers, dropout, dtype, generator),
            new Seq2SeqDecoder(targetVocab, embedSize, numHiddens, numLayers, dropout, dtype, generator));

    /// <summary>The notes' attention model (10.4): the same encoder with a <see cref="Seq2SeqAttentionDecoder"/>.</summary>
    public static EncoderDecoder CreateWithAttention(int sourceVocab, int targetVocab, int embedSize, int numHiddens, int numLayers, double dropout = 0,
        DType dtype = DType.Float32, Generator? generator = null) =>
        new(new Seq2SeqEncoder(sourceVocab, embedSize, numHiddens, numLayers, dropout, dtype, generator),
            new Seq2SeqAttentionDecoder(targetVocab, embedSize, numHiddens, numLayers, dropout, dtype, generator));

    public Seq2SeqEncoder Encoder => _encoder;
    public Seq2SeqDecoderBase Decoder => _decoder;

    /// <summary>Logits [N, T_dec, V] of the decoder input given the source ids [N, T_src] (and their valid lengths).</summary>
    public override Tensor Forward(Tensor source, Tensor decoderInput, Tensor? sourceLengths = null)
    {
        var state = Start(source, sourceLengths);
        if (decoderInput is not null && decoderInput.Rank == 2 && decoderInput.Size(0) != source.Size(0))
            throw new ArgumentException($"EncoderDecoder: the source has {source.Size(0)} sentences but the decoder input {decoderInput.Shape.ShapeString()} has {decoderInput.Size(0)}.");
        return _decoder.Decode(decoderInput!, state).Logits;
    }

    /// <summary>The decoder's initial state for a batch of source sentences.</summary>
    public override DecoderState Start(Tensor source, Tensor? sourceLengths = null) => _decoder.Start(_encoder.Encode(source, sourceLengths), sourceLengths);

    /// <summary>
    /// Teacher forcing: the decoder input is &lt;bos&gt; followed by the target without its last token, so the
    /// decoder predicts target[t] having seen target[..t). Target int64 [N, T] → [N, T].
    /// </summary>
    public static Tensor TeacherForcingInput(Tensor target, int bosId)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Rank != 2 || target.DType != DType.Int64 || target.Size(1) == 0)
            throw new ArgumentException($"EncoderDecoder.TeacherForcingInput: expected int64 target ids [batch, steps] with steps ≥ 1, got {target.DType.TorchName()} {target.Shape.ShapeString()}.");
        int n = target.Size(0);
        var bos = Tensor.Full([n, 1], bosId, DType.Int64);
        return Tensor.Cat([bos, target.Narrow(1, 0, target.Size(1) - 1)], 1);
    }

    public override (Tensor LogProbs, DecoderState State) Step(DecoderState state, Tensor lastTokens)
    {
        ArgumentNullException.ThrowIfNull(lastTokens);
        var (logits, next) = _decoder.Decode(lastTokens.Unsqueeze(1), state);
        return (logits.Select(1, 0).LogSoftmax(-1), next);
    }

    public override DecoderState SelectRows(DecoderState state, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rows);
        return state.SelectRows(Tensor.From([.. rows.Select(r => (long)r)], rows.Length));
    }
}
