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
