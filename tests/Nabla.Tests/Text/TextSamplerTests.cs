using Nabla.Models.Text;

namespace Nabla.Tests.Text;

/// <summary>TextSampler: greedy = argmax, top-1 = greedy, T → 0 → greedy, sampled frequencies follow softmax(z / T).</summary>
public class TextSamplerTests
{
    static readonly double[] Z = [0.5, 2.0, -1.0, 1.2, 1.9, 0.0];

    static Tensor Logits(params double[] z) => Tensor.From(z.Select(v => (float)v).ToArray(), z.Length);

    static RnnLanguageModel Model(ulong seed = 3) => new(12, "gru", hiddenSize: 10, embedSize: 5, generator: new Generator(seed));

    [Fact]
    public void GreedyIsTheArgmaxAndIgnoresTheGenerator()
    {
        Assert.Equal(1, TextSampler.NextToken(Logits(Z), Decoding.Greedy, new Generator(1)));
        Assert.Equal(1, TextSampler.NextToken(Logits(Z), Decoding.Greedy, new Generator(2)));
        Assert.Equal(0, TextSampler.NextToken(Logits(3, 3, 1), Decoding.Greedy, new Generator(1)));   // ties: the first, as torch.argmax
    }

    [Fact]
    public void GreedyGenerationIsDeterministicAndFollowsTheArgmaxStepByStep()
    {
        var model = Model();
        int[] prefix = [3, 1, 4];
        var a = TextSampler.Generate(model, prefix, 15, Decoding.Greedy, new Generator(1));
        var b = TextSampler.Generate(model, prefix, 15, Decoding.Greedy, new Generator(99));
        Assert.Equal(a, b);
        Assert.Equal(18, a.Length);
        Assert.Equal(prefix, a[..3]);
        // By hand: re-read the whole sequence so far and take the argmax of the last logits.
        model.Eval();
        for (int t = 3; t < a.Length; t++)
        {
            var ids = Tensor.From(a[..t].Select(i => (long)i).ToArray(), 1, t);
            var last = model.Forward(ids, null).Logits.Select(1, t - 1).Reshape(12);
            Assert.Equal(last.ArgMax().Item<long>(), a[t]);
        }
    }

    [Fact]
    public void TopOneIsGreedy()
    {
        var model = Model(5);
        var greedy = TextSampler.Generate(model, [2, 7], 20, Decoding.Greedy);
        var top1 = TextSampler.Generate(model, [2, 7], 20, new Decoding(DecodingStrategy.TopK, 1.7, 1), new Generator(4));
        Assert.Equal(greedy, top1);
    }

    [Fact]
    public void TemperatureTowardsZeroApproachesGreedy()
    {
        double previous = 0;
        foreach (double t in new[] { 2.0, 1.0, 0.3, 0.1, 0.01 })
        {
            double pMax = TextSampler.Probabilities(Z, t, Z.Length)[1];
            Assert.True(pMax > previous, $"p(argmax) at T={t} is {pMax}, not above {previous}");
            previous = pMax;
        }
        Assert.True(previous > 1 - 1e-4, $"p(argmax) at T=0.01 is {previous}");
        var model = Model(6);
        var greedy = TextSampler.Generate(model, [1], 30, Decoding.Greedy);
        var cold = TextSampler.Generate(model, [1], 30, new Decoding(DecodingStrategy.Sample, 1e-4), new Generator(8));
        Assert.Equal(greedy, cold);
    }

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(0.5, 0)]
    [InlineData(2.0, 0)]
    [InlineData(1.0, 3)]
    public void SampledFrequenciesFollowSoftmaxOverTemperature(double temperature, int k)
    {
        var decoding = k == 0 ? new Decoding(DecodingStrategy.Sample, temperature) : new Decoding(DecodingStrategy.TopK, temperature, k);
        // Expected: softmax(z / T), restricted to the k largest logits and renormalised.
        var scaled = Z.Select(z => z / temperature).ToArray();
        var kept = k == 0 ? Enumerable.Range(0, Z.Length).ToHashSet() : Enumerable.Range(0, Z.Length).OrderByDescending(i => Z[i]).Take(k).ToHashSet();
        double norm = kept.Sum(i => Math.Exp(scaled[i]));
        var expected = Enumerable.Range(0, Z.Length).Select(i => kept.Contains(i) ? Math.Exp(scaled[i]) / norm : 0).ToArray();
        Assert.Equal(expected, TextSampler.Probabilities(Z, temperature, k == 0 ? Z.Length : k), new Tolerance(1e-12));

        const int draws = 20_000;
        var counts = new int[Z.Length];
        var g = new Generator(42);
        var logits = Logits(Z);
        for (int i = 0; i < draws; i++) counts[TextSampler.NextToken(logits, decoding, g)]++;
        for (int i = 0; i < Z.Length; i++)
        {
            // Binomial standard deviation; 5σ keeps a false failure below one in a million per token.
            double sd = Math.Sqrt(draws * expected[i] * (1 - expected[i]));
            Assert.True(Math.Abs(counts[i] - draws * expected[i]) <= 5 * sd + 1e-9,
                $"token {i}: {counts[i]} draws, expected {draws * expected[i]:0.0} ± {5 * sd:0.0} (T={temperature}, k={k})");
        }
    }

    [Fact]
    public void SameSeedSameTextOtherSeedOtherText()
    {
        var model = Model(7);
        var sample = new Decoding(DecodingStrategy.Sample, 1.5);
        var a = TextSampler.Generate(model, [0, 5], 40, sample, new Generator(1));
        Assert.Equal(a, TextSampler.Generate(model, [0, 5], 40, sample, new Generator(1)));
        Assert.NotEqual(a, TextSampler.Generate(model, [0, 5], 40, sample, new Generator(2)));
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var model = Model();
        Assert.Contains("the prefix is empty", Assert.Throws<ArgumentException>(() => TextSampler.Generate(model, [], 3, Decoding.Greedy)).Message);
        Assert.Contains("prefix token id 12 is outside the vocabulary [0, 12)", Assert.Throws<ArgumentException>(() => TextSampler.Generate(model, [12], 3, Decoding.Greedy)).Message);
        Assert.Contains("temperature must be a finite number greater than 0, got 0",
            Assert.Throws<ArgumentException>(() => TextSampler.Generate(model, [1], 3, new Decoding(DecodingStrategy.Sample, 0))).Message);
        Assert.Contains("top-k needs 1 ≤ k ≤ 12 (the vocabulary size), got k=13",
            Assert.Throws<ArgumentException>(() => TextSampler.Generate(model, [1], 3, new Decoding(DecodingStrategy.TopK, 1, 13))).Message);
        Assert.Contains("expected logits of shape [vocab] (floating), got int64 of shape [2, 2]",
            Assert.Throws<ArgumentException>(() => TextSampler.NextToken(Tensor.Zeros([2, 2], DType.Int64), Decoding.Greedy, new Generator(1))).Message);
    }

    sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= eps;
        public int GetHashCode(double obj) => 0;
    }
}
