using Nabla.Text;

namespace Nabla.Tests.Text;

public class PaddingTests
{
    [Fact]
    public void PadsToTheLongestSequenceAndReportsLengths()
    {
        var (ids, lengths) = Padding.PadBatch([[5, 6, 7], [8], []], padId: 1);
        Assert.Equal(DType.Int64, ids.DType);
        Assert.Equal([3, 3], ids.Shape);
        Assert.Equal([5L, 6, 7, 8, 1, 1, 1, 1, 1], ids.ToArray<long>());
        Assert.Equal(DType.Int64, lengths.DType);
        Assert.Equal([3L, 1, 0], lengths.ToArray<long>());
    }

    [Fact]
    public void MaxLengthTruncatesKeepingTheFirstTokens()
    {
        var (ids, lengths) = Padding.PadBatch([[5, 6, 7, 9], [8]], padId: 0, maxLength: 2);
        Assert.Equal([2, 2], ids.Shape);
        Assert.Equal([5L, 6, 8, 0], ids.ToArray<long>());
        Assert.Equal([2L, 1], lengths.ToArray<long>());
        (ids, _) = Padding.PadBatch([[5]], padId: 0, maxLength: 3);
        Assert.Equal([5L, 0, 0], ids.ToArray<long>());
    }

    [Fact]
    public void LengthsOfUndoesPadBatchAndKeepsAPadIdInsideASentence()
    {
        var (ids, lengths) = Padding.PadBatch([[5, 6, 7], [8], [1, 9]], padId: 1);
        Assert.Equal(lengths.ToArray<long>(), Padding.LengthsOf(ids, 1, "test").ToArray<long>());
        // Only the trailing run is padding: [1, 9] starts with the pad id and still has length 2.
        Assert.Equal([2L], Padding.LengthsOf(Tensor.From(new long[] { 1, 9, 1 }, 1, 3), 1, "test").ToArray<long>());
        Assert.Contains("op: row 0 of the token ids of shape [1, 2] is all padding (id 1)",
            Assert.Throws<ArgumentException>(() => Padding.LengthsOf(Tensor.From(new long[] { 1, 1 }, 1, 2), 1, "op")).Message);
        Assert.Contains("op: expected int64 token ids of shape [batch, length], got float32 [2]",
            Assert.Throws<ArgumentException>(() => Padding.LengthsOf(Tensor.Zeros(2), 1, "op")).Message);
    }

    [Fact]
    public void BadBatchesAreRefused()
    {
        Assert.Contains("Padding.PadBatch: no sequences", Assert.Throws<ArgumentException>(() => Padding.PadBatch([], 0)).Message);
        Assert.Contains("all 2 sequences are empty", Assert.Throws<ArgumentException>(() => Padding.PadBatch([[], []], 0)).Message);
        Assert.Contains("sequence 1 is null", Assert.Throws<ArgumentException>(() => Padding.PadBatch([[1], null!], 0)).Message);
        Assert.Contains("maxLength must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => Padding.PadBatch([[1]], 0, 0)).Message);
    }

    [Fact]
    public void TruncatePadBosAndEosHelpers()
    {
        Assert.Equal([1, 2, 0, 0], Padding.TruncatePad([1, 2], 4, 0));
        Assert.Equal([1, 2], Padding.TruncatePad([1, 2, 3], 2, 0));
        Assert.Empty(Padding.TruncatePad([1], 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Padding.TruncatePad([1], -1, 0));
        Assert.Equal([2, 7, 8], Padding.PrependBos([7, 8], 2));
        Assert.Equal([7, 8, 3], Padding.AppendEos([7, 8], 3));
        // The notes' source side of translation: tokens + <eos>, then truncate_pad.
        Assert.Equal([7, 8, 3, 1, 1], Padding.TruncatePad(Padding.AppendEos([7, 8], 3), 5, 1));
    }
}
