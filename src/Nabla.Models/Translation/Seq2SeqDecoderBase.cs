using Nabla.Models.Text;
namespace Nabla.Models.Translation;

/// <summary>
/// A decoder's state between calls, whatever the decoder keeps (the GRU state, a fixed context, the encoder outputs…).
/// <see cref="SelectRows"/> is what the searches need to reorder and duplicate hypotheses.
/// </summary>
public abstract record DecoderState
{
    /// <summary>The state of batch rows <paramref name="index"/> (int64 [B], rows may repeat).</summary>
    public abstract DecoderState SelectRows(Tensor index);
}

/// <summary>
/// What <see cref="EncoderDecoder"/> needs from a decoder: its sizes, its initial state from the encoder's outputs and
/// final state (and the source valid lengths), and logits [N, T, V] of token ids [N, T] from a state.
/// </summary>
public abstract class Seq2SeqDecoderBase : Module
{
    public abstract int VocabSize { get; }
    public abstract int NumHiddens { get; }
    public abstract int NumLayers { get; }

    /// <summary>The initial state for a batch encoded as <paramref name="encoded"/> (outputs [T, N, H], state [layers, N, H]).</summary>
    public abstract DecoderState Start(RecurrentOutput encoded, Tensor? sourceLengths);

    /// <summary>Logits [N, T, V] for token ids [N, T] from <paramref name="state"/>, and the state after the last step.</summary>
    public abstract (Tensor Logits, DecoderState State) Decode(Tensor input, DecoderState state);

    public override Tensor Forward(Tensor input) =>
        throw new InvalidOperationException($"{TypeName}: call Forward(input, state); the decoder needs the encoder's state.");

    /// <summary>The state as the type this decoder made, or a clear error naming both.</summary>
    protected TState Expect<TState>(DecoderState state) where TState : DecoderState
    {
        ArgumentNullException.ThrowIfNull(state);
        return state as TState ?? throw new ArgumentException(
            $"{TypeName}: expected a {typeof(TState).Name} (from its own Start/InitState), got a {state.GetType().Name}.");
    }
}
