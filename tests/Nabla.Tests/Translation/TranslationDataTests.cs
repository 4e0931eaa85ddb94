using Nabla.Data;
using Nabla.Tests.Support;
using Nabla.Text;

namespace Nabla.Tests.Translation;

/// <summary>The English→French pairs: reading, the notes' preprocessing, the split, the vocabularies and the batches.</summary>
public class TranslationDataTests
{
    static readonly Lazy<TranslationData> Shipped = new(() => TranslationData.Build(TranslationPairs.FraEng(), seed: 0));

    [Fact]
    public void PreprocessingIsTheNotes()
    {
        Assert.Equal("go .", TranslationPairs.Preprocess("Go."));
        Assert.Equal("cours !", TranslationPairs.Preprocess("Cours\u202f!"));                  // narrow no-break space
        Assert.Equal("ça alors !", TranslationPairs.Preprocess("Ça\u00a0alors\u00a0!"));
        Assert.Equal("he's calm , ok ?", TranslationPairs.Preprocess("He's calm, OK?"));
        Assert.Equal("ici ?", TranslationPairs.Preprocess("Ici\u202f\u2009?").Replace("  ", " "));                 // thin space too
        Assert.Equal(["ici", "?"], TranslationPairs.Words("Ici\u202f\u2009?"));
        Assert.Equal(".hi", TranslationPairs.Preprocess(".hi"));                                // the notes' i > 0
        Assert.Equal(["he's", "calm", ",", "ok", "?"], TranslationPairs.Words("He's  calm, OK?"));  // doubled space: no empty token
    }

    [Fact]
    public void TheShippedFileHasAllPairs()
    {
        var pairs = TranslationPairs.FraEng();
        Assert.Equal(76_036, pairs.Count);
        Assert.Equal(("Go.", "Va !"), pairs[0]);
        Assert.Equal(["va", "!"], TranslationPairs.Words(pairs[0].Target));
    }

    [Fact]
    public void AnyPairFileIsReadAndBadLinesNameTheLine()
    {
        using var dir = new TempFolder();
        string good = Path.Combine(dir.Path, "pairs.txt");
        File.WriteAllText(good, "Hi.\tSalut.\tCC-BY 2.0 (France) Attribution\r\n\nRun!\tCours !\n");
        Assert.Equal([("Hi.", "Salut."), ("Run!", "Cours !")], TranslationPairs.Read(good));
        string bad = Path.Combine(dir.Path, "bad.txt");
        File.WriteAllText(bad, "Hi.\tSalut.\nno tab here\n");
        var e = Assert.Throws<InvalidDataException>(() => TranslationPairs.Read(bad));
        Assert.Contains("bad.txt:2", e.Message);
        Assert.Contains("source<TAB>target", e.Message);
        File.WriteAllText(bad, "Hi.\t \n");
        Assert.Contains("bad.txt:1", Assert.Throws<InvalidDataException>(() => TranslationPairs.Read(bad)).Message);
    }

    [Fact]
    public void TheSplitHoldsOutATenthOfTheSourceSentencesAndKeepsSentencesUpToTenTokens()
    {
        var data = Shipped.Value;
        Assert.Equal(75_367, data.TrainPairs.Count + data.HeldOutPairs.Count);        // both sides ≤ 10 tokens before <eos>
        Assert.All(data.TrainPairs.Concat(data.HeldOutPairs), p => Assert.InRange(Math.Max(p.Source.Length, p.Target.Length), 1, 10));
        Assert.Equal(11, data.NumSteps);
        var trainSources = data.TrainPairs.Select(p => string.Join(' ', p.Source)).ToHashSet();
        var heldSources = data.HeldOutPairs.Select(p => string.Join(' ', p.Source)).ToHashSet();
        Assert.Empty(trainSources.Intersect(heldSources));                               // no held-out source was trained on
        Assert.Equal(Math.Round(0.1 * (trainSources.Count + heldSources.Count), MidpointRounding.AwayFromZero), heldSources.Count);
        Assert.Equal(heldSources.Count, data.HeldOutBySource().Count);
        Assert.Equal(data.HeldOutPairs.Count, data.HeldOutBySource().Sum(g => g.References.Count));
    }

