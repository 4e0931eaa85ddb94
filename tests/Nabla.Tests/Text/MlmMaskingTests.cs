using Nabla.Models.Text;

namespace Nabla.Tests.Text;

/// <summary>
/// The BERT masking rule on a large sample: how many targets each sequence gets, the 80/10/10 split within 5
/// binomial standard deviations, special tokens never chosen nor changed, and seeding.
/// </summary>
public class MlmMaskingTests
{
    const int Pad = 0, Mask = 1, Cls = 2, Vocab = 23;           // ids 3..22 are the 20 ordinary tokens

    /// <summary>Rows of <cls>, ordinary tokens and some trailing padding (a different length per row).</summary>
    static Tensor Sample(int rows, int steps, ulong seed)
    {
        var g = new Generator(seed);
        var ids = new long[rows * steps];
        for (int r = 0; r < rows; r++)
        {
            int length = steps - (int)g.NextInt64(0, 8);
            for (int j = 0; j < steps; j++)
                ids[r * steps + j] = j == 0 ? Cls : j < length ? g.NextInt64(3, Vocab) : Pad;
        }
        return Tensor.From(ids, rows, steps);
    }

    static readonly MlmMasking Masking = new(Vocab, Mask, [Pad, Mask, Cls]);

    [Fact]
    public void EightyTenTenWithinFiveSigmaAndFifteenPercentPerSequence()
    {
        const int rows = 3000, steps = 40;
        var ids = Sample(rows, steps, 1);
        var batch = Masking.Apply(ids, new Generator(2));
        var source = ids.ToArray<long>();
        var inputs = batch.Inputs.ToArray<long>();
        var labels = batch.Labels.ToArray<long>();
        var chosen = batch.Chosen.ToArray<bool>();

        long masked = 0, changed = 0, same = 0, total = 0;
        for (int r = 0; r < rows; r++)
        {
            int candidates = 0, targets = 0;
            for (int j = 0; j < steps; j++)
            {
                int at = r * steps + j;
                bool special = source[at] is Pad or Mask or Cls;
                if (!special) candidates++;
                if (!chosen[at])
                {
                    Assert.Equal(MlmMasking.Ignore, labels[at]);
                    Assert.Equal(source[at], inputs[at]);                   // untouched
                    continue;
                }
                Assert.False(special, $"special token {source[at]} chosen at [{r}, {j}]");
                Assert.Equal(source[at], labels[at]);
                targets++;
                if (inputs[at] == Mask) masked++;
                else if (inputs[at] == source[at]) same++;
                else
                {
                    Assert.InRange(inputs[at], 3, Vocab - 1);                // a random ordinary token, never a special one
                    changed++;
                }
            }
            Assert.Equal((int)Math.Round(0.15 * candidates, MidpointRounding.AwayFromZero), targets);
            total += targets;
        }
        // A random replacement equals the original with probability 1/20, so it then looks unchanged.
        const double k = 20;
        AssertFraction("<mask>", masked, total, 0.8);
        AssertFraction("random token (different)", changed, total, 0.1 * (1 - 1 / k));
        AssertFraction("unchanged", same, total, 0.1 + 0.1 / k);
    }

    static void AssertFraction(string what, long count, long total, double p)
    {
        double sigma = Math.Sqrt(p * (1 - p) / total);
        double observed = (double)count / total;
        Assert.True(Math.Abs(observed - p) <= 5 * sigma, $"{what}: {count} of {total} = {observed:F4}, expected {p:F4} ± 5σ = {5 * sigma:F4}");
    }

    [Fact]
    public void SeededAndRepeatable()
    {
        var ids = Sample(20, 16, 3);
        var a = Masking.Apply(ids, new Generator(7));
        var b = Masking.Apply(ids, new Generator(7));
        var c = Masking.Apply(ids, new Generator(8));
        Assert.Equal(a.Inputs.ToArray<long>(), b.Inputs.ToArray<long>());
        Assert.Equal(a.Chosen.ToArray<bool>(), b.Chosen.ToArray<bool>());
        Assert.NotEqual(a.Chosen.ToArray<bool>(), c.Chosen.ToArray<bool>());
    }

    [Fact]
    public void ShortSequencesGetOneTargetAndAllSpecialRowsNone()
    {
        var ids = Tensor.From(new long[] { Cls, 5, Pad, Pad, Cls, Pad, Pad, Pad }, 2, 4);
        var batch = Masking.Apply(ids, new Generator(1));
        Assert.Equal([false, true, false, false, false, false, false, false], batch.Chosen.ToArray<bool>());
    }

    [Fact]
    public void BadInputIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => new MlmMasking(10, 3, [0, 1]));
        Assert.Contains("the mask id 3 must be a special id inside the vocabulary [0, 10)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MlmMasking(10, 1, [1, 12]));
        Assert.Contains("special id 12 is outside the vocabulary [0, 10)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Masking.Apply(Tensor.From(new long[] { 2, 40 }, 1, 2), new Generator(0)));
        Assert.Contains("token [0, 1] has id 40, outside the vocabulary [0, 23)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Masking.Apply(Tensor.Zeros([2, 3]), new Generator(0)));
        Assert.Contains("expected token ids of shape [batch, steps] and dtype int64, got float32 of shape [2, 3]", e.Message);
    }
}
