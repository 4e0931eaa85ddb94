using System.Numerics.Tensors;
using System.Text;

namespace Nabla.Text;

/// <summary>Hyperparameters of <see cref="FastText.Train"/> (fastText's skip-gram defaults, Bojanowski et al. 2017, with fewer buckets).</summary>
public sealed record FastTextOptions
{
    /// <summary>Vector width.</summary>
    public int Dim { get; init; } = 100;

    /// <summary>Largest context window on each side; each centre word draws its window uniformly from 1..Window.</summary>
    public int Window { get; init; } = 5;

    /// <summary>Noise words per (centre, context) pair, drawn from the unigram distribution to the power 0.75.</summary>
    public int Negatives { get; init; } = 5;

    public int Epochs { get; init; } = 5;

    /// <summary>Initial learning rate of plain SGD, decayed linearly to 0.0001 × its value over the run.</summary>
    public double Lr { get; init; } = 0.05;

    /// <summary>Words seen fewer times get no row of their own (their n-grams still train when they occur).</summary>
    public int MinCount { get; init; } = 2;

    /// <summary>Shortest and longest character n-gram of "&lt;word&gt;" (fastText: 3 and 6).</summary>
    public int MinN { get; init; } = 3;
    public int MaxN { get; init; } = 6;

    /// <summary>Hash buckets shared by all n-grams (fastText uses 2 million on corpora a thousand times larger).</summary>
    public int Buckets { get; init; } = 100_000;

    /// <summary>Subsampling threshold t: a word of relative frequency f is kept with probability sqrt(t / f); 0 keeps all.</summary>
    public double Subsample { get; init; } = 1e-4;

    public ulong Seed { get; init; }
}

/// <summary>
/// fastText word vectors (Bojanowski et al. 2017; the notes' 14.6): skip-gram with negative sampling in which a
/// centre word is represented by the MEAN of its own vector and the vectors of its character n-grams (3 to 6
/// characters of "&lt;word&gt;", hashed into a fixed number of buckets). Words that share pieces ("disappoint",
/// "disappointing", "disappointment") share parameters, so a word seen a handful of times — or never — still gets a
/// sensible vector from its n-grams. That is what a tiny corpus like the 2,000 sentiment sentences needs.
/// </summary>
/// <remarks>
/// Trained like <see cref="Word2Vec"/> (<see cref="SkipGram"/>): per-pair SGD on float spans, single-threaded and seeded, so the vectors are the same
/// on every run. As in fastText's skip-gram, the centre's gradient is added in full to each of its rows (the
/// hidden vector is their mean). The n-gram hash is 32-bit FNV-1a over the UTF-8 bytes, as in fastText.
/// </remarks>
public sealed class FastText
{
    readonly Dictionary<string, int> _index;
    readonly float[] _input;   // [words + buckets, dim]: word rows, then n-gram rows

