using Nabla.Text;
using Nabla.Tests.Support;

namespace Nabla.Tests.Text;

/// <summary>The sentiment data module: the seeded stratified split, tokenisation, the vocabulary, padding, bad input.</summary>
public class SentimentDataTests
{
    static readonly IReadOnlyList<(string Sentence, int Label)> Shipped = Corpora.Sentiment(RepoPaths.InRepo("data", "sentiment"));

    [Fact]
    public void SplitIsDeterministicDisjointCompleteAndStratified()
    {
        var labels = Shipped.Select(s => s.Label).ToArray();
        var (kept, held) = SentimentSplit.Stratified(labels, 0.2, seed: 7);
        var (kept2, held2) = SentimentSplit.Stratified(labels, 0.2, seed: 7);
        Assert.Equal(kept, kept2);
        Assert.Equal(held, held2);
        Assert.Empty(kept.Intersect(held));
        Assert.Equal(Enumerable.Range(0, labels.Length), kept.Concat(held).Order());
        Assert.Equal(400, held.Length);
        Assert.Equal(200, held.Count(i => labels[i] == 1));            // 1,000 of each class → 200 of each held out
        Assert.NotEqual(held, SentimentSplit.Stratified(labels, 0.2, seed: 8).HeldOut);
        Assert.NotEqual(held, SentimentSplit.Stratified(labels, 0.2, seed: 7, stream: 1).HeldOut);
    }

    [Fact]
    public void CreateSplitsTrainValidationTestAndBuildsTheVocabularyOnTrainingSentencesOnly()
    {
        var data = SentimentData.Create(Shipped, new SentimentDataOptions { Seed = 0 });
        Assert.Equal((1440, 160, 400), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal(2, data.NumClasses);
        Assert.Equal(1, data.PadId);                                     // <unk> 0, then the reserved <pad>
        Assert.Equal(data.Train.Count, data.TrainSentences.Count);
        // Every training token is known; some test tokens are not (they read as <unk>), proving test text was not used.
        Assert.DoesNotContain(data.Train.SelectMany(e => e.Ids), id => id == data.Vocab.UnkId);
        Assert.Contains(data.Test.SelectMany(e => e.Ids), id => id == data.Vocab.UnkId);
        Assert.All(data.Train.Concat(data.Validation).Concat(data.Test), e => Assert.NotEmpty(e.Ids));
    }

    [Fact]
    public void TokenizeLowercasesSplitsMarksAndDropsOtherSymbols() =>
        Assert.Equal(["a", "very", "slow", "moving", ",", "aimless", "movie", "i", "didn't", "like", "it", "!", "10", "10"],
            SentimentData.Tokenize("A very slow-moving, aimless movie (I didn't like it!) 10/10"));

    [Fact]
    public void CollatePadsAtTheEndToTheLongestAndToTheMinimumLength()
    {
        var items = new[] { new SentimentExample([5, 6, 7], 1), new SentimentExample([8], 0) };
        var batch = SentimentData.Collate(items, padId: 1, minLength: 5);
        Assert.Equal(new long[] { 5, 6, 7, 1, 1, 8, 1, 1, 1, 1 }, batch.Input.ToArray<long>());
        Assert.Equal([2, 5], batch.Input.Shape);
        Assert.Equal(new long[] { 1, 0 }, batch.Target.ToArray<long>());
        var (_, lengths) = SentimentData.PadWithLengths(items, 1);
        Assert.Equal(new long[] { 3, 1 }, lengths.ToArray<long>());
    }

    [Fact]
    public void BadInputIsRefusedWithAMessage()
    {
        Assert.Contains("sentiment: the corpus is empty",
            Assert.Throws<ArgumentException>(() => SentimentData.Create([])).Message);
        // A sentence of symbols the cleaning drops has no tokens: refused (not padded to a lone <pad>), and named.
        var symbols = new List<(string, int)> { ("good film", 1), ("-- :) --", 0), ("bad film", 0) };
        Assert.Contains("sentiment: sentence 1 (\"-- :) --\") has no tokens after tokenisation",
            Assert.Throws<ArgumentException>(() => SentimentData.Create(symbols)).Message);
        Assert.Contains("sentiment: sentence 0 has label -1",
            Assert.Throws<ArgumentException>(() => SentimentData.Create([("fine", -1), ("ok", 1)])).Message);
        var data = SentimentData.Create(Shipped);
        Assert.Contains("sentiment: the sentence \"  ( )  \" has no tokens after tokenisation; there is nothing to classify",
            Assert.Throws<ArgumentException>(() => data.Encode("  ( )  ")).Message);
        Assert.Contains("sentiment collate: a batch needs at least one sentence",
            Assert.Throws<ArgumentException>(() => SentimentData.Collate([], 1)).Message);
        Assert.Contains("sentiment split: the held-out fraction must lie in [0, 1), got 1",
            Assert.Throws<ArgumentOutOfRangeException>(() => SentimentSplit.Stratified([0, 1], 1.0, 0)).Message);
        Assert.Contains("sentiment split: there are no items to split",
            Assert.Throws<ArgumentException>(() => SentimentSplit.Stratified([], 0.2, 0)).Message);
    }
}
