namespace Nabla.Text;

/// <summary>One nonzero entry x_ij of GloVe's co-occurrence matrix: how often (weighted by 1/distance) word j occurs in a window around word i.</summary>
internal readonly record struct Cooccurrence(int Center, int Context, double Count);

/// <summary>Counts the co-occurrence matrix GloVe factorises (the notes' 14.5; Pennington et al. 2014, section 4.2).</summary>
internal static class GloVeCooccurrences
{
    /// <summary>
    /// x_ij summed over <paramref name="sentences"/> (word ids in 0..<paramref name="words"/>): each time word j stands
    /// d ≤ <paramref name="window"/> places from word i in the same sentence, x_ij and x_ji both grow by 1/d, so the
    /// matrix is symmetric and near neighbours weigh more. Windows never cross sentences. Returns the nonzero entries
    /// ordered by centre, then context.
    /// </summary>
    public static Cooccurrence[] Count(IReadOnlyList<int[]> sentences, int window, int words)
    {
        // Keyed by i · words + j: a sparse matrix (a word meets only a small part of the vocabulary).
        var counts = new Dictionary<long, double>();
        foreach (var s in sentences)
            for (int c = 0; c < s.Length; c++)
                for (int d = 1; d <= window && c - d >= 0; d++)
                {
                    int i = s[c], j = s[c - d];
                    if ((uint)i >= (uint)words || (uint)j >= (uint)words)
                        throw new ArgumentOutOfRangeException(nameof(sentences), $"glove: word id {Math.Max(i, j)} outside the vocabulary of {words}.");
                    double weight = 1.0 / d;
                    Add(counts, (long)i * words + j, weight);
                    Add(counts, (long)j * words + i, weight);
                }
        return counts.OrderBy(p => p.Key).Select(p => new Cooccurrence((int)(p.Key / words), (int)(p.Key % words), p.Value)).ToArray();
    }

    static void Add(Dictionary<long, double> counts, long key, double weight) => counts[key] = counts.GetValueOrDefault(key) + weight;
}
