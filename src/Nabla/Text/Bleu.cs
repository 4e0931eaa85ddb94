namespace Nabla.Text;

/// <summary>
/// BLEU in its two forms. <see cref="Sentence"/> is the notes' per-sentence <c>bleu(pred, label, k)</c> (10.7.4), the
/// score they print next to each translation. <see cref="Corpus"/> is standard corpus BLEU (Papineni et al., 2002):
/// the number the acceptance ("corpus BLEU ≥ 0.35") refers to. They are different numbers: the notes weight
/// p_n by 1/2ⁿ and average nothing, corpus BLEU sums clipped counts over all sentences before dividing.
/// </summary>
public static class Bleu
{
    /// <summary>
    /// The notes' BLEU of one prediction against one label: exp(min(0, 1 − len_label/len_pred)) · Π_{n=1..min(k, len_pred)}
    /// p_n^(1/2ⁿ), where p_n = (clipped n-gram matches) / (n-grams of the prediction). An empty prediction scores 0
    /// (the notes would divide by zero); orders longer than the prediction are skipped, as the notes' loop bound does.
    /// </summary>
    public static double Sentence(IReadOnlyList<string> prediction, IReadOnlyList<string> label, int k = 2)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(label);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, $"bleu: the largest n-gram order k must be at least 1, got {k}.");
        int lenPred = prediction.Count, lenLabel = label.Count;
        if (lenPred == 0) return 0;
        double score = Math.Exp(Math.Min(0, 1 - (double)lenLabel / lenPred));
        for (int n = 1; n <= Math.Min(k, lenPred); n++)
        {
            int matches = ClippedMatches(prediction, [label], n);
            score *= Math.Pow((double)matches / (lenPred - n + 1), Math.Pow(0.5, n));
        }
        return score;
    }

    /// <summary>
    /// Corpus BLEU (Papineni et al., 2002) of <paramref name="candidates"/>, each with one or more references:
    /// p_n = Σ_sentences (candidate n-grams, each count clipped to its largest count in any one reference of that
    /// sentence) / Σ_sentences (candidate n-grams), n = 1..<paramref name="maxOrder"/>; BLEU = BP · exp(Σ_n log p_n / maxOrder)
    /// with BP = 1 when c &gt; r, else exp(1 − r/c); c = total candidate length, r = Σ of each sentence's reference
    /// length closest to its candidate's (ties to the shorter). No smoothing: any p_n = 0, or an empty corpus of
    /// candidate tokens, gives 0 (as NLTK's corpus_bleu and sacreBLEU's "none" smoothing).
    /// </summary>
    public static double Corpus(IReadOnlyList<IReadOnlyList<string>> candidates, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> references, int maxOrder = 4)
    {
        var stats = CorpusStatistics(candidates, references, maxOrder);
        return stats.Score;
    }

    /// <summary>Corpus BLEU with exactly one reference per candidate.</summary>
    public static double Corpus(IReadOnlyList<IReadOnlyList<string>> candidates, IReadOnlyList<IReadOnlyList<string>> references, int maxOrder = 4)
    {
        ArgumentNullException.ThrowIfNull(references);
        return Corpus(candidates, references.Select(r => (IReadOnlyList<IReadOnlyList<string>>)[r]).ToList(), maxOrder);
    }

    /// <summary>The parts of corpus BLEU: clipped matches and totals per order, candidate and reference lengths.</summary>
    public sealed record Statistics(long[] Matches, long[] Totals, long CandidateLength, long ReferenceLength)
    {
        public double Precision(int n) => Totals[n - 1] == 0 ? 0 : (double)Matches[n - 1] / Totals[n - 1];

        public double BrevityPenalty => CandidateLength == 0 ? 0 : CandidateLength > ReferenceLength ? 1 : Math.Exp(1 - (double)ReferenceLength / CandidateLength);

        public double Score
        {
            get
            {
                if (CandidateLength == 0) return 0;
                double logSum = 0;
                for (int n = 1; n <= Matches.Length; n++)
                {
                    double p = Precision(n);
                    if (p == 0) return 0;
                    logSum += Math.Log(p);
                }
                return BrevityPenalty * Math.Exp(logSum / Matches.Length);
            }
        }
    }

    /// <summary>The sums behind <see cref="Corpus(IReadOnlyList{IReadOnlyList{string}}, IReadOnlyList{IReadOnlyList{IReadOnlyList{string}}}, int)"/>.</summary>
    public static Statistics CorpusStatistics(IReadOnlyList<IReadOnlyList<string>> candidates, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> references, int maxOrder = 4)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(references);
        if (maxOrder < 1) throw new ArgumentOutOfRangeException(nameof(maxOrder), maxOrder, $"corpus bleu: maxOrder must be at least 1, got {maxOrder}.");
        if (candidates.Count != references.Count)
            throw new ArgumentException($"corpus bleu: {candidates.Count} candidates but {references.Count} reference sets; there must be one set per candidate.");
        var matches = new long[maxOrder];
        var totals = new long[maxOrder];
        long c = 0, r = 0;
        for (int i = 0; i < candidates.Count; i++)
        {
            var cand = candidates[i] ?? throw new ArgumentException($"corpus bleu: candidate {i} is null.", nameof(candidates));
            var refs = references[i] ?? throw new ArgumentException($"corpus bleu: the references of candidate {i} are null.", nameof(references));
            if (refs.Count == 0) throw new ArgumentException($"corpus bleu: candidate {i} has no reference.", nameof(references));
            c += cand.Count;
            int best = refs[0].Count;
            foreach (var rf in refs)
            {
                int d = Math.Abs(rf.Count - cand.Count), bestD = Math.Abs(best - cand.Count);
                if (d < bestD || (d == bestD && rf.Count < best)) best = rf.Count;
            }
            r += best;
            for (int n = 1; n <= maxOrder; n++)
            {
                totals[n - 1] += Math.Max(0, cand.Count - n + 1);
                matches[n - 1] += ClippedMatches(cand, refs, n);
            }
        }
        return new Statistics(matches, totals, c, r);
    }

    // Candidate n-grams counted at most as often as they occur in the reference that holds them most often.
    static int ClippedMatches(IReadOnlyList<string> candidate, IReadOnlyList<IReadOnlyList<string>> references, int n)
    {
        if (candidate.Count < n) return 0;
        var maxRef = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var reference in references)
            foreach (var (gram, count) in Count(reference, n))
                if (!maxRef.TryGetValue(gram, out int m) || count > m) maxRef[gram] = count;
        int matches = 0;
        foreach (var (gram, count) in Count(candidate, n))
            matches += Math.Min(count, maxRef.GetValueOrDefault(gram));
        return matches;
    }

    static Dictionary<string, int> Count(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            // U+0001 cannot occur inside a token of the tokenisers here, so joined n-grams never collide.
            string gram = string.Join('\u0001', Enumerable.Range(i, n).Select(j => tokens[j]));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }
}
