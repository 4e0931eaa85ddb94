using System.Text.Json;
using Nabla.Tests.Support;
using Nabla.Text;

namespace Nabla.Tests.Text;

/// <summary>GloVe (the notes' 14.5): co-occurrence counts and the AdaGrad fit against PyTorch, what training learns, determinism and bad input.</summary>
public class GloVeTests
{
    static JsonElement Golden() => GoldenFixture.RawCases("glove")["glove_v6_d4_w3"];

    static int[][] Sentences(JsonElement c) =>
        c.GetProperty("sentences").EnumerateArray().Select(s => s.EnumerateArray().Select(x => x.GetInt32()).ToArray()).ToArray();

    static float[] Table(JsonElement tables, string name) => GoldenFixture.ReadTensor(tables.GetProperty(name)).Data<float>().ToArray();

    [Fact]
    public void CooccurrencesMatchTheReference()
    {
        var c = Golden();
        var entries = GloVeCooccurrences.Count(Sentences(c), c.GetProperty("window").GetInt32(), c.GetProperty("words").GetInt32());
        var expected = c.GetProperty("entries").EnumerateArray().Select(e => e.EnumerateArray().ToArray()).ToArray();
        Assert.Equal(expected.Length, entries.Length);
        for (int e = 0; e < entries.Length; e++)
        {
            Assert.Equal(expected[e][0].GetInt32(), entries[e].Center);
            Assert.Equal(expected[e][1].GetInt32(), entries[e].Context);
            Assert.Equal(expected[e][2].GetDouble(), entries[e].Count, 12);
        }
    }

    [Fact]
    public void CooccurrencesAreSymmetricWeightedByInverseDistanceAndStayInsideSentences()
    {
        // "0 1 2" then "2 0": window 2.
        var entries = GloVeCooccurrences.Count([[0, 1, 2], [2, 0]], window: 2, words: 3).ToDictionary(e => (e.Center, e.Context), e => e.Count);
        Assert.Equal(1.0, entries[(0, 1)]);
        Assert.Equal(1.0, entries[(1, 0)]);
        Assert.Equal(0.5 + 1.0, entries[(0, 2)]);   // 2 places apart in the first sentence, neighbours in the second
        Assert.Equal(1.5, entries[(2, 0)]);
        Assert.Equal(1.0, entries[(1, 2)]);
        Assert.False(entries.ContainsKey((1, 1)));
        Assert.Equal(6, entries.Count);
        // Window 1: 0 and 2 meet only in the second sentence; the first sentence's end does not reach the second's start.
        var near = GloVeCooccurrences.Count([[0, 1, 2], [2, 0]], window: 1, words: 3).ToDictionary(e => (e.Center, e.Context), e => e.Count);
        Assert.Equal(1.0, near[(0, 2)]);
        Assert.Contains("glove: word id 5 outside the vocabulary of 3",
            Assert.Throws<ArgumentOutOfRangeException>(() => GloVeCooccurrences.Count([[0, 5]], 2, 3)).Message);
    }

    [Fact]
    public void PerEntryAdaGradFitMatchesTorchAdagrad()
    {
        var c = Golden();
        var start = c.GetProperty("start");
        int dim = c.GetProperty("dim").GetInt32();
        var tables = new GloVeTables(Table(start, "centers"), Table(start, "contexts"), Table(start, "center_bias"), Table(start, "context_bias"),
            dim, (float)c.GetProperty("initial_accumulator").GetDouble());
        var entries = GloVeCooccurrences.Count(Sentences(c), c.GetProperty("window").GetInt32(), c.GetProperty("words").GetInt32());
        var losses = c.GetProperty("losses").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var orders = c.GetProperty("orders").EnumerateArray().Select(o => o.EnumerateArray().Select(x => x.GetInt32()).ToArray()).ToArray();
        for (int epoch = 0; epoch < orders.Length; epoch++)
        {
            double loss = tables.Epoch(entries, orders[epoch], (float)c.GetProperty("lr").GetDouble(), c.GetProperty("x_max").GetDouble(), c.GetProperty("alpha").GetDouble());
            Assert.Equal(losses[epoch], loss, 1e-6);
        }
        var end = c.GetProperty("end");
        TensorAssert.Close(Tensor.From(Table(end, "centers")), Tensor.From(tables.Centers));
        TensorAssert.Close(Tensor.From(Table(end, "contexts")), Tensor.From(tables.Contexts));
        TensorAssert.Close(Tensor.From(Table(end, "center_bias")), Tensor.From(tables.CenterBias));
        TensorAssert.Close(Tensor.From(Table(end, "context_bias")), Tensor.From(tables.ContextBias));
    }

