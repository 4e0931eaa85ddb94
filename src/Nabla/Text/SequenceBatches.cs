namespace Nabla.Text;

/// <summary>
/// The notes' two ways (section 8.3) of cutting one long token stream into minibatches for a language model:
/// pairs (X, Y) of int64 tensors [batchSize, numSteps] where Y is X shifted by one token (the next-token targets).
/// </summary>
/// <remarks>
/// Each enumeration of the returned sequence is one epoch: it draws a fresh random offset in [0, numSteps) from
/// the generator and drops that many tokens from the head, so the epochs see different cuts of the stream. The
/// argument checks run when the method is called, the random draws when the enumeration starts; the same seed
/// therefore gives the same batches.
///
/// Unlike the notes, the number of batches does not depend on the offset: both schemes keep the stream that the
/// largest offset (numSteps - 1) would leave, <see cref="Count"/> = (length - numSteps) / (batchSize * numSteps)
/// batches, and drop the tail past that. A fixed count per epoch keeps progress bars, learning-rate schedules
/// and perplexity averages comparable between epochs; it costs at most one batch per epoch.
/// </remarks>
public static class SequenceBatches
{
    /// <summary>The number of batches each epoch of <see cref="Random"/> or <see cref="Sequential"/> yields.</summary>
    public static int Count(int corpusLength, int batchSize, int numSteps)
    {
        Check(corpusLength, batchSize, numSteps, "Count");
        return (int)Usable(corpusLength, numSteps) / batchSize / numSteps;
    }

    /// <summary>
    /// Random sampling: the stream (after the offset) is cut into consecutive subsequences of numSteps tokens, the
    /// subsequences are shuffled, and each batch takes batchSize of them. Every subsequence appears once per
    /// epoch; neighbouring rows of consecutive batches are unrelated, so the hidden state must be reset per batch.
    /// </summary>
    public static IEnumerable<(Tensor X, Tensor Y)> Random(int[] corpus, int batchSize, int numSteps, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(generator);
        Check(corpus.Length, batchSize, numSteps, "Random");
        return RandomEpoch(corpus, batchSize, numSteps, generator);
    }

    /// <summary>
    /// Sequential (adjacent) sampling: the stream (after the offset) is cut into batchSize parallel rows of equal
    /// length, and batch i holds columns [i*numSteps, (i+1)*numSteps) of those rows. Row r of batch i+1 therefore
    /// continues row r of batch i token for token, which is what lets a model carry (detached) state across batches.
    /// </summary>
    public static IEnumerable<(Tensor X, Tensor Y)> Sequential(int[] corpus, int batchSize, int numSteps, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(generator);
        Check(corpus.Length, batchSize, numSteps, "Sequential");
        return SequentialEpoch(corpus, batchSize, numSteps, generator);
    }

    static IEnumerable<(Tensor X, Tensor Y)> RandomEpoch(int[] corpus, int batchSize, int numSteps, Generator generator)
    {
        int offset = (int)generator.NextInt64(0, numSteps);
        int subsequences = (int)(Usable(corpus.Length, numSteps) / numSteps);
        int batches = subsequences / batchSize;
        subsequences = batches * batchSize;   // the ones that fill whole batches; all of them are used

        var starts = new int[subsequences];
        for (int i = 0; i < starts.Length; i++) starts[i] = offset + i * numSteps;
        for (int i = starts.Length - 1; i > 0; i--)          // Fisher–Yates with the caller's generator
        {
            int j = (int)generator.NextInt64(0, i + 1);
            (starts[i], starts[j]) = (starts[j], starts[i]);
        }

        for (int b = 0; b < batches; b++)
        {
            var x = new long[batchSize * numSteps];
            var y = new long[batchSize * numSteps];
            for (int r = 0; r < batchSize; r++)
                CopyRow(corpus, starts[b * batchSize + r], numSteps, x, y, r * numSteps);
            yield return (Tensor.FromArray(x, [batchSize, numSteps]), Tensor.FromArray(y, [batchSize, numSteps]));
        }
    }

    static IEnumerable<(Tensor X, Tensor Y)> SequentialEpoch(int[] corpus, int batchSize, int numSteps, Generator generator)
    {
        int offset = (int)generator.NextInt64(0, numSteps);
        int rowLength = (int)(Usable(corpus.Length, numSteps) / batchSize);
        int batches = rowLength / numSteps;

        for (int b = 0; b < batches; b++)
        {
            var x = new long[batchSize * numSteps];
            var y = new long[batchSize * numSteps];
            for (int r = 0; r < batchSize; r++)
                CopyRow(corpus, offset + r * rowLength + b * numSteps, numSteps, x, y, r * numSteps);
            yield return (Tensor.FromArray(x, [batchSize, numSteps]), Tensor.FromArray(y, [batchSize, numSteps]));
        }
    }

    static void CopyRow(int[] corpus, int start, int numSteps, long[] x, long[] y, int at)
    {
        for (int t = 0; t < numSteps; t++)
        {
            x[at + t] = corpus[start + t];
            y[at + t] = corpus[start + t + 1];
        }
    }

    // Tokens that can start an X after any offset in [0, numSteps): the largest offset removes numSteps - 1, and
    // the last X token needs one more token after it for Y.
    static long Usable(int corpusLength, int numSteps) => (long)corpusLength - numSteps;

    static void Check(int corpusLength, int batchSize, int numSteps, string method)
    {
        if (batchSize < 1 || numSteps < 1)
            throw new ArgumentException($"SequenceBatches.{method}: batchSize and numSteps must be at least 1, got batchSize={batchSize}, numSteps={numSteps}.");
        long need = (long)batchSize * numSteps + numSteps;
        if (corpusLength < need)
            throw new ArgumentException($"SequenceBatches.{method}: a corpus of {corpusLength} tokens is too short for one batch of batchSize={batchSize} × " +
                $"numSteps={numSteps}; it needs at least {need} tokens (batchSize*numSteps, plus numSteps for the random offset and the shifted targets).");
    }
}
