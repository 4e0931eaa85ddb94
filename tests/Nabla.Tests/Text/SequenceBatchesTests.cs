using Nabla.Text;

namespace Nabla.Tests.Text;

public class SequenceBatchesTests
{
    static int[] Corpus(int n) => Enumerable.Range(0, n).ToArray();   // token i has id i: positions are readable

    static long[,] Rows(Tensor t)
    {
        var a = t.ToArray<long>();
        int rows = t.Shape[0], cols = t.Shape[1];
        var m = new long[rows, cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) m[r, c] = a[r * cols + c];
        return m;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void YIsXShiftedByOneTokenAndTensorsAreInt64(bool sequential)
    {
        var corpus = Enumerable.Range(0, 500).Select(i => (i * 7919) % 97).ToArray();   // not just 0, 1, 2...
        var batches = sequential ? SequenceBatches.Sequential(corpus, 4, 6, new Generator(3)) : SequenceBatches.Random(corpus, 4, 6, new Generator(3));
        int count = 0;
        foreach (var (x, y) in batches)
        {
            Assert.Equal(DType.Int64, x.DType);
            Assert.Equal(DType.Int64, y.DType);
            Assert.Equal([4, 6], x.Shape);
            Assert.Equal([4, 6], y.Shape);
            count++;
        }
        Assert.Equal(SequenceBatches.Count(corpus.Length, 4, 6), count);

        // With token i = i the shift is visible directly: every Y element is its X element + 1, and X runs consecutively.
        var plain = sequential ? SequenceBatches.Sequential(Corpus(500), 4, 6, new Generator(3)) : SequenceBatches.Random(Corpus(500), 4, 6, new Generator(3));
        foreach (var (x, y) in plain)
        {
            var xs = Rows(x); var ys = Rows(y);
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 6; c++)
                {
                    Assert.Equal(xs[r, c] + 1, ys[r, c]);
                    if (c > 0) Assert.Equal(xs[r, c - 1] + 1, xs[r, c]);
                }
        }
    }

    [Fact]
    public void SequentialRowsContinueExactlyWhereThePreviousBatchEnded()
    {
        var batches = SequenceBatches.Sequential(Corpus(1000), 5, 7, new Generator(11)).ToList();
        Assert.Equal(SequenceBatches.Count(1000, 5, 7), batches.Count);
        Assert.True(batches.Count > 3);
        for (int b = 1; b < batches.Count; b++)
        {
            var prev = Rows(batches[b - 1].X); var next = Rows(batches[b].X);
            for (int r = 0; r < 5; r++) Assert.Equal(prev[r, 6] + 1, next[r, 0]);
        }
        // Rows are disjoint, in stream order: row r+1 of the first batch starts after all of row r's batches.
        var first = Rows(batches[0].X); var last = Rows(batches[^1].X);
        for (int r = 0; r < 4; r++) Assert.True(first[r + 1, 0] > last[r, 6]);
    }

    [Fact]
    public void RandomSamplingCoversEverySubsequenceOncePerEpoch()
    {
        const int n = 1003, batch = 4, steps = 5;
        var epoch = SequenceBatches.Random(Corpus(n), batch, steps, new Generator(7)).ToList();
        var starts = epoch.SelectMany(b => Enumerable.Range(0, batch).Select(r => Rows(b.X)[r, 0])).ToList();
        Assert.Equal(starts.Count, starts.Distinct().Count());
        Assert.Equal(SequenceBatches.Count(n, batch, steps) * batch, starts.Count);
        long offset = starts.Min();
        Assert.InRange(offset, 0, steps - 1);
        var sorted = starts.Order().ToList();
        for (int i = 0; i < sorted.Count; i++) Assert.Equal(offset + i * steps, sorted[i]);   // consecutive, non-overlapping cuts
        Assert.NotEqual(sorted, starts);                                                      // and shuffled
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheSameSeedGivesTheSameBatchesAndEpochsDiffer(bool sequential)
    {
        IEnumerable<(Tensor X, Tensor Y)> Make(Generator g) =>
            sequential ? SequenceBatches.Sequential(Corpus(400), 3, 5, g) : SequenceBatches.Random(Corpus(400), 3, 5, g);
        var a = Make(new Generator(42)).Select(b => b.X.ToArray<long>()).ToList();
        var b = Make(new Generator(42)).Select(b => b.X.ToArray<long>()).ToList();
        Assert.Equal(a, b);

        // Enumerating the same sequence again is a new epoch with new draws from the generator.
        var g = new Generator(42);
        var seq = Make(g);
        var epoch1 = seq.Select(b => b.X.ToArray<long>()).ToList();
        var epoch2 = seq.Select(b => b.X.ToArray<long>()).ToList();
        Assert.Equal(a, epoch1);
        Assert.Equal(epoch1.Count, epoch2.Count);   // the count does not depend on the offset
        var others = Enumerable.Range(0, 5).Select(_ => seq.Select(b => b.X.ToArray<long>()).ToList()).ToList();
        Assert.Contains(others, e => !e.SequenceEqual(epoch1, new ArrayComparer()));
    }

    sealed class ArrayComparer : IEqualityComparer<long[]>
    {
        public bool Equals(long[]? x, long[]? y) => x!.SequenceEqual(y!);
        public int GetHashCode(long[] obj) => obj.Length;
    }

    [Fact]
    public void CountIsTheSameForEveryOffsetAndMatchesTheFormula()
    {
        Assert.Equal((1000 - 7) / (5 * 7), SequenceBatches.Count(1000, 5, 7));
        Assert.Equal(1, SequenceBatches.Count(12, 2, 4));   // exactly enough: 2*4 + 4
        for (ulong seed = 0; seed < 20; seed++)
        {
            Assert.Single(SequenceBatches.Random(Corpus(12), 2, 4, new Generator(seed)));
            Assert.Single(SequenceBatches.Sequential(Corpus(12), 2, 4, new Generator(seed)));
        }
    }

    [Fact]
    public void ACorpusTooShortForOneBatchIsRefusedWithTheSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => SequenceBatches.Random(Corpus(11), 2, 4, new Generator(0)));
        Assert.Contains("SequenceBatches.Random", e.Message);
        Assert.Contains("11 tokens", e.Message);
        Assert.Contains("batchSize=2", e.Message);
        Assert.Contains("numSteps=4", e.Message);
        Assert.Contains("at least 12", e.Message);
        e = Assert.Throws<ArgumentException>(() => SequenceBatches.Sequential([], 1, 1, new Generator(0)));
        Assert.Contains("SequenceBatches.Sequential: a corpus of 0 tokens", e.Message);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 0)]
    [InlineData(-1, 3)]
    public void NonPositiveSizesAreRefused(int batchSize, int numSteps)
    {
        var e = Assert.Throws<ArgumentException>(() => SequenceBatches.Sequential(Corpus(100), batchSize, numSteps, new Generator(0)));
        Assert.Contains($"SequenceBatches.Sequential: batchSize and numSteps must be at least 1, got batchSize={batchSize}, numSteps={numSteps}", e.Message);
        e = Assert.Throws<ArgumentException>(() => SequenceBatches.Count(100, batchSize, numSteps));
        Assert.Contains("SequenceBatches.Count", e.Message);
    }

    [Fact]
    public void NullArgumentsAreRefusedEagerly()
    {
        Assert.Throws<ArgumentNullException>(() => SequenceBatches.Random(null!, 1, 1, new Generator(0)));
        Assert.Throws<ArgumentNullException>(() => SequenceBatches.Sequential(Corpus(10), 1, 1, null!));
    }
}
