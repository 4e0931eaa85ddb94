using System.IO.Compression;
using System.Text;
using Nabla.Tests.Support;
using Nabla.Text;

namespace Nabla.Tests.Text;

public class CorporaTests
{
    [Fact]
    public void TheTimeMachineCleansTo173428CharactersAndA28CharacterVocabulary()
    {
        string raw = Corpora.TimeMachine();
        Assert.StartsWith("The Time Machine, by H. G. Wells [1898]", raw);
        string text = TextCleaning.TimeMachine(raw);
        // d2l's re.sub('[^A-Za-z]+', ' ', raw).lower() gives 173,428 characters (checked with Python); the notes'
        // older 170,580 stripped and concatenated lines without a separator.
        Assert.Equal(173_428, text.Length);
        Assert.StartsWith("the time machine by h g wells i the time traveller for so it", text);
        var tokens = CharTokenizer.Instance.Tokenize(text);
        var vocab = Vocabulary.Build([tokens]);
        Assert.Equal(28, vocab.Count);                                   // <unk>, space, 26 letters
        Assert.Equal(["<unk>", " ", "e", "t", "a", "i", "n", "o", "s", "h"], vocab.Tokens.Take(10));
        Assert.Equal([(" ", 32_775), ("e", 17_838)], vocab.MostCommon(2));   // counts checked with Python's Counter
    }

    [Fact]
    public void ThePennTreebankHasItsTenThousandWordVocabulary()
    {
        var train = Corpora.PtbLines("train");
        Assert.Equal(42_068, train.Count);
        Assert.Equal("aer banknote berlitz calloway centrust cluett fromstein gitano guterman hydro-quebec ipo kia memotec mlx nahb punts rake regatta rubens sim snack-food ssangyong swapo wachter", train[0]);
        Assert.Equal(3_370, Corpora.PtbLines("valid").Count);
        Assert.Equal(3_761, Corpora.PtbLines("test").Count);

        var tok = new WordTokenizer();
        var sentences = train.Select(tok.Tokenize).ToList();
        Assert.Equal(887_521, sentences.Sum(s => s.Count));
        // 9,999 distinct words, <unk> among them: Mikolov's 10k vocabulary counts the end-of-sentence marker too.
        Assert.Equal(9_999, Vocabulary.Build(sentences).Count);
        var vocab = Vocabulary.Build(sentences, reserved: [Vocabulary.Eos]);
        Assert.Equal(10_000, vocab.Count);
        Assert.Equal(45_020, vocab.Frequency(Vocabulary.Unk));
        Assert.Equal(("the", 50_770), vocab.MostCommon(1)[0]);
        // Every valid/test word is in the training vocabulary (the data was preprocessed that way).
        Assert.All(Corpora.PtbLines("valid").Concat(Corpora.PtbLines("test")), line => vocab.EncodeStrict(tok.Tokenize(line)));

        // The docs' recipe (docs/TEXT.md): one <eos> per sentence gives the same 10,000 tokens, <eos> counted 42,068 times.
        var withEos = Vocabulary.Build(train.Select(l => tok.Tokenize(l).Append(Vocabulary.Eos)), reserved: [Vocabulary.Eos]);
        Assert.Equal(vocab.Tokens, withEos.Tokens);
        Assert.Equal(42_068, withEos.Frequency(Vocabulary.Eos));
    }

    [Fact]
    public void TheSentimentCorpusHas2000BalancedSentences()
    {
        var items = Corpora.Sentiment();
        Assert.Equal(2000, items.Count);
        Assert.Equal(1000, items.Count(i => i.Label == 1));
        Assert.Equal(("A very, very, very slow-moving, aimless movie about a distressed, drifting young man.", 0), items[0]);
        Assert.All(items, i => Assert.Equal(i.Sentence.Trim(), i.Sentence));
        Assert.All(items, i => Assert.DoesNotContain('\t', i.Sentence));
    }

    [Fact]
    public void SentimentSkipsBlankLinesAndReportsAMalformedLineWithFileAndNumber()
    {
        using var tmp = new TempFolder();
        string good = tmp.File("good.txt");
        File.WriteAllText(good, "Great phone.\t1\r\n\r\n  \nAwful,\tjust awful.  \t0\n");
        Assert.Equal([("Great phone.", 1), ("Awful,\tjust awful.", 0)], Corpora.SentimentFile(good));

        string bad = tmp.File("bad.txt");
        File.WriteAllText(bad, "Fine.\t1\n\nNo label here\n");
        var e = Assert.Throws<InvalidDataException>(() => Corpora.SentimentFile(bad));
        Assert.Contains($"{bad}:3:", e.Message);
        Assert.Contains("'No label here'", e.Message);
        File.WriteAllText(bad, "Fine.\t2\n");
        Assert.Contains($"{bad}:1:", Assert.Throws<InvalidDataException>(() => Corpora.SentimentFile(bad)).Message);
        File.WriteAllText(bad, "\t1\n");
        Assert.Contains($"{bad}:1:", Assert.Throws<InvalidDataException>(() => Corpora.SentimentFile(bad)).Message);
    }

