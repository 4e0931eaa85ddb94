using Nabla.Models.Translation;

namespace Nabla.Tests.Translation;

/// <summary>
/// A step model for search tests whose next-token distribution depends on (position, last token) through a fixed
/// random table of log-softmax rows: small enough to enumerate every sequence by brute force. The state of a row is
/// its position; <see cref="Steps"/> counts the calls, to check early stopping.
/// </summary>
sealed class TableStepModel : IStepModel<int[]>
{
    readonly double[,,] _logProbs;     // [position, last token, next token]

    public TableStepModel(int vocab, int maxLength, int seed, double temperature = 1.5)
    {
        Vocab = vocab;
        var rng = new System.Random(seed);
        _logProbs = new double[maxLength, vocab, vocab];
        for (int t = 0; t < maxLength; t++)
            for (int a = 0; a < vocab; a++)
            {
                var logits = Enumerable.Range(0, vocab).Select(_ => temperature * (rng.NextDouble() * 2 - 1)).ToArray();
                double max = logits.Max(), lse = max + Math.Log(logits.Sum(x => Math.Exp(x - max)));
                for (int b = 0; b < vocab; b++) _logProbs[t, a, b] = logits[b] - lse;
            }
    }

    /// <summary>A model whose rows are given: logProbs[position][last][next].</summary>
    public TableStepModel(double[,,] logProbs)
    {
        _logProbs = logProbs;
        Vocab = logProbs.GetLength(2);
    }

    public int Vocab { get; }
    public int Steps { get; private set; }

    public double LogProb(int position, int last, int next) => _logProbs[position, last, next];

    public (Tensor LogProbs, int[] State) Step(int[] state, Tensor lastTokens)
    {
        Steps++;
        var last = lastTokens.ToArray<long>();
        var rows = new double[state.Length * Vocab];
        for (int i = 0; i < state.Length; i++)
            for (int v = 0; v < Vocab; v++) rows[i * Vocab + v] = _logProbs[state[i], last[i], v];
        return (Tensor.From(rows, state.Length, Vocab), [.. state.Select(p => p + 1)]);
    }

    public int[] SelectRows(int[] state, int[] rows) => [.. rows.Select(r => state[r])];

    /// <summary>Every sequence the search could produce (ending with eos, or unended at maxLength), scored exactly.</summary>
    public IEnumerable<Hypothesis> Enumerate(int bos, int eos, int maxLength)
    {
        var stack = new Stack<(List<int> Tokens, int Last, double LogProb)>();
        stack.Push(([], bos, 0));
        while (stack.Count > 0)
        {
            var (tokens, last, logp) = stack.Pop();
            int position = tokens.Count;
            for (int v = 0; v < Vocab; v++)
            {
                double total = logp + _logProbs[position, last, v];
                if (v == eos) yield return new Hypothesis([.. tokens], total, true);
                else if (position + 1 == maxLength) yield return new Hypothesis([.. tokens, v], total, false);
                else stack.Push(([.. tokens, v], v, total));
            }
        }
    }
}