    FastText(string[] words, long[] counts, float[] input, FastTextOptions options)
    {
        Words = words;
        Counts = counts;
        _input = input;
        Options = options;
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) _index[words[i]] = i;
    }

    public FastTextOptions Options { get; }
    public int Dim => Options.Dim;

    /// <summary>The words that have a row of their own, most frequent first.</summary>
    public IReadOnlyList<string> Words { get; }

    public IReadOnlyList<long> Counts { get; }

    /// <summary>The training pairs' mean loss per epoch (−log σ for the context word plus the noise words).</summary>
    public IReadOnlyList<double> EpochLosses { get; private set; } = [];

    public bool Contains(string word) => _index.ContainsKey(word);

    /// <summary>
    /// The vector of ANY word: the mean of its own row (when it has one) and its n-gram rows. Empty only for a word
    /// with neither (not in the vocabulary and shorter than <see cref="FastTextOptions.MinN"/> − 2 characters).
    /// </summary>
    public float[] Vector(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var rows = Rows(word, _index.TryGetValue(word, out int id) ? id : -1, Words.Count, Options);
        if (rows.Length == 0) return [];
        var v = new float[Dim];
        foreach (int r in rows) TensorPrimitives.Add(v, _input.AsSpan(r * Dim, Dim), v);
        TensorPrimitives.Multiply(v, 1f / rows.Length, v);
        return v;
    }

    /// <summary>The <paramref name="k"/> vocabulary words with the highest cosine similarity to <paramref name="word"/> (which may be unseen).</summary>
    public IReadOnlyList<(string Word, double Cosine)> Nearest(string word, int k)
    {
        var v = Vector(word);
        if (v.Length == 0) throw new ArgumentException($"fasttext: '{word}' has no vector (unknown and without character n-grams).", nameof(word));
        var scored = new List<(string, double)>(Words.Count);
        foreach (var w in Words)
            if (w != word) scored.Add((w, TensorPrimitives.CosineSimilarity(v, Vector(w))));
        return scored.OrderByDescending(s => s.Item2).ThenBy(s => s.Item1, StringComparer.Ordinal).Take(k).ToList();
    }

    /// <summary>
    /// The vectors of the vocabulary's words (each the mean of its row and its n-gram rows) as a <see cref="WordVectors"/>
    /// table, for analogies and saving; a copy, so later look-ups of unseen words still go through <see cref="Vector"/>.
    /// </summary>
    public WordVectors ToWordVectors()
    {
        var table = new float[Words.Count * Dim];
        for (int i = 0; i < Words.Count; i++) Vector(Words[i]).CopyTo(table, i * Dim);
        return new WordVectors(Words, table, Dim, "fasttext");
    }

    /// <summary>
    /// The character n-grams of "&lt;word&gt;" of <paramref name="minN"/> to <paramref name="maxN"/> characters
    /// (the whole "&lt;word&gt;" excluded: the word has its own row), in order of start then length.
    /// </summary>
    public static IReadOnlyList<string> NGrams(string word, int minN, int maxN)
    {
        string marked = "<" + word + ">";
        var grams = new List<string>();
        for (int start = 0; start < marked.Length; start++)
            for (int n = minN; n <= maxN && start + n <= marked.Length; n++)
                if (!(start == 0 && n == marked.Length)) grams.Add(marked.Substring(start, n));
        return grams;
    }

    /// <summary>32-bit FNV-1a of the UTF-8 bytes of <paramref name="s"/> (fastText's n-gram hash).</summary>
    public static uint Hash(string s)
    {
        uint h = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(s))
        {
            h ^= b;
            h *= 16777619;
        }
        return h;
    }

    /// <summary>The input rows of a word: its own (id ≥ 0) then one per n-gram, offset past the <paramref name="words"/> word rows.</summary>
    static int[] Rows(string word, int id, int words, FastTextOptions o)
    {
        var grams = NGrams(word, o.MinN, o.MaxN);
        var rows = new int[(id >= 0 ? 1 : 0) + grams.Count];
        int k = 0;
        if (id >= 0) rows[k++] = id;
        foreach (var g in grams) rows[k++] = words + (int)(Hash(g) % (uint)o.Buckets);
        return rows;
    }

    /// <summary>Trains fastText skip-gram vectors on <paramref name="sentences"/> (each a list of tokens; windows never cross sentences).</summary>
    public static FastText Train(IEnumerable<IReadOnlyList<string>> sentences, FastTextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var o = options ?? new FastTextOptions();
        if (o.Dim < 1 || o.Window < 1 || o.Negatives < 1 || o.Epochs < 1 || o.MinCount < 1 || o.MinN < 1 || o.MaxN < o.MinN ||
            o.Buckets < 1 || !(o.Lr > 0) || !(o.Subsample >= 0))
            throw new ArgumentException($"fasttext: dim, window, negatives, epochs, min count, min n and buckets must be ≥ 1, max n ≥ min n, lr > 0 and " +
                $"subsample ≥ 0; got dim {o.Dim}, window {o.Window}, negatives {o.Negatives}, epochs {o.Epochs}, min count {o.MinCount}, " +
                $"n-grams {o.MinN}..{o.MaxN}, buckets {o.Buckets}, lr {o.Lr}, subsample {o.Subsample}.");

        var list = sentences.ToList();
        var vocabulary = EmbeddingVocabulary.Count(list, o.MinCount, "fasttext");
        var (words, counts, index) = (vocabulary.Words, vocabulary.Counts, vocabulary.Index);
        // Rare words have no row and cannot be predicted as context, but their n-grams still learn when they are the centre.
        var rowsOf = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var w in vocabulary.AllWords) rowsOf[w] = Rows(w, index.TryGetValue(w, out int id) ? id : -1, words.Length, o);
        // A rare word too short for any n-gram (a lone "ü") has no row at all: it is left out, like a word below MinCount in word2vec.
        var corpus = list.Select(s => s.Where(w => rowsOf[w].Length > 0).Select(w => (Rows: rowsOf[w], Id: index.TryGetValue(w, out int i) ? i : -1)).ToArray())
            .Where(s => s.Length > 1).ToArray();

        var rng = new Generator(o.Seed);
        int dim = o.Dim;
        // Input rows start uniform in ±1/dim (fastText), output rows at zero (fastText).
        var input = new float[(words.Length + (long)o.Buckets) * dim];
        var output = new float[words.Length * dim];
        for (long i = 0; i < input.LongLength; i++) input[i] = (rng.NextSingle() - 0.5f) * 2 / dim;
        var noise = SkipGram.NoiseTable(counts);
        var keep = SkipGram.KeepProbabilities(counts, o.Subsample);

        long plannedTokens = corpus.Sum(s => (long)s.Length) * o.Epochs, seen = 0;
        var hidden = new float[dim];
        var gradient = new float[dim];
        var losses = new double[o.Epochs];
        var sentence = new List<(int[] Rows, int Id)>();
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            double lossSum = 0;
            long pairs = 0;
            foreach (var raw in corpus)
            {
                seen += raw.Length;
                sentence.Clear();
                foreach (var t in raw) if (t.Id < 0 || keep[t.Id] >= 1 || rng.NextDouble() < keep[t.Id]) sentence.Add(t);
                float lr = SkipGram.LearningRate(o.Lr, seen, plannedTokens);
                for (int c = 0; c < sentence.Count; c++)
                {
                    int window = 1 + (int)rng.NextInt64(0, o.Window);
                    var rows = sentence[c].Rows;
                    for (int j = Math.Max(0, c - window); j <= Math.Min(sentence.Count - 1, c + window); j++)
                    {
                        int target = sentence[j].Id;
                        if (j == c || target < 0) continue;
                        // h = mean of the centre's rows (recomputed per pair: the rows move after every pair).
                        Array.Clear(hidden);
                        foreach (int r in rows) TensorPrimitives.Add(hidden, input.AsSpan(r * dim, dim), hidden);
                        TensorPrimitives.Multiply(hidden, 1f / rows.Length, hidden);
                        Array.Clear(gradient);
                        lossSum += SkipGram.Step(hidden, output, target, 1f, lr, gradient, dim);
                        for (int k = 0; k < o.Negatives; k++)
                        {
                            int n = noise[rng.NextInt64(0, noise.Length)];
                            if (n == target) continue;
                            lossSum += SkipGram.Step(hidden, output, n, 0f, lr, gradient, dim);
                        }
                        foreach (int r in rows)
                        {
                            var row = input.AsSpan(r * dim, dim);
                            TensorPrimitives.Add(row, gradient, row);
                        }
                        pairs++;
                    }
                }
            }
            losses[epoch] = pairs == 0 ? double.NaN : lossSum / pairs;
        }
        return new FastText(words, counts, input, o) { EpochLosses = losses };
    }
}