    [Fact]
    public void ExplicitFoldersAreUsedAndAMissingOneIsNamed()
    {
        using var tmp = new TempFolder();
        foreach (var f in Corpora.SentimentFiles) File.WriteAllText(tmp.File(f), $"{f} sentence\t1\n");
        Assert.Equal([("imdb_labelled.txt sentence", 1), ("amazon_cells_labelled.txt sentence", 1)], Corpora.Sentiment(tmp.Path));

        File.WriteAllText(tmp.File("ptb.valid.txt"), " a b \n\n c \n");    // plain text is read when there is no .gz
        Assert.Equal(["a b", "c"], Corpora.PtbLines("valid", tmp.Path));

        string nowhere = Path.Combine(tmp.Path, "nowhere");
        var d = Assert.Throws<DirectoryNotFoundException>(() => Corpora.Sentiment(nowhere));
        Assert.Contains(nowhere, d.Message);
        var f2 = Assert.Throws<FileNotFoundException>(() => Corpora.PtbLines("test", tmp.Path));
        Assert.Contains(tmp.File("ptb.test.txt"), f2.Message);
        var t = Assert.Throws<FileNotFoundException>(() => Corpora.TimeMachine(tmp.File("tm.txt")));
        Assert.Contains(tmp.File("tm.txt"), t.Message);
    }

    [Theory]
    [InlineData("data/text", "timemachine.txt")]
    [InlineData("data/text", "ptb.train.txt.gz")]
    [InlineData("data/sentiment", "imdb_labelled.txt")]
    [InlineData("data/sentiment", "amazon_cells_labelled.txt")]
    public void TheBuildCopiesTheShippedCorporaNextToTheProgram(string folder, string file)
    {
        // Found first next to the test binaries, not in the checkout: the csproj copy works, so an installed program finds them.
        string found = TextData.Find(folder, file, "test");
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, folder, file), found);
        Assert.Equal(File.ReadAllBytes(RepoPaths.InRepo(folder, file)), File.ReadAllBytes(found));
    }

    [Fact]
    public void AMissingShippedFileSaysWhereItIsExpected()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TextData.Find(TextData.TextFolder, "no-such-corpus.txt", "test corpus"));
        Assert.Contains("test corpus: data/text/no-such-corpus.txt is neither next to the program", e.Message);
        Assert.Contains("pass the path explicitly", e.Message);
    }

    [Fact]
    public void UnknownPtbSplitIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Corpora.PtbLines("dev"));
        Assert.Contains("ptb: unknown split 'dev'; expected one of train, valid, test", e.Message);
    }

    [Fact]
    public void ReadTextReadsUtf8WithOrWithoutBomAndGzipByItsMagicBytes()
    {
        using var tmp = new TempFolder();
        string text = "Ça marche: 我爱你 \U0001F680\n";
        File.WriteAllText(tmp.File("bom.txt"), text, new UTF8Encoding(true));
        File.WriteAllText(tmp.File("plain.txt"), text, new UTF8Encoding(false));
        using (var gz = new GZipStream(File.Create(tmp.File("packed.data")), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(text));
        Assert.Equal(text, Corpora.ReadText(tmp.File("bom.txt")));
        Assert.Equal(text, Corpora.ReadText(tmp.File("plain.txt")));
        Assert.Equal(text, Corpora.ReadText(tmp.File("packed.data")));
    }

    [Fact]
    public void ReadTextRefusesEmptyInvalidAndCorruptFiles()
    {
        using var tmp = new TempFolder();
        File.WriteAllBytes(tmp.File("empty.txt"), []);
        var e = Assert.Throws<ArgumentException>(() => Corpora.ReadText(tmp.File("empty.txt")));
        Assert.Contains("the text is empty", e.Message);
        Assert.Contains("empty.txt", e.Message);

        File.WriteAllBytes(tmp.File("latin1.txt"), [0x43, 0xe7, 0x61]);      // "Ça" in Latin-1
        var u = Assert.Throws<InvalidDataException>(() => Corpora.ReadText(tmp.File("latin1.txt")));
        Assert.Contains("latin1.txt' is not valid UTF-8", u.Message);

        File.WriteAllBytes(tmp.File("broken.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]);
        var g = Assert.Throws<InvalidDataException>(() => Corpora.ReadText(tmp.File("broken.gz")));
        Assert.Contains("broken.gz' is a corrupt gzip file", g.Message);

        Assert.Contains("is a folder", Assert.Throws<FileNotFoundException>(() => Corpora.ReadText(tmp.Path)).Message);
    }
}
