using Nabla.Tests.Support;
using Nabla.Text;

namespace Nabla.Tests.Text;

public class VocabularyTests
{
    static readonly string[][] Sentences =
    [
        ["the", "cat", "sat", "on", "the", "mat"],
        ["the", "dog", "sat"],
        ["a", "cat", "and", "a", "dog"],
    ];

    [Fact]
    public void UnkIsIdZeroThenReservedThenByDescendingFrequencyWithOrdinalTies()
    {
        var v = Vocabulary.Build(Sentences, reserved: [Vocabulary.Pad, Vocabulary.Bos, Vocabulary.Eos]);
        // the×3; a, cat, dog, sat ×2 (ordinal order); and, mat, on ×1.
        Assert.Equal(["<unk>", "<pad>", "<bos>", "<eos>", "the", "a", "cat", "dog", "sat", "and", "mat", "on"], v.Tokens);
        Assert.Equal(12, v.Count);
        Assert.Equal(0, v.UnkId);
        Assert.Equal(0, v["<unk>"]);
        Assert.Equal(1, v[Vocabulary.Pad]);
        Assert.Equal(4, v["the"]);
        Assert.Equal(3, v.Frequency("the"));
        Assert.Equal(0, v.Frequency(Vocabulary.Pad));
        Assert.Equal(0, v.Frequency("zebra"));
        Assert.Equal([("the", 3), ("a", 2), ("cat", 2)], v.MostCommon(3));
        Assert.Equal(8, v.MostCommon(100).Count);            // reserved tokens the corpus lacks have no frequency
    }

    [Fact]
    public void MinFrequencyDropsRareTokensWhichThenEncodeAsUnk()
    {
        var v = Vocabulary.Build(Sentences, minFreq: 2);
        Assert.Equal(["<unk>", "the", "a", "cat", "dog", "sat"], v.Tokens);
        Assert.Equal([1, 3, 0, 0], v.Encode(["the", "cat", "on", "zebra"]));
        Assert.False(v.Contains("on"));
        Assert.True(v.TryGetId("dog", out int dog));
        Assert.Equal(4, dog);
        Assert.Equal(2, v.MinFrequency);
    }

    [Fact]
    public void ACorpusUnkTokenAndDuplicateReservedTokensDoNotGetSecondIds()
    {
        var v = Vocabulary.Build([["<unk>", "x", "<unk>", "<eos>"]], reserved: ["<eos>", "<unk>", "<eos>"]);
        Assert.Equal(["<unk>", "<eos>", "x"], v.Tokens);
        Assert.Equal(2, v.Frequency("<unk>"));
        Assert.Equal(1, v.Frequency("<eos>"));
    }

    [Fact]
    public void EncodeDecodeRoundTrip()
    {
        var v = Vocabulary.Build(Sentences);
        foreach (var s in Sentences) Assert.Equal(s, v.Decode(v.Encode(s)));
        Assert.Equal(["<unk>", "the"], v.Decode([0, v["the"]]));
        Assert.Equal("the", v.Token(1));
    }

    [Fact]
    public void BuildIsDeterministicWhateverTheOrderOfEqualCounts()
    {
        var a = Vocabulary.Build([["b", "a", "c"]]);
        var b = Vocabulary.Build([["c", "b"], ["a"]]);
        Assert.Equal(["<unk>", "a", "b", "c"], a.Tokens);
        Assert.Equal(a.Tokens, b.Tokens);
    }

    [Fact]
    public void EncodeStrictNamesTheUnknownTokens()
    {
        var v = Vocabulary.Build(Sentences);
        Assert.Equal(v.Encode(["the", "dog"]), v.EncodeStrict(["the", "dog"]));
        var e = Assert.Throws<ArgumentException>(() => v.EncodeStrict(["the", "zebra", "\n", "zebra"]));
        Assert.Contains("2 token(s) not in the vocabulary of 9: 'zebra', '\\n'", e.Message);
    }