    [Fact]
    public void TheSplitIsSeeded()
    {
        var pairs = TranslationPairs.FraEng().Take(3000).ToList();
        var a = TranslationData.Build(pairs, seed: 5);
        var b = TranslationData.Build(pairs, seed: 5);
        var c = TranslationData.Build(pairs, seed: 6);
        static string Key(TranslationData d) => string.Join('|', d.HeldOutPairs.Select(p => string.Join(' ', p.Source)));
        Assert.Equal(Key(a), Key(b));
        Assert.NotEqual(Key(a), Key(c));
    }

    [Fact]
    public void VocabulariesReserveTheMarkersAndDropRareWords()
    {
        var data = Shipped.Value;
        foreach (var v in new[] { data.SourceVocab, data.TargetVocab })
        {
            Assert.Equal([Vocabulary.Unk, Vocabulary.Pad, Vocabulary.Bos, Vocabulary.Eos], v.Tokens.Take(4));
            Assert.Equal(2, v.MinFrequency);
            Assert.All(v.Tokens.Skip(4), t => Assert.True(v.Frequency(t) >= 2));
        }
        var once = data.TrainPairs.SelectMany(p => p.Source).GroupBy(t => t).Where(g => g.Count() == 1).Select(g => g.Key).First();
        Assert.False(data.SourceVocab.Contains(once));
    }

    [Fact]
    public void CollatePadsAfterEosAndReportsValidLengths()
    {
        var data = TranslationData.Build([("Go.", "Va !"), ("Go.", "Marche."), ("I lost.", "J'ai perdu."), ("I lost.", "J'ai perdu."), ("Go now.", "Va !")],
            heldOutFraction: 0, minFreq: 1);
        var examples = Enumerable.Range(0, data.Train.Count).Select(data.Train.Get).ToList();
        var batch = data.Collate(examples);
        Assert.Equal([5, 11], batch.Source.Shape);
        Assert.Equal([3L, 3, 4, 4, 4], batch.SourceLengths.ToArray<long>());
        int pad = data.SourceVocab[Vocabulary.Pad], eos = data.SourceVocab[Vocabulary.Eos];
        var row = batch.Source.Select(0, 2).ToArray<long>();
        Assert.Equal(data.SourceVocab.Encode(["i", "lost", "."]).Select(i => (long)i).Append(eos).Concat(Enumerable.Repeat((long)pad, 7)), row);
        Assert.Equal([3L, 3, 4, 4, 3], batch.TargetLengths.ToArray<long>());

        // A DataLoader takes it as is.
        var loader = new DataLoader<TranslationExample, TranslationBatch>(data.Train, 2, data.Collate, shuffle: true, seed: 1);
        Assert.Equal([2, 2, 1], loader.Select(b => b.Size));
    }

    [Fact]
    public void TruncationToFewerStepsDropsEosAsTheNotesDo()
    {
        var data = TranslationData.Build([("I lost it.", "J'ai perdu."), ("I lost it.", "Je l'ai perdu.")], heldOutFraction: 0, minFreq: 1, numSteps: 3);
        var batch = data.Collate([data.Train.Get(0)]);
        Assert.Equal([3L], batch.SourceLengths.ToArray<long>());
        Assert.DoesNotContain((long)data.SourceVocab[Vocabulary.Eos], batch.Source.ToArray<long>());
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Contains("none of the 1 pairs", Assert.Throws<ArgumentException>(() =>
            TranslationData.Build([("one two three", "un deux trois")], maxTokens: 2)).Message);
        Assert.Contains("held-out fraction must lie in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() =>
            TranslationData.Build([("a", "b")], heldOutFraction: 1)).Message);
        Assert.Contains("empty batch", Assert.Throws<ArgumentException>(() => Shipped.Value.Collate([])).Message);
    }
}
