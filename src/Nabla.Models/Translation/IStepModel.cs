using Nabla.Models.Text;
namespace Nabla.Models.Translation;

/// <summary>
/// What a search needs from an autoregressive decoder (the GRU seq2seq, the attention seq2seq, the Transformer):
/// one decoding step for a batch of hypotheses, and a way to reorder / duplicate the hypotheses' states.
/// </summary>
/// <typeparam name="TState">the decoder's state for a batch of B hypotheses (hidden states, encoder outputs, caches…).</typeparam>
public interface IStepModel<TState>
{
    /// <summary>
    /// Log-probabilities [B, V] (float, each row a log-softmax) of the token that follows, for B hypotheses in
    /// <paramref name="state"/> whose last tokens are <paramref name="lastTokens"/> (int64 [B]), and the state after the step.
    /// </summary>
    (Tensor LogProbs, TState State) Step(TState state, Tensor lastTokens);

    /// <summary>The state of the hypotheses <paramref name="rows"/>[0], <paramref name="rows"/>[1], … (rows may repeat).</summary>
    TState SelectRows(TState state, int[] rows);
}

/// <summary>
/// One decoded sequence: <see cref="Tokens"/> without &lt;bos&gt; and without the final &lt;eos&gt;, whether it
/// <see cref="Ended"/> with &lt;eos&gt;, and <see cref="LogProb"/> = Σ log p over every generated token (&lt;eos&gt; included).
/// </summary>
public sealed record Hypothesis(int[] Tokens, double LogProb, bool Ended)
{
    /// <summary>L of the length penalty: the generated tokens up to and including &lt;eos&gt;.</summary>
    public int Length => Tokens.Length + (Ended ? 1 : 0);

    /// <summary>The notes' final score (1/L^α) Σ log p (10.8.3; α = 0.75 there).</summary>
    public double Score(double alpha) => LogProb / Math.Pow(Length, alpha);

    public override string ToString() => $"[{string.Join(' ', Tokens)}]{(Ended ? " <eos>" : "")} logp={LogProb:G6}";
}