    [Fact]
    public void WeightGrowsAsAPowerUpToXMaxThenStaysAtOne()
    {
        Assert.Equal(Math.Pow(0.5, 0.75), GloVeTables.Weight(50, 100, 0.75), 12);
        Assert.Equal(1.0, GloVeTables.Weight(100, 100, 0.75));
        Assert.Equal(1.0, GloVeTables.Weight(1e6, 100, 0.75));
    }

    /// <summary>"cat"/"dog" share every context, "car"/"bus" theirs, and the two families never meet.</summary>
    static List<IReadOnlyList<string>> Toy()
    {
        var sentences = new List<IReadOnlyList<string>>();
        for (int i = 0; i < 300; i++)
        {
            string pet = i % 2 == 0 ? "cat" : "dog", vehicle = i % 2 == 0 ? "car" : "bus";
            sentences.Add(["the", pet, "purrs", "and", "sleeps", "on", "the", "sofa"]);
            sentences.Add(["a", vehicle, "drives", "down", "wet", "roads", "very", "fast"]);
        }
        return sentences;
    }

    static readonly GloVeOptions Small = new() { Dim = 16, Window = 3, Epochs = 30, MinCount = 1, Seed = 1 };

    [Fact]
    public void WordsThatShareContextsEndUpTogether()
    {
        var g = GloVe.Train(Toy(), Small);
        Assert.Equal("dog", g.Nearest("cat", 1)[0].Word);
        Assert.Equal("bus", g.Nearest("car", 1)[0].Word);
        Assert.True(g.EpochLosses[^1] < 0.5 * g.EpochLosses[0], string.Join(", ", g.EpochLosses));
        Assert.Equal(16, g.Vector("cat").Length);
        Assert.True(g.Cooccurrences > 0);
    }

    [Fact]
    public void TrainingIsDeterministicBySeed()
    {
        var a = GloVe.Train(Toy(), Small with { Epochs = 2 });
        var b = GloVe.Train(Toy(), Small with { Epochs = 2 });
        var c = GloVe.Train(Toy(), Small with { Epochs = 2, Seed = 2 });
        Assert.Equal(a.Vector("cat").ToArray(), b.Vector("cat").ToArray());
        Assert.Equal(a.Words, b.Words);
        Assert.NotEqual(a.Vector("cat").ToArray(), c.Vector("cat").ToArray());
    }

    [Fact]
    public void BadOptionsAndTooSmallCorporaAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => GloVe.Train(Toy(), Small with { XMax = 0 }));
        Assert.Contains("glove:", e.Message);
        Assert.Contains("x max 0", e.Message);
        Assert.Contains("window 0", Assert.Throws<ArgumentException>(() => GloVe.Train(Toy(), Small with { Window = 0 })).Message);
        Assert.Contains("lr NaN", Assert.Throws<ArgumentException>(() => GloVe.Train(Toy(), Small with { Lr = double.NaN })).Message);
        Assert.Contains("glove: only 1 word(s) occur at least 1 times in 1 sentence(s)",
            Assert.Throws<ArgumentException>(() => GloVe.Train([["solo", "solo"]], Small)).Message);
        // Two words, but never in one sentence: nothing co-occurs.
        Assert.Contains("glove: no sentence has two words",
            Assert.Throws<ArgumentException>(() => GloVe.Train([["a"], ["b"]], Small)).Message);
        Assert.Throws<ArgumentNullException>(() => GloVe.Train(null!));
        var g = GloVe.Train(Toy(), Small with { Epochs = 1 });
        Assert.True(g.Vector("zebra").IsEmpty);
        Assert.Contains("glove: 'zebra' has no vector", Assert.Throws<ArgumentException>(() => g.Nearest("zebra", 3)).Message);
    }
}
