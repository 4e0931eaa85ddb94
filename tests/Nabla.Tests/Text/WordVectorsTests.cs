using Nabla.Text;

namespace Nabla.Tests.Text;

/// <summary>The word-vector table: nearest words, analogies, and the GloVe text format both ways, with bad files refused.</summary>
public class WordVectorsTests
{
    // a : b is as c : d, with b − a + c = (0, 1, 1) pointing exactly at d; "far" points elsewhere.
    static WordVectors Toy() => new(["a", "b", "c", "d", "far"],
        [1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 2, 2, 0, 0, -1], dim: 3, "toy");

    [Fact]
    public void NearestRanksByCosineAndLeavesTheWordOut()
    {
        var near = Toy().Nearest("d", 4);
        Assert.Equal(["c", "b", "a", "far"], near.Select(n => n.Word));
        Assert.Equal(1 / Math.Sqrt(2), near[0].Cosine, 6);   // (0,0,1)·(0,2,2) / (1 · 2√2)
        Assert.Equal(0.5, near[1].Cosine, 6);                 // (1,1,0)·(0,2,2) / (√2 · 2√2)
        Assert.Equal(-1 / Math.Sqrt(2), near[3].Cosine, 6);
        Assert.Empty(Toy().Nearest("d", 0));
    }

    [Fact]
    public void AnalogyFindsTheWordAlongBMinusAPlusCWithoutTheInputs()
    {
        var answer = Toy().Analogy("a", "b", "c", k: 2);
        Assert.Equal("d", answer[0].Word);
        Assert.Equal(1.0, answer[0].Cosine, 6);
        Assert.Equal("far", answer[1].Word);   // a, b and c are never answers
    }

    [Fact]
    public void UnknownWordsAndBadTablesAreRefused()
    {
        var t = Toy();
        Assert.True(t.Vector("zebra").IsEmpty);
        Assert.Equal("toy: 'zebra' has no vector (not among its 5 words). (Parameter 'word')",
            Assert.Throws<ArgumentException>(() => t.Nearest("zebra", 1)).Message);
        Assert.Contains("'zebra' has no vector", Assert.Throws<ArgumentException>(() => t.Analogy("a", "zebra", "c")).Message);
        Assert.Contains("a vector of length 2; the vectors have dim 3", Assert.Throws<ArgumentException>(() => t.Nearest(new float[2], 1)).Message);
        Assert.Contains("5 words × dim 2 needs 10 values, got 15", Assert.Throws<ArgumentException>(() => new WordVectors(t.Words, new float[15], 2)).Message);
        Assert.Contains("the word 'a' occurs twice", Assert.Throws<ArgumentException>(() => new WordVectors(["a", "a"], new float[2], 1)).Message);
    }

    [Fact]
    public void SavedTextLoadsBackBitForBit()
    {
        string dir = Directory.CreateTempSubdirectory("nabla-vectors-").FullName;
        try
        {
            var table = new float[] { 0.1f, -1e-7f, float.Epsilon, 3.4028235e38f, 1f / 3, -2.5f };
            var saved = new WordVectors(["x", "é", "<unk>"], table, dim: 2);
            string path = Path.Combine(dir, "v.txt");
            saved.SaveText(path);
            Assert.StartsWith("x 0.1 -1E-07", File.ReadAllLines(path)[0]);
            var loaded = WordVectors.LoadText(path);
            Assert.Equal(saved.Words, loaded.Words);
            Assert.Equal(2, loaded.Dim);
            foreach (var w in saved.Words) Assert.Equal(saved.Vector(w).ToArray(), loaded.Vector(w).ToArray());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Word2VecTextHeaderIsSkippedAndBadFilesNameTheLine()
    {
        string dir = Directory.CreateTempSubdirectory("nabla-vectors-").FullName;
        try
        {
            string Write(string text)
            {
                string path = Path.Combine(dir, "v.txt");
                File.WriteAllText(path, text);
                return path;
            }
            var withHeader = WordVectors.LoadText(Write("2 3\nthe 1 2 3\ncat 4 5 6\n"));
            Assert.Equal(["the", "cat"], withHeader.Words);
            Assert.Equal([4f, 5f, 6f], withHeader.Vector("cat").ToArray());
            Assert.Equal("word vectors: line 3 of 'v.txt' has 2 numbers after the word; expected 3.",
                Assert.Throws<InvalidDataException>(() => WordVectors.LoadText(Write("the 1 2 3\ncat 4 5 6\ndog 7 8\n"))).Message);
            Assert.Equal("word vectors: line 2 of 'v.txt': 'x' is not a finite number.",
                Assert.Throws<InvalidDataException>(() => WordVectors.LoadText(Write("the 1 2\ncat x 5\n"))).Message);
            Assert.Contains("'NaN' is not a finite number", Assert.Throws<InvalidDataException>(() => WordVectors.LoadText(Write("the NaN 2\n"))).Message);
            Assert.Contains("has 0 numbers after the word", Assert.Throws<InvalidDataException>(() => WordVectors.LoadText(Write("the\n"))).Message);
            Assert.Contains("has a header but no vectors", Assert.Throws<InvalidDataException>(() => WordVectors.LoadText(Write("0 3\n"))).Message);
            Assert.Contains("holds only blank lines", Assert.Throws<InvalidDataException>(() => WordVectors.LoadText(Write(" \n\n"))).Message);
            Assert.Contains("the word 'the' occurs twice", Assert.Throws<InvalidDataException>(() => WordVectors.LoadText(Write("the 1\nthe 2\n"))).Message);
            Assert.Throws<FileNotFoundException>(() => WordVectors.LoadText(Path.Combine(dir, "missing.txt")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void EveryTrainerHandsOverTheVectorsItLooksUp()
    {
        List<IReadOnlyList<string>> sentences = [.. Enumerable.Repeat<IReadOnlyList<string>>(["the", "cat", "sat", "on", "the", "mat"], 20)];
        var glove = GloVe.Train(sentences, new GloVeOptions { Dim = 4, Epochs = 1, MinCount = 1 });
        var w2v = Word2Vec.Train(sentences, new Word2VecOptions { Dim = 4, MinCount = 1, Subsample = 0 });
        var ft = FastText.Train(sentences, new FastTextOptions { Dim = 4, Epochs = 1, MinCount = 1, Buckets = 100 });
        foreach (var (words, vectors, lookUp) in new (IReadOnlyList<string>, WordVectors, Func<string, float[]>)[]
                 {
                     (glove.Words, glove.ToWordVectors(), w => glove.Vector(w).ToArray()),
                     (w2v.Words, w2v.ToWordVectors(), w => w2v.Vector(w).ToArray()),
                     (ft.Words, ft.ToWordVectors(), ft.Vector),
                 })
        {
            Assert.Equal(words, vectors.Words);
            foreach (var w in words) Assert.Equal(lookUp(w), vectors.Vector(w).ToArray());
        }
    }
}
