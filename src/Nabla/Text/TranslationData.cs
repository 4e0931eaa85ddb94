using Nabla.Data;

namespace Nabla.Text;

/// <summary>One tokenised sentence pair (words and punctuation, no markers).</summary>
public sealed record TranslationPair(string[] Source, string[] Target);

/// <summary>One pair as vocabulary ids, each side followed by &lt;eos&gt; and not yet padded.</summary>
public sealed record TranslationExample(int[] Source, int[] Target);

/// <summary>
/// A batch of pairs: int64 ids [N, numSteps] padded with &lt;pad&gt; after the &lt;eos&gt;, and int64 valid lengths [N]
/// (tokens up to and including &lt;eos&gt;), for each side.
/// </summary>
public sealed record TranslationBatch(Tensor Source, Tensor SourceLengths, Tensor Target, Tensor TargetLengths)
{
    public int Size => Source.Size(0);
}

/// <summary>
/// The notes' <c>load_data_nmt</c> with a held-out split: pairs are preprocessed and tokenised
/// (<see cref="TranslationPairs"/>), pairs with more than <see cref="MaxTokens"/> tokens on either side are dropped,
/// a seeded 10 % of the distinct source sentences is held out, and the two vocabularies (min frequency 2, reserved
/// &lt;pad&gt; &lt;bos&gt; &lt;eos&gt; after &lt;unk&gt;) are built on the training pairs. See docs/TRANSLATION.md.
/// </summary>
public sealed class TranslationData
{
    TranslationData(TranslationPair[] train, TranslationPair[] heldOut, Vocabulary source, Vocabulary target, int maxTokens, int numSteps)
    {
        TrainPairs = train;
        HeldOutPairs = heldOut;
        SourceVocab = source;
        TargetVocab = target;
        MaxTokens = maxTokens;
        NumSteps = numSteps;
        Train = new ExampleList(train.Select(Encode).ToArray());
        HeldOut = new ExampleList(heldOut.Select(Encode).ToArray());
    }

    /// <summary>The reserved tokens of both vocabularies, in id order after &lt;unk&gt; (ids 1, 2, 3).</summary>
    public static readonly string[] Reserved = [Vocabulary.Pad, Vocabulary.Bos, Vocabulary.Eos];

    public IReadOnlyList<TranslationPair> TrainPairs { get; }
    public IReadOnlyList<TranslationPair> HeldOutPairs { get; }
    public Vocabulary SourceVocab { get; }
    public Vocabulary TargetVocab { get; }

    /// <summary>The longest sentence kept, in tokens before &lt;eos&gt;.</summary>
    public int MaxTokens { get; }

    /// <summary>The padded length of a batch; <see cref="MaxTokens"/> + 1 by default, so no kept sentence loses its &lt;eos&gt;.</summary>
    public int NumSteps { get; }

    /// <summary>The training pairs as ids, for a <see cref="DataLoader{T, TBatch}"/> with <see cref="Collate"/>.</summary>
    public IDataset<TranslationExample> Train { get; }

    /// <summary>The held-out pairs as ids.</summary>
    public IDataset<TranslationExample> HeldOut { get; }

    /// <summary>
    /// Builds the data from raw pairs. <paramref name="maxTokens"/> counts a sentence's words and punctuation marks
    /// after tokenisation, not &lt;eos&gt;; <paramref name="numSteps"/> defaults to maxTokens + 1.
    /// </summary>
    public static TranslationData Build(IReadOnlyList<(string Source, string Target)> pairs, int maxTokens = 10, double heldOutFraction = 0.1,
        int seed = 0, int minFreq = 2, int? numSteps = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (maxTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, $"translation data: maxTokens must be at least 1, got {maxTokens}.");
        if (!(heldOutFraction >= 0 && heldOutFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, $"translation data: the held-out fraction must lie in [0, 1), got {heldOutFraction}.");
        int steps = numSteps ?? maxTokens + 1;
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(numSteps), steps, $"translation data: numSteps must be at least 2 (a token and <eos>), got {steps}.");

        // Group the kept pairs by source sentence (in first-seen order) so that a held-out source was never trained on.
        var groups = new List<List<TranslationPair>>();
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (s, t) in pairs)
        {
            var src = TranslationPairs.Words(s);
            var tgt = TranslationPairs.Words(t);
            if (src.Length == 0 || tgt.Length == 0 || src.Length > maxTokens || tgt.Length > maxTokens) continue;
            string key = string.Join(' ', src);
            if (!groupOf.TryGetValue(key, out int g)) { groupOf[key] = g = groups.Count; groups.Add([]); }
            groups[g].Add(new TranslationPair(src, tgt));
        }
        if (groups.Count == 0)
            throw new ArgumentException($"translation data: none of the {pairs.Count} pairs has at most {maxTokens} tokens on both sides.", nameof(pairs));

