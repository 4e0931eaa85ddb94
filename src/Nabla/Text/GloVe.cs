using System.Numerics.Tensors;

namespace Nabla.Text;

/// <summary>Hyperparameters of <see cref="GloVe.Train"/> (Pennington et al. 2014 and the GloVe program's defaults).</summary>
public sealed record GloVeOptions
{
    /// <summary>Vector width.</summary>
    public int Dim { get; init; } = 100;

    /// <summary>Context words counted on each side of a centre word, each weighted 1/distance (the paper's symmetric window of 10).</summary>
    public int Window { get; init; } = 10;

    /// <summary>Passes over the co-occurrence entries (the paper's 50 for vectors narrower than 300).</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>AdaGrad's learning rate (the GloVe program's 0.05).</summary>
    public double Lr { get; init; } = 0.05;

    /// <summary>AdaGrad's starting sum of squared gradients (the GloVe program starts it at 1; PyTorch's Adagrad at 0).</summary>
    public double InitialAccumulator { get; init; } = 1;

    /// <summary>
    /// The co-occurrence count from which a pair gets full weight, c in h(x) = (x / c)^α (the paper's 100, for corpora of
    /// billions of tokens; on the Penn Treebank's million, 10 learns better neighbours in fewer epochs: docs/word-vectors.md).
    /// </summary>
    public double XMax { get; init; } = 100;

    /// <summary>The exponent α of h (the paper's 0.75).</summary>
    public double Alpha { get; init; } = 0.75;

    /// <summary>Words seen fewer times are dropped from the corpus before counting.</summary>
    public int MinCount { get; init; } = 5;

    public ulong Seed { get; init; }
}

/// <summary>
/// GloVe word vectors (the notes' 14.5; Pennington et al. 2014): count how often each word occurs near each other
/// word (x_ij, weighted by 1/distance), then fit v_i · u_j + b_i + c_j to log x_ij by weighted least squares,
/// Σ h(x_ij) (v_i · u_j + b_i + c_j − log x_ij)², over the nonzero entries only. A word's vector is v_i + u_i, the
/// sum of its centre and context vectors (the paper's choice, and the notes').
/// </summary>
/// <remarks>
/// As in the GloVe program, the loss is minimised by AdaGrad one entry at a time, the entries shuffled each epoch;
/// the step itself is PyTorch's Adagrad (<see cref="GloVeTables"/>). Single-threaded and seeded, so the vectors are
/// the same on every run. The co-occurrence matrix is kept in memory as a hash map, fine for corpora of a few
/// million tokens.
/// </remarks>
public sealed class GloVe
{
    readonly WordVectors _vectors;

    GloVe(string[] words, long[] counts, float[] vectors, int dim)
    {
        Counts = counts;
        _vectors = new WordVectors(words, vectors, dim, "glove");
    }

    public int Dim => _vectors.Dim;

    /// <summary>The words that have vectors, most frequent first.</summary>
    public IReadOnlyList<string> Words => _vectors.Words;

    public IReadOnlyList<long> Counts { get; }

    /// <summary>Nonzero entries of the co-occurrence matrix the vectors were fitted to.</summary>
    public int Cooccurrences { get; private init; }

    /// <summary>The mean weighted squared error per nonzero entry, per epoch.</summary>
    public IReadOnlyList<double> EpochLosses { get; private init; } = [];

    public bool Contains(string word) => _vectors.Contains(word);

    /// <summary>The vector v + u of <paramref name="word"/> (a read-only view of the table), or an empty span when it has none.</summary>
    public ReadOnlySpan<float> Vector(string word) => _vectors.Vector(word);

    /// <summary>The <paramref name="k"/> words with the highest cosine similarity to <paramref name="word"/>.</summary>
    public IReadOnlyList<(string Word, double Cosine)> Nearest(string word, int k) => _vectors.Nearest(word, k);

    /// <summary>The vectors as a <see cref="WordVectors"/> table (analogies, saving); shares the trained table.</summary>
    public WordVectors ToWordVectors() => _vectors;

    /// <summary>Trains GloVe vectors on <paramref name="sentences"/> (each a list of tokens; windows never cross sentences).</summary>
    public static GloVe Train(IEnumerable<IReadOnlyList<string>> sentences, GloVeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var o = options ?? new GloVeOptions();
        if (o.Dim < 1 || o.Window < 1 || o.Epochs < 1 || o.MinCount < 1 || !(o.Lr > 0) || !(o.InitialAccumulator >= 0) || !(o.XMax > 0) || !(o.Alpha >= 0))
            throw new ArgumentException($"glove: dim, window, epochs and min count must be ≥ 1, lr and x max > 0, initial accumulator and alpha ≥ 0; " +
                $"got dim {o.Dim}, window {o.Window}, epochs {o.Epochs}, min count {o.MinCount}, lr {o.Lr}, initial accumulator {o.InitialAccumulator}, " +
                $"x max {o.XMax}, alpha {o.Alpha}.");

        var list = sentences.ToList();
        var vocabulary = EmbeddingVocabulary.Count(list, o.MinCount, "glove");
        var index = vocabulary.Index;
        var corpus = list.Select(s => s.Where(index.ContainsKey).Select(w => index[w]).ToArray()).Where(s => s.Length > 1).ToArray();
        if (corpus.Length == 0)
            throw new ArgumentException($"glove: no sentence has two words that occur at least {o.MinCount} times, so nothing co-occurs.");
        var entries = GloVeCooccurrences.Count(corpus, o.Window, vocabulary.Words.Length);

        var rng = new Generator(o.Seed);
        int words = vocabulary.Words.Length, dim = o.Dim;
        var tables = GloVeTables.Random(words, dim, rng, (float)o.InitialAccumulator);
        var order = new int[entries.Length];
        for (int e = 0; e < order.Length; e++) order[e] = e;
        var losses = new double[o.Epochs];
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            Shuffle(order, rng);
            losses[epoch] = tables.Epoch(entries, order, (float)o.Lr, o.XMax, o.Alpha);
        }
        var vectors = new float[words * dim];
        TensorPrimitives.Add(tables.Centers, tables.Contexts, vectors);
        return new GloVe(vocabulary.Words, vocabulary.Counts, vectors, dim) { Cooccurrences = entries.Length, EpochLosses = losses };
    }

    /// <summary>Fisher–Yates with the run's generator, so the order (and so the vectors) depend only on the seed.</summary>
    static void Shuffle(int[] order, Generator rng)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)rng.NextInt64(0, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
