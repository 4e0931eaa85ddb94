using Nabla.Models.Text;
namespace Nabla.Models.Translation;

/// <summary>
/// What training and evaluation need from a translation model, whatever its decoder state: the teacher-forced
/// forward pass and the two searches. <see cref="EncoderDecoder"/> (GRU, with or without attention) and
/// <see cref="TransformerTranslator"/> are the implementations; <see cref="Seq2SeqTraining"/> works with any.
/// </summary>
public abstract class TranslationModel : Module
{
    public override Tensor Forward(Tensor input) =>
        throw new InvalidOperationException($"{TypeName}: call Forward(source, decoderInput, sourceLengths); the model needs both sides.");

    /// <summary>Logits [N, T_dec, V] of the decoder input [N, T_dec] given the source ids [N, T_src] and their valid lengths.</summary>
    public abstract Tensor Forward(Tensor source, Tensor decoderInput, Tensor? sourceLengths = null);

    /// <summary>Greedy search for every row of <paramref name="source"/> [N, T_src] (padded; <paramref name="sourceLengths"/> [N]).</summary>
    public abstract Hypothesis[] Greedy(Tensor source, Tensor? sourceLengths, SearchOptions options);

    /// <summary>Beam search for ONE source sentence [1, T_src]; <paramref name="monotone"/>: <see cref="BeamSearch.DecodeMonotone"/>.</summary>
    public abstract BeamResult Beam(Tensor source, int beamSize, SearchOptions options, bool monotone = false);
}

/// <summary>A translation model decoded step by step through <see cref="IStepModel{TState}"/>: the searches come for free.</summary>
public abstract class TranslationModel<TState> : TranslationModel, IStepModel<TState>
{
    /// <summary>The decoder's initial state for a batch of source sentences (the encoder's work).</summary>
    public abstract TState Start(Tensor source, Tensor? sourceLengths = null);

    public abstract (Tensor LogProbs, TState State) Step(TState state, Tensor lastTokens);

    public abstract TState SelectRows(TState state, int[] rows);

    public override Hypothesis[] Greedy(Tensor source, Tensor? sourceLengths, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        return GreedySearch.Decode(this, Start(source, sourceLengths), source.Size(0), options);
    }

    public override BeamResult Beam(Tensor source, int beamSize, SearchOptions options, bool monotone = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Rank != 2 || source.Size(0) != 1)
            throw new ArgumentException($"{TypeName}: beam search decodes one sentence at a time; expected source ids [1, steps], got {source.Shape.ShapeString()}.");
        var state = Start(source);
        return monotone ? BeamSearch.DecodeMonotone(this, state, beamSize, options) : BeamSearch.Decode(this, state, beamSize, options);
    }
}
