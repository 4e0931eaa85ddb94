using Nabla.Text;

namespace Nabla.Tests.Text;

/// <summary>The pieces word2vec and fastText share (vocabulary counting, which GloVe uses too, subsampling, the noise table, the rate and the logistic step).</summary>
public class SkipGramTests
{
    [Fact]
    public void VocabularyKeepsFrequentWordsMostFrequentFirstWithTiesInOrdinalOrder()
    {
        IReadOnlyList<string>[] sentences = [["b", "a", "c", "a"], ["c", "rare", "b", "a"]];
        var v = EmbeddingVocabulary.Count(sentences, minCount: 2, "test");
        Assert.Equal(["a", "b", "c"], v.Words);
        Assert.Equal([3L, 2L, 2L], v.Counts);
        Assert.Equal(1, v.Index["b"]);
        Assert.Equal(4, v.AllWords.Count);   // "rare" is still seen (fastText trains its n-grams)
    }

    [Fact]
    public void AVocabularyOfFewerThanTwoWordsIsRefusedNamingTheTrainer()
    {
        var e = Assert.Throws<ArgumentException>(() => EmbeddingVocabulary.Count([["a", "a", "b"]], minCount: 2, "word2vec"));
        Assert.Equal("word2vec: only 1 word(s) occur at least 2 times in 1 sentence(s); a corpus needs at least 2.", e.Message);
    }

    [Fact]
    public void KeepProbabilityIsSqrtOfThresholdOverFrequencyAtMostOne()
    {
        var keep = SkipGram.KeepProbabilities([1000, 10], subsample: 1e-3);
        Assert.Equal(Math.Sqrt(1e-3 * 1010 / 1000), keep[0], 12);
        Assert.Equal(Math.Sqrt(1e-3 * 1010 / 10), keep[1], 12);
        Assert.Equal([1.0, 1.0], SkipGram.KeepProbabilities([1000, 10], subsample: 1));
        Assert.Equal([1.0, 1.0], SkipGram.KeepProbabilities([1000, 10], subsample: 0));
    }

    [Fact]
    public void NoiseTableHoldsEachWordInProportionToCountToThePower075()
    {
        long[] counts = [1, 16, 81, 0];   // weights 1, 8, 27, 0
        var table = SkipGram.NoiseTable(counts);
        var share = new int[counts.Length];
        foreach (int w in table) share[w]++;
        double[] expected = [1 / 36.0, 8 / 36.0, 27 / 36.0, 0];
        for (int w = 0; w < counts.Length; w++)
            Assert.True(Math.Abs(share[w] - expected[w] * table.Length) <= 1, $"word {w}: {share[w]} of {table.Length}, expected {expected[w] * table.Length:F1}");
    }

    [Fact]
    public void RateDecaysLinearlyToATenThousandthOfItsStart()
    {
        Assert.Equal(0.025f, SkipGram.LearningRate(0.025, seen: 0, planned: 999));
        Assert.Equal(0.0125f, SkipGram.LearningRate(0.025, seen: 500, planned: 999), 6);
        Assert.Equal(0.025f * 1e-4f, SkipGram.LearningRate(0.025, seen: 1000, planned: 999), 9);
    }

    [Fact]
    public void StepMovesTheTargetRowAndAccumulatesTheHiddenGradientOfTheLogisticLoss()
    {
        const int dim = 3;
        float[] hidden = [0.5f, -1f, 2f];
        float[] output = [9, 9, 9, 0.2f, 0.1f, -0.3f];   // row 1 is the target; row 0 must not move
        float[] gradient = [1f, 0f, 0f];                 // accumulates onto what is there
        const float lr = 0.1f;
        float[] u = [0.2f, 0.1f, -0.3f];
        double score = 0.5 * 0.2 - 1 * 0.1 + 2 * -0.3;   // -0.6
        double sigma = 1 / (1 + Math.Exp(-score));
        double loss = SkipGram.Step(hidden, output, target: 1, label: 1f, lr, gradient, dim);
        Assert.Equal(-Math.Log(sigma), loss, 6);
        double g = lr * (1 - sigma);
        for (int i = 0; i < dim; i++)
        {
            Assert.Equal(9f, output[i]);
            Assert.Equal(u[i] + g * hidden[i], output[dim + i], 6);                // u += g·h
            Assert.Equal((i == 0 ? 1 : 0) + g * u[i], gradient[i], 6);           // gradient += g·u, u before its update
        }
        // As noise (label 0) the loss is −log(1 − σ) of the new score.
        double score2 = 0; for (int i = 0; i < dim; i++) score2 += hidden[i] * output[dim + i];
        Assert.Equal(-Math.Log(1 - 1 / (1 + Math.Exp(-score2))), SkipGram.Step(hidden, output, 1, 0f, lr, gradient, dim), 5);
    }
}
