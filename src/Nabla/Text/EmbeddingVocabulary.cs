namespace Nabla.Text;

/// <summary>
/// The vocabulary a word-vector trainer (<see cref="Word2Vec"/>, <see cref="FastText"/>, <see cref="GloVe"/>) learns
/// rows for: the words seen at least MinCount times, most frequent first, with their counts and ids, and every
/// distinct word of the corpus (fastText still trains the n-grams of the rare ones).
/// </summary>
internal sealed record EmbeddingVocabulary(string[] Words, long[] Counts, Dictionary<string, int> Index, IReadOnlyCollection<string> AllWords)
{
    /// <summary>
    /// Counts the words of <paramref name="sentences"/>; ties in count are ordered by ordinal string order, so the ids
    /// are the same on every run. Fewer than two kept words is refused, naming <paramref name="trainer"/>.
    /// </summary>
    public static EmbeddingVocabulary Count(IReadOnlyList<IReadOnlyList<string>> sentences, int minCount, string trainer)
    {
        var freq = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in sentences)
            foreach (var w in s) freq[w] = freq.GetValueOrDefault(w) + 1;
        var kept = freq.Where(p => p.Value >= minCount).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToArray();
        if (kept.Length < 2)
            throw new ArgumentException($"{trainer}: only {kept.Length} word(s) occur at least {minCount} times in {sentences.Count} sentence(s); a corpus needs at least 2.");
        var words = kept.Select(p => p.Key).ToArray();
        var index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) index[words[i]] = i;
        return new EmbeddingVocabulary(words, kept.Select(p => p.Value).ToArray(), index, freq.Keys);
    }
}
