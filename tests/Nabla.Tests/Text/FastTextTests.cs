using Nabla.Text;

namespace Nabla.Tests.Text;

/// <summary>fastText skip-gram with character n-grams: the n-grams and hash of fastText, what training learns, determinism and bad options.</summary>
public class FastTextTests
{
    /// <summary>"cat"/"dog" share every context, "car"/"bus" theirs, and the two families never meet.</summary>
    static List<IReadOnlyList<string>> Toy()
    {
        var sentences = new List<IReadOnlyList<string>>();
        for (int i = 0; i < 300; i++)
        {
            string pet = i % 2 == 0 ? "cat" : "dog", vehicle = i % 2 == 0 ? "car" : "bus";
            sentences.Add(["the", pet, "purrs", "and", "sleeps", "on", "the", "sofa"]);
            sentences.Add(["the", vehicle, "drives", "on", "the", "wet", "road", "fast"]);
        }
        return sentences;
    }

    static readonly FastTextOptions Small = new() { Dim = 16, Window = 2, Epochs = 5, MinCount = 1, Subsample = 0, Buckets = 1000, Seed = 1 };

    [Fact]
    public void NGramsAreThoseOfTheFastTextPaper()
    {
        // Bojanowski et al. 2017, section 3.2: the 3-grams of "where" are <wh, whe, her, ere, re>.
        Assert.Equal(["<wh", "whe", "her", "ere", "re>"], FastText.NGrams("where", 3, 3));
        // The whole "<word>" is the word's own row, never an n-gram; shorter pieces in order of start, then length.
        Assert.Equal(["<a", "a>"], FastText.NGrams("a", 2, 3));
        Assert.Empty(FastText.NGrams("a", 4, 6));
    }

    [Fact]
    public void HashIsFnv1aOverUtf8Bytes()
    {
        Assert.Equal(0x811c9dc5u, FastText.Hash(""));
        Assert.Equal(0xe40c292cu, FastText.Hash("a"));
        Assert.Equal(0xbf9cf968u, FastText.Hash("foobar"));
        // Non-ASCII: the bytes of "é" (C3 A9), not the UTF-16 unit.
        uint h = 2166136261;
        foreach (byte b in new byte[] { 0xC3, 0xA9 }) h = (h ^ b) * 16777619;
        Assert.Equal(h, FastText.Hash("é"));
    }

    [Fact]
    public void WordsThatShareContextsEndUpTogether()
    {
        var ft = FastText.Train(Toy(), Small);
        Assert.Equal("dog", ft.Nearest("cat", 1)[0].Word);
        Assert.Equal("bus", ft.Nearest("car", 1)[0].Word);
        Assert.True(ft.EpochLosses[^1] < ft.EpochLosses[0], string.Join(", ", ft.EpochLosses));
    }

    [Fact]
    public void AnUnseenWordGetsAVectorFromItsNGrams()
    {
        var ft = FastText.Train(Toy(), Small);
        Assert.False(ft.Contains("sleepss"));
        var unseen = ft.Vector("sleepss");
        Assert.Equal(16, unseen.Length);
        // It shares most n-grams with "sleeps" and none with "road".
        double near = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(unseen, ft.Vector("sleeps"));
        double far = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(unseen, ft.Vector("road"));
        Assert.True(near > 0.5 && near > far + 0.3, $"cos(sleepss, sleeps) {near}, cos(sleepss, road) {far}");
        // A word with no row and no n-gram (minN 3: "<x>" is the whole word) has no vector.
        Assert.Empty(ft.Vector("x"));
        Assert.Contains("fasttext: 'x' has no vector", Assert.Throws<ArgumentException>(() => ft.Nearest("x", 1)).Message);
    }

    [Fact]
    public void ARareWordWithoutNGramsIsLeftOutInsteadOfPoisoningTheTable()
    {
        // "ü" occurs once (below MinCount 2) and "<ü>" is the whole word: it has no row. Before the fix its mean over
        // zero rows was NaN and spread to every vector it met.
        var sentences = Toy();
        sentences.Add(["the", "ü", "cat", "sleeps"]);
        var ft = FastText.Train(sentences, Small with { MinCount = 2 });
        Assert.All(ft.EpochLosses, l => Assert.True(double.IsFinite(l)));
        Assert.All(ft.Vector("cat"), x => Assert.True(float.IsFinite(x)));
        Assert.Empty(ft.Vector("ü"));
    }

    [Fact]
    public void TrainingIsDeterministicBySeed()
    {
        var a = FastText.Train(Toy(), Small);
        var b = FastText.Train(Toy(), Small);
        var c = FastText.Train(Toy(), Small with { Seed = 2 });
        Assert.Equal(a.Vector("cat"), b.Vector("cat"));
        Assert.Equal(a.Words, b.Words);
        Assert.NotEqual(a.Vector("cat"), c.Vector("cat"));
    }

    [Fact]
    public void BadOptionsAndTooSmallCorporaAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => FastText.Train(Toy(), Small with { MinN = 4, MaxN = 3 }));
        Assert.Contains("fasttext:", e.Message);
        Assert.Contains("n-grams 4..3", e.Message);
        Assert.Contains("buckets 0", Assert.Throws<ArgumentException>(() => FastText.Train(Toy(), Small with { Buckets = 0 })).Message);
        Assert.Contains("fasttext: only 1 word(s) occur at least 1 times in 1 sentence(s)",
            Assert.Throws<ArgumentException>(() => FastText.Train([["solo"]], Small)).Message);
    }
}
