using Nabla.Text;

namespace Nabla.Tests.Translation;

/// <summary>The notes' per-sentence BLEU and standard corpus BLEU, against values computed by hand.</summary>
public class BleuTests
{
    static string[] W(string s) => s.Length == 0 ? [] : s.Split(' ');

    [Fact]
    public void SentenceBleuReproducesTheNotesTranslations()
    {
        // The notes (10.7.6) print these four with k = 2: 1.000, 1.000, 0.658, 0.447.
        Assert.Equal(1.0, Bleu.Sentence(W("va !"), W("va !"), 2), 12);
        Assert.Equal(1.0, Bleu.Sentence(W("j'ai perdu ."), W("j'ai perdu ."), 2), 12);
        double calm = Bleu.Sentence(W("il est riche ."), W("il est calme ."), 2);
        Assert.Equal(Math.Sqrt(3.0 / 4) * Math.Pow(1.0 / 3, 0.25), calm, 12);     // p1 = 3/4, p2 = 1/3
        Assert.Equal(0.658, calm, 3);
        double home = Bleu.Sentence(W("je suis en retard ?"), W("je suis chez moi ."), 2);
        Assert.Equal(Math.Sqrt(2.0 / 5) * Math.Pow(1.0 / 4, 0.25), home, 12);     // p1 = 2/5, p2 = 1/4
        Assert.Equal(0.447, home, 3);
    }

    [Fact]
    public void SentenceBleuPenalisesShortPredictionsAndClipsRepeats()
    {
        Assert.Equal(Math.Exp(1 - 4.0 / 2), Bleu.Sentence(W("a b"), W("a b c d"), 2), 12);      // all matches, brevity only
        Assert.Equal(1.0, Bleu.Sentence(W("a b c d"), W("a b"), 1) / (2.0 / 4 is var p ? Math.Pow(p, 0.5) : 0), 12);  // no penalty when longer
        // "the the the" vs "the cat": 'the' counts once, so p1 = 1/3; no bigram matches.
        Assert.Equal(Math.Pow(1.0 / 3, 0.5), Bleu.Sentence(W("the the the"), W("the cat"), 1), 12);
        Assert.Equal(0.0, Bleu.Sentence(W("the the the"), W("the cat"), 2));
    }

    [Fact]
    public void SentenceBleuEdgeCases()
    {
        Assert.Equal(0.0, Bleu.Sentence([], W("a b"), 2));                                           // empty prediction
        Assert.Equal(0.0, Bleu.Sentence(W("a"), [], 2));                                            // nothing to match
        Assert.Equal(Math.Exp(1 - 2.0), Bleu.Sentence(W("a"), W("a b"), 4), 12);                    // orders above len_pred skipped
        Assert.Contains("at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => Bleu.Sentence(W("a"), W("a"), 0)).Message);
    }

    [Fact]
    public void CorpusBleuSumsClippedCountsOverTheCorpus()
    {
        IReadOnlyList<string>[] candidates = [W("the cat sat on the mat"), W("a dog")];
        IReadOnlyList<string>[] references = [W("the cat sat on a mat"), W("a dog barks")];
        var stats = Bleu.CorpusStatistics(candidates, references.Select(r => (IReadOnlyList<IReadOnlyList<string>>)[r]).ToList());
        Assert.Equal([7L, 4, 2, 1], stats.Matches);
        Assert.Equal([8L, 6, 4, 3], stats.Totals);
        Assert.Equal(8, stats.CandidateLength);
        Assert.Equal(9, stats.ReferenceLength);
        double expected = Math.Exp(1 - 9.0 / 8) * Math.Pow(7.0 / 8 * 4.0 / 6 * 2.0 / 4 * 1.0 / 3, 0.25);   // 0.49278
        Assert.Equal(expected, Bleu.Corpus(candidates, references), 12);
        Assert.Equal(0.49278, expected, 5);
        // Not the mean of sentence scores: the second sentence alone has no trigram, which would zero it.
        Assert.Equal(0.0, Bleu.Corpus([W("a dog")], [W("a dog barks")]));
    }

    [Fact]
    public void CorpusBleuWithSeveralReferencesClipsToTheBestReferenceAndPicksTheClosestLength()
    {
        IReadOnlyList<string>[] candidates = [W("the cat sat on the mat"), W("a dog")];
        var references = new List<IReadOnlyList<IReadOnlyList<string>>>
        {
            new[] { W("the cat sat on a mat"), W("a cat sat on the mat") },
            new[] { W("a dog barks"), W("the dog") },
        };
        var stats = Bleu.CorpusStatistics(candidates, references);
        Assert.Equal([7L, 6, 4, 3], stats.Matches);          // 'the' still clipped to 1: no single reference has it twice
        Assert.Equal(8, stats.ReferenceLength);               // 6 + 2 (the closest reference of "a dog")
        Assert.Equal(Math.Pow(7.0 / 8, 0.25), Bleu.Corpus(candidates, references), 12);

        // Equally close references: the shorter one counts (4 tokens vs 3 and 5 → r = 3, no brevity penalty).
        var tie = Bleu.CorpusStatistics([W("a b c d")], [new[] { W("a b c"), W("a b c d e") }]);
        Assert.Equal(3, tie.ReferenceLength);
        Assert.Equal(1.0, tie.BrevityPenalty);
    }

    [Fact]
    public void CorpusBleuEdgeCasesAndBadInput()
    {
        Assert.Equal(1.0, Bleu.Corpus([W("a b c d")], [W("a b c d")]), 12);
        Assert.Equal(0.0, Bleu.Corpus([W("")], [W("a b")]));                           // no candidate tokens
        Assert.Equal(0.0, Bleu.Corpus([W("a b c")], [W("a b c")]));                    // shorter than 4: p4 = 0/0 → 0
        Assert.Equal(1.0, Bleu.Corpus([W("a b c")], [W("a b c")], maxOrder: 3), 12);
        Assert.Contains("2 candidates but 1 reference sets", Assert.Throws<ArgumentException>(() => Bleu.Corpus([W("a"), W("b")], [W("a")])).Message);
        Assert.Contains("candidate 0 has no reference", Assert.Throws<ArgumentException>(() =>
            Bleu.Corpus([W("a")], new List<IReadOnlyList<IReadOnlyList<string>>> { Array.Empty<IReadOnlyList<string>>() })).Message);
        Assert.Contains("maxOrder must be at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => Bleu.Corpus([W("a")], [W("a")], 0)).Message);
    }
}
