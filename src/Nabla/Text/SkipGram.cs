using System.Numerics.Tensors;

namespace Nabla.Text;

/// <summary>
/// What <see cref="Word2Vec"/> and <see cref="FastText"/> share: skip-gram with negative sampling trained by per-pair
/// SGD (the notes' 14.1–14.4, as in the original word2vec program): the subsampling probabilities, the noise table,
/// the decaying learning rate and the logistic step on one (hidden, target) pair.
/// </summary>
internal static class SkipGram
{
    /// <summary>
    /// Per word, the probability of keeping one occurrence, sqrt(t / f) for relative frequency f (the notes' 14.3.2),
    /// at most 1; all 1 when <paramref name="subsample"/> t is 0.
    /// </summary>
    public static double[] KeepProbabilities(long[] counts, double subsample)
    {
        long total = counts.Sum();
        var keep = new double[counts.Length];
        for (int i = 0; i < keep.Length; i++)
            keep[i] = subsample == 0 ? 1 : Math.Min(1, Math.Sqrt(subsample * total / counts[i]));
        return keep;
    }

    /// <summary>The rate after <paramref name="seen"/> of <paramref name="planned"/> tokens: linear decay to 0.0001 × <paramref name="lr"/>.</summary>
    public static float LearningRate(double lr, long seen, long planned) => (float)(lr * Math.Max(1e-4, 1 - (double)seen / (planned + 1)));

    /// <summary>
    /// One logistic step for (h, u_target) with label 1 (context) or 0 (noise): updates the output row u, adds h's step
    /// into <paramref name="gradient"/> (applied by the caller once all of the pair's words are done); returns the loss.
    /// </summary>
    public static double Step(ReadOnlySpan<float> hidden, float[] output, int target, float label, float lr, Span<float> gradient, int dim)
    {
        var u = output.AsSpan(target * dim, dim);
        float score = TensorPrimitives.Dot(hidden, u);
        float sigma = 1f / (1f + MathF.Exp(-Math.Clamp(score, -30f, 30f)));
        float g = lr * (label - sigma);
        TensorPrimitives.MultiplyAdd(u, g, gradient, gradient);   // gradient += g·u (with u before its update)
        TensorPrimitives.MultiplyAdd(hidden, g, u, u);            // u += g·h
        double p = label == 1f ? sigma : 1 - sigma;
        return -Math.Log(Math.Max(p, 1e-12));
    }

    /// <summary>A table of word ids in which each word appears in proportion to count^0.75 (the noise distribution).</summary>
    public static int[] NoiseTable(long[] counts)
    {
        const int size = 1 << 20;
        var weights = counts.Select(c => Math.Pow(c, 0.75)).ToArray();
        double sum = weights.Sum();
        var table = new int[size];
        int word = 0;
        double cumulative = weights[0] / sum;
        for (int i = 0; i < size; i++)
        {
            table[i] = word;
            if ((i + 1) / (double)size > cumulative && word < counts.Length - 1) cumulative += weights[++word] / sum;
        }
        return table;
    }
}
