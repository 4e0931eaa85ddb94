namespace Nabla.Text;

/// <summary>
/// Turns sequences of different lengths into one rectangular batch, and the small edits seq2seq data needs
/// (the notes' <c>truncate_pad</c>, &lt;bos&gt;/&lt;eos&gt; markers).
/// </summary>
public static class Padding
{
    /// <summary>
    /// Pads (with <paramref name="padId"/>) or truncates (keeping the first tokens) every sequence to a common length
    /// L: <paramref name="maxLength"/> when given, else the longest sequence. Returns Ids int64 [N, L] and Lengths
    /// int64 [N], the number of real tokens of each row (min(length, L)) — the lengths a recurrent layer or a
    /// masked loss takes.
    /// </summary>
    public static (Tensor Ids, Tensor Lengths) PadBatch(IReadOnlyList<int[]> sequences, int padId, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("Padding.PadBatch: no sequences to pad (the batch is empty).", nameof(sequences));
        if (maxLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"Padding.PadBatch: maxLength must be at least 1, got {maxLength}.");
        int longest = 0;
        for (int i = 0; i < sequences.Count; i++)
        {
            if (sequences[i] is null) throw new ArgumentException($"Padding.PadBatch: sequence {i} is null.", nameof(sequences));
            longest = Math.Max(longest, sequences[i].Length);
        }
        int width = maxLength ?? longest;
        if (width == 0)
            throw new ArgumentException($"Padding.PadBatch: all {sequences.Count} sequences are empty; there is nothing to pad to.", nameof(sequences));

        var ids = new long[sequences.Count * width];
        var lengths = new long[sequences.Count];
        for (int i = 0; i < sequences.Count; i++)
        {
            var s = sequences[i];
            int n = Math.Min(s.Length, width);
            for (int t = 0; t < n; t++) ids[i * width + t] = s[t];
            for (int t = n; t < width; t++) ids[i * width + t] = padId;
            lengths[i] = n;
        }
        return (Tensor.FromArray(ids, [sequences.Count, width]), Tensor.FromArray(lengths, [sequences.Count]));
    }

    /// <summary>
    /// The inverse of <see cref="PadBatch"/> for rows padded at the end: the valid length of each row of int64 ids
    /// [N, L], one past its last id that is not <paramref name="padId"/>. A padding id inside a sentence counts as a
    /// token; only the trailing run is padding. Refuses an all-padding row, naming <paramref name="op"/>.
    /// </summary>
    public static Tensor LengthsOf(Tensor ids, int padId, string op)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2 || ids.DType != DType.Int64)
            throw new ArgumentException($"{op}: expected int64 token ids of shape [batch, length], got {ids.DType.TorchName()} [{string.Join(", ", ids.Shape)}].");
        int n = ids.Size(0), steps = ids.Size(1);
        var values = ids.Contiguous().ToArray<long>();
        var lengths = new long[n];
        for (int i = 0; i < n; i++)
        {
            int length = steps;
            while (length > 0 && values[i * steps + length - 1] == padId) length--;
            if (length == 0)
                throw new ArgumentException($"{op}: row {i} of the token ids of shape [{string.Join(", ", ids.Shape)}] is all padding (id {padId}); " +
                    "every sentence needs at least one token.");
            lengths[i] = length;
        }
        return Tensor.FromArray(lengths, [n]);
    }

    /// <summary>The notes' truncate_pad: the first <paramref name="length"/> ids, or all of them followed by padId up to that length.</summary>
    public static int[] TruncatePad(int[] sequence, int length, int padId)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, $"Padding.TruncatePad: length must be >= 0, got {length}.");
        var result = new int[length];
        int n = Math.Min(length, sequence.Length);
        Array.Copy(sequence, result, n);
        Array.Fill(result, padId, n, length - n);
        return result;
    }

    /// <summary><paramref name="bosId"/> followed by the sequence (the decoder input of teacher forcing).</summary>
    public static int[] PrependBos(int[] sequence, int bosId)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return [bosId, .. sequence];
    }

    /// <summary>The sequence followed by <paramref name="eosId"/> (so a model learns where a sentence ends).</summary>
    public static int[] AppendEos(int[] sequence, int eosId)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return [.. sequence, eosId];
    }
}