        var order = SplitMix64.For(seed, 0x7472616E).Permutation(groups.Count);      // stream "tran"
        int take = (int)Math.Round(heldOutFraction * groups.Count, MidpointRounding.AwayFromZero);
        var heldOutGroups = new bool[groups.Count];
        for (int k = 0; k < take; k++) heldOutGroups[order[k]] = true;
        var train = new List<TranslationPair>();
        var heldOut = new List<TranslationPair>();
        for (int g = 0; g < groups.Count; g++) (heldOutGroups[g] ? heldOut : train).AddRange(groups[g]);
        if (train.Count == 0)
            throw new ArgumentException($"translation data: holding out {heldOutFraction} of {groups.Count} source sentences leaves nothing to train on.", nameof(heldOutFraction));

        var sourceVocab = Vocabulary.Build(train.Select(p => p.Source), minFreq, Reserved);
        var targetVocab = Vocabulary.Build(train.Select(p => p.Target), minFreq, Reserved);
        return new TranslationData([.. train], [.. heldOut], sourceVocab, targetVocab, maxTokens, steps);
    }

    /// <summary>Ids of a pair, each side with &lt;eos&gt; appended (unknown words become &lt;unk&gt;).</summary>
    public TranslationExample Encode(TranslationPair pair) =>
        new(EncodeSource(pair.Source), Padding.AppendEos(TargetVocab.Encode(pair.Target), TargetVocab[Vocabulary.Eos]));

    /// <summary>Source ids of a tokenised sentence with &lt;eos&gt; appended (what the encoder reads).</summary>
    public int[] EncodeSource(IEnumerable<string> tokens) => Padding.AppendEos(SourceVocab.Encode(tokens), SourceVocab[Vocabulary.Eos]);

    /// <summary>
    /// The notes' <c>build_array_nmt</c> on a batch: each side truncated or padded with &lt;pad&gt; to
    /// <see cref="NumSteps"/>; the valid lengths count the tokens that are not padding (so a truncated sentence
    /// loses its &lt;eos&gt;, as in the notes).
    /// </summary>
    public TranslationBatch Collate(IReadOnlyList<TranslationExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("translation data: cannot collate an empty batch.", nameof(examples));
        var (src, srcLen) = Padding.PadBatch([.. examples.Select(e => e.Source)], SourceVocab[Vocabulary.Pad], NumSteps);
        var (tgt, tgtLen) = Padding.PadBatch([.. examples.Select(e => e.Target)], TargetVocab[Vocabulary.Pad], NumSteps);
        return new TranslationBatch(src, srcLen, tgt, tgtLen);
    }

    /// <summary>
    /// The held-out set grouped by source sentence: each distinct source with every reference translation the file
    /// gives for it (in file order) — the multi-reference input of <see cref="Bleu.Corpus"/>.
    /// </summary>
    public IReadOnlyList<(string[] Source, IReadOnlyList<string[]> References)> HeldOutBySource()
    {
        var result = new List<(string[], IReadOnlyList<string[]>)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in HeldOutPairs)
        {
            string key = string.Join(' ', p.Source);
            if (!index.TryGetValue(key, out int i)) { index[key] = i = result.Count; result.Add((p.Source, new List<string[]>())); }
            ((List<string[]>)result[i].Item2).Add(p.Target);
        }
        return result;
    }

    sealed class ExampleList(TranslationExample[] items) : IDataset<TranslationExample>
    {
        public int Count => items.Length;
        public TranslationExample Get(int index) => items[index];
    }
}
