using System.Numerics.Tensors;

namespace Nabla.Text;

/// <summary>Hyperparameters of <see cref="Word2Vec.Train"/> (the notes' 14.1–14.4 and Mikolov et al. 2013 defaults).</summary>
public sealed record Word2VecOptions
{
    /// <summary>Vector width.</summary>
    public int Dim { get; init; } = 100;

    /// <summary>Largest context window on each side; each centre word draws its window uniformly from 1..Window (the notes' get_centers_and_contexts).</summary>
    public int Window { get; init; } = 5;

    /// <summary>Noise words per (centre, context) pair, drawn from the unigram distribution to the power 0.75.</summary>
    public int Negatives { get; init; } = 5;

    /// <summary>Passes over the corpus (word2vec.c's default and the notes' 5).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Initial learning rate of plain SGD, decayed linearly to 0.0001 × its value over the run.</summary>
    public double Lr { get; init; } = 0.025;

    /// <summary>Words seen fewer times are dropped from the corpus (the notes use 5 on PTB).</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Subsampling threshold t: a word of relative frequency f is kept with probability sqrt(t / f) (the notes' 14.3.2); 0 keeps all.</summary>
    public double Subsample { get; init; } = 1e-4;

    public ulong Seed { get; init; }
}

/// <summary>
/// Skip-gram word vectors with negative sampling (the notes' 14.1–14.4): for every centre word and every word of its
/// context window, push σ(u_context · v_centre) towards 1 and σ(u_noise · v_centre) towards 0 for
/// <see cref="Word2VecOptions.Negatives"/> noise words; the centre vectors v are the word vectors.
/// </summary>
/// <remarks>
/// The notes train this with autograd, one mini-batch of padded (centre, context, noise) triples at a time. Here the
/// same loss is minimised with the per-pair SGD of the original word2vec program, written directly on float spans:
/// it is the standard way to train skip-gram, it needs no padding masks, and a million-token corpus takes seconds on
/// one core instead of minutes. Single-threaded and seeded, so the vectors are the same on every run.
/// </remarks>
public sealed class Word2Vec
{
    readonly WordVectors _vectors;

    Word2Vec(string[] words, long[] counts, float[] vectors, int dim)
    {
        Counts = counts;
        _vectors = new WordVectors(words, vectors, dim, "word2vec");
    }

    public int Dim => _vectors.Dim;

    /// <summary>The words that have vectors, most frequent first.</summary>
    public IReadOnlyList<string> Words => _vectors.Words;

    public IReadOnlyList<long> Counts { get; }

    /// <summary>The training pairs' mean loss per epoch (−log σ for the context word plus the noise words).</summary>
    public IReadOnlyList<double> EpochLosses { get; private set; } = [];

    public bool Contains(string word) => _vectors.Contains(word);

    /// <summary>The vector of <paramref name="word"/> (a read-only view of the table), or an empty span when it has none.</summary>
    public ReadOnlySpan<float> Vector(string word) => _vectors.Vector(word);

    /// <summary>The <paramref name="k"/> words with the highest cosine similarity to <paramref name="word"/> (the notes' get_similar_tokens).</summary>
    public IReadOnlyList<(string Word, double Cosine)> Nearest(string word, int k) => _vectors.Nearest(word, k);

    /// <summary>The centre vectors as a <see cref="WordVectors"/> table (analogies, saving); shares the trained table.</summary>
    public WordVectors ToWordVectors() => _vectors;

    /// <summary>Trains skip-gram vectors on <paramref name="sentences"/> (each a list of tokens; windows never cross sentences).</summary>
    public static Word2Vec Train(IEnumerable<IReadOnlyList<string>> sentences, Word2VecOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var o = options ?? new Word2VecOptions();
        if (o.Dim < 1 || o.Window < 1 || o.Negatives < 1 || o.Epochs < 1 || o.MinCount < 1 || !(o.Lr > 0) || !(o.Subsample >= 0))
            throw new ArgumentException($"word2vec: dim, window, negatives, epochs and min count must be ≥ 1, lr > 0 and subsample ≥ 0; " +
                $"got dim {o.Dim}, window {o.Window}, negatives {o.Negatives}, epochs {o.Epochs}, min count {o.MinCount}, lr {o.Lr}, subsample {o.Subsample}.");

        var list = sentences.ToList();
        var vocabulary = EmbeddingVocabulary.Count(list, o.MinCount, "word2vec");
        var (words, counts, index) = (vocabulary.Words, vocabulary.Counts, vocabulary.Index);
        var corpus = list.Select(s => s.Where(index.ContainsKey).Select(w => index[w]).ToArray()).Where(s => s.Length > 1).ToArray();
        long total = counts.Sum();

        var rng = new Generator(o.Seed);
        int dim = o.Dim;
        // Both tables start random with scores v·u of order 0.1 (the notes start both from N(0, 1) embeddings and
        // train with Adam). word2vec.c's tiny v and zero u learn the same optimum on a large corpus, but on PTB's
        // million tokens that start leaves every vector dominated by one shared direction (cosines ≈ 0.99).
        var input = new float[words.Length * dim];       // v: the word vectors
        var output = new float[words.Length * dim];      // u: the context vectors
        float scale = (float)(1 / Math.Sqrt(dim));   // uniform in ±1/√dim
        for (int i = 0; i < input.Length; i++) input[i] = (rng.NextSingle() - 0.5f) * 2 * scale;
        for (int i = 0; i < output.Length; i++) output[i] = (rng.NextSingle() - 0.5f) * 2 * scale;
        var noise = SkipGram.NoiseTable(counts);
        var keep = SkipGram.KeepProbabilities(counts, o.Subsample);

        long plannedWords = total * o.Epochs, seen = 0;
        var gradient = new float[dim];
        var losses = new double[o.Epochs];
        var sentence = new List<int>();
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            double lossSum = 0;
            long pairs = 0;
            foreach (var raw in corpus)
            {
                seen += raw.Length;
                sentence.Clear();
                foreach (int w in raw) if (keep[w] >= 1 || rng.NextDouble() < keep[w]) sentence.Add(w);
                float lr = SkipGram.LearningRate(o.Lr, seen, plannedWords);
                for (int c = 0; c < sentence.Count; c++)
                {
                    int window = 1 + (int)rng.NextInt64(0, o.Window);
                    var v = input.AsSpan(sentence[c] * dim, dim);
                    for (int j = Math.Max(0, c - window); j <= Math.Min(sentence.Count - 1, c + window); j++)
                    {
                        if (j == c) continue;
                        Array.Clear(gradient);
                        lossSum += SkipGram.Step(v, output, sentence[j], 1f, lr, gradient, dim);
                        for (int k = 0; k < o.Negatives; k++)
                        {
                            int n = noise[rng.NextInt64(0, noise.Length)];
                            if (n == sentence[j]) continue;
                            lossSum += SkipGram.Step(v, output, n, 0f, lr, gradient, dim);
                        }
                        TensorPrimitives.Add(v, gradient, v);
                        pairs++;
                    }
                }
            }
            losses[epoch] = pairs == 0 ? double.NaN : lossSum / pairs;
        }
        return new Word2Vec(words, counts, input, dim) { EpochLosses = losses };
    }
}