    [Fact]
    public void OutOfRangeIdsAndBadArgumentsThrow()
    {
        var v = Vocabulary.Build(Sentences);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => v.Decode([1, 9]));
        Assert.Contains("vocabulary: id 9 is outside [0, 9)", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => v.Token(-1));
        var m = Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.Build(Sentences, minFreq: 0));
        Assert.Contains("minFreq must be at least 1, got 0", m.Message);
        Assert.Throws<ArgumentException>(() => Vocabulary.Build([["a", null!]]));
        Assert.Throws<ArgumentException>(() => Vocabulary.Build(Sentences, reserved: [""]));
        Assert.Throws<ArgumentNullException>(() => v[null!]);
    }

    [Fact]
    public void SaveLoadRoundTripsTokensFrequenciesAndMinFrequency()
    {
        using var tmp = new TempFolder();
        var v = Vocabulary.Build([.. Sentences, ["我", "e\u0301", "\"q\"", "\t"]], minFreq: 1, reserved: [Vocabulary.Pad]);
        string path = tmp.File("vocab.json");
        v.Save(path);
        var w = Vocabulary.Load(path);
        Assert.Equal(v.Tokens, w.Tokens);
        Assert.Equal(v.MostCommon(100), w.MostCommon(100));
        Assert.Equal(v.MinFrequency, w.MinFrequency);
        Assert.Equal(v["我"], w["我"]);
        v.Save(path);                                                   // overwrite in place
        Assert.Equal(v.Tokens, Vocabulary.Load(path).Tokens);
        Assert.Single(Directory.GetFiles(tmp.Path));                   // no temporary file left behind
    }

    [Theory]
    [InlineData("not json at all", "is not valid JSON")]
    [InlineData("[1, 2]", "the document is not a JSON object")]
    [InlineData("{\"format\":\"other\",\"version\":1}", "\"format\" is not \"nabla-vocabulary\"")]
    [InlineData("{\"format\":\"nabla-vocabulary\",\"version\":2}", "\"version\" is not 1")]
    [InlineData("{\"format\":\"nabla-vocabulary\",\"version\":1,\"min_freq\":1,\"tokens\":[\"a\"],\"frequencies\":[0]}", "token 0 must be \"<unk>\"")]
    [InlineData("{\"format\":\"nabla-vocabulary\",\"version\":1,\"min_freq\":1,\"tokens\":[\"<unk>\",\"a\"],\"frequencies\":[0]}", "2 tokens but 1 frequencies")]
    [InlineData("{\"format\":\"nabla-vocabulary\",\"version\":1,\"min_freq\":1,\"tokens\":[\"<unk>\",\"a\",\"a\"],\"frequencies\":[0,1,1]}", "the token 'a' appears twice")]
    [InlineData("{\"format\":\"nabla-vocabulary\",\"version\":1,\"min_freq\":1,\"tokens\":[\"<unk>\",3],\"frequencies\":[0,1]}", "\"tokens\"[1] has the wrong type or value")]
    [InlineData("{\"format\":\"nabla-vocabulary\",\"version\":1,\"min_freq\":1,\"tokens\":[\"<unk>\"],\"frequencies\":[-1]}", "\"frequencies\"[0] has the wrong type or value")]
    [InlineData("{\"format\":\"nabla-vocabulary\",\"version\":1,\"min_freq\":\"1\",\"tokens\":[\"<unk>\"],\"frequencies\":[0]}", "\"min_freq\" is missing")]
    [InlineData("{\"format\":\"nabla-vocabulary\",\"version\":1,\"min_freq\":1,\"frequencies\":[0]}", "\"tokens\" is missing or not an array")]
    public void LoadOfACorruptFileNamesTheFile(string content, string why)
    {
        using var tmp = new TempFolder();
        string path = tmp.File("bad.json");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InvalidDataException>(() => Vocabulary.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void LoadOfATruncatedFileAndOfAMissingFile()
    {
        using var tmp = new TempFolder();
        string path = tmp.File("v.json");
        Vocabulary.Build(Sentences).Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => Vocabulary.Load(path)).Message);
        var missing = tmp.File("none.json");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => Vocabulary.Load(missing)).Message);
    }
}
