using Nabla.Models.Text;
using Nabla.Autograd;

namespace Nabla.Models.Translation;

/// <summary>What a beam search found: the chosen hypothesis and every candidate it scored.</summary>
public sealed record BeamResult(Hypothesis Best, IReadOnlyList<Hypothesis> Candidates);

/// <summary>
/// Beam search (notes 10.8.3) for one source sentence. At every step, each live hypothesis is extended by every
/// token, and the <c>beamSize</c> extensions with the highest Σ log p survive; a survivor that ends with &lt;eos&gt;
/// leaves the beam and becomes a candidate, so the beam narrows as hypotheses end. The search stops when the beam is
/// empty (every kept hypothesis ended) or after <see cref="SearchOptions.MaxLength"/> steps, when the hypotheses still
/// live become candidates too. The result is the candidate with the highest (1/L^α) Σ log p, L counting the tokens
/// up to and including &lt;eos&gt;.
/// </summary>
/// <remarks>
/// Ties are broken deterministically — by higher total, then higher step log-probability, then lower beam index,
/// then lower token id; among candidates with equal final scores the first found wins — so beam size 1 makes
/// exactly greedy search's choices (same tokens, same Σ log p). A larger beam does not always find a better-scoring
/// sentence: beams are pruned by Σ log p, not by the final score, so widening the beam can change which
/// hypotheses survive; <see cref="DecodeMonotone{TState}"/> makes the property hold (see docs/TRANSLATION.md).
/// </remarks>
public static class BeamSearch
{
    /// <param name="state">the decoder state for a batch of ONE hypothesis (the source sentence's encoding).</param>
    public static BeamResult Decode<TState>(IStepModel<TState> model, TState state, int beamSize, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Check("beam search");
        if (beamSize < 1) throw new ArgumentOutOfRangeException(nameof(beamSize), beamSize, $"beam search: the beam size must be at least 1, got {beamSize}.");
        using var _ = new NoGrad();
        var beams = new List<(List<int> Tokens, double LogProb)> { ([], 0) };
        long[] last = [options.BosId];
        var candidates = new List<Hypothesis>();
        for (int step = 0; step < options.MaxLength && beams.Count > 0; step++)
        {
            var (logProbs, next) = model.Step(state, Tensor.From(last, beams.Count));
            var rows = StepRows.Read(logProbs, beams.Count, "beam search");
            int vocab = rows.Length / beams.Count;

            // Each beam's own top beamSize tokens suffice: the global top beamSize is among them.
            var pool = new List<(double Total, double Step, int Beam, int Token)>();
            for (int b = 0; b < beams.Count; b++)
                foreach (int v in TopTokens(rows, b * vocab, vocab, beamSize))
                    pool.Add((beams[b].LogProb + rows[b * vocab + v], rows[b * vocab + v], b, v));
            pool.Sort(static (x, y) =>
                x.Total != y.Total ? y.Total.CompareTo(x.Total) :
                x.Step != y.Step ? y.Step.CompareTo(x.Step) :
                x.Beam != y.Beam ? x.Beam.CompareTo(y.Beam) : x.Token.CompareTo(y.Token));

            var survivors = new List<(List<int> Tokens, double LogProb)>();
            var parents = new List<int>();
            foreach (var (total, _, b, v) in pool.Take(beamSize))
            {
                if (v == options.EosId) candidates.Add(new Hypothesis([.. beams[b].Tokens], total, Ended: true));
                else
                {
                    survivors.Add(([.. beams[b].Tokens, v], total));
                    parents.Add(b);
                }
            }
            beams = survivors;
            if (beams.Count == 0) break;
            state = model.SelectRows(next, [.. parents]);
            last = [.. survivors.Select(s => (long)s.Tokens[^1])];
        }
        foreach (var (tokens, logProb) in beams) candidates.Add(new Hypothesis([.. tokens], logProb, Ended: false));

        var best = candidates[0];
        foreach (var c in candidates)
            if (c.Score(options.Alpha) > best.Score(options.Alpha)) best = c;
        return new BeamResult(best, candidates);
    }

    /// <summary>
    /// Beam search that is monotone in the beam size by construction: it runs plain <see cref="Decode{TState}"/> with
    /// every beam size 1, 2, …, <paramref name="beamSize"/> and returns the best-scoring of their results, with all
    /// their candidates. Its score at size k is max over j ≤ k of plain(j), so it can only grow with k, and size 1 is
    /// still greedy search. The price is 1 + 2 + … + k beam-widths of decoding instead of k.
    /// </summary>
    public static BeamResult DecodeMonotone<TState>(IStepModel<TState> model, TState state, int beamSize, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (beamSize < 1) throw new ArgumentOutOfRangeException(nameof(beamSize), beamSize, $"beam search: the beam size must be at least 1, got {beamSize}.");
        BeamResult? best = null;
        var candidates = new List<Hypothesis>();
        for (int k = 1; k <= beamSize; k++)
        {
            var result = Decode(model, state, k, options);
            candidates.AddRange(result.Candidates);
            if (best is null || result.Best.Score(options.Alpha) > best.Best.Score(options.Alpha)) best = result;
        }
        return new BeamResult(best!.Best, candidates);
    }

    // The k highest entries of one row (ties: lower id first), by repeated selection; k is small.
    static IEnumerable<int> TopTokens(double[] rows, int offset, int vocab, int k)
    {
        var chosen = new List<int>(k);
        for (int round = 0; round < Math.Min(k, vocab); round++)
        {
            int best = -1;
            for (int v = 0; v < vocab; v++)
            {
                if (chosen.Contains(v)) continue;
                if (best < 0 || rows[offset + v] > rows[offset + best]) best = v;
            }
            chosen.Add(best);
        }
        return chosen;
    }
}
