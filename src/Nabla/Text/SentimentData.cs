using Nabla.Data;

namespace Nabla.Text;

/// <summary>One sentence as the classifiers read it: its token ids (never empty) and its class (0 negative, 1 positive).</summary>
public sealed record SentimentExample(int[] Ids, int Label);

/// <summary>How <see cref="SentimentData.Create"/> splits, tokenises and encodes a labelled corpus.</summary>
public sealed record SentimentDataOptions
{
    /// <summary>The held-out test share of each class (issue 6: 20 %).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>
    /// The share of each class of the TRAINING part set aside for validation (early stopping, model choice); 0 for
    /// none. The test part is never looked at while training.
    /// </summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Tokens seen fewer times in the training sentences become &lt;unk&gt;.</summary>
    public int MinFreq { get; init; } = 1;

    /// <summary>The seed of both splits.</summary>
    public int Seed { get; init; }

    /// <summary>Sentences longer than this many tokens keep their first <c>MaxLength</c> tokens; null keeps all.</summary>
    public int? MaxLength { get; init; }
}

/// <summary>
/// The sentiment data pipeline of issue 6: a seeded stratified train/test split (<see cref="SentimentSplit"/>) and a
/// validation slice carved from the training part; tokenisation (<see cref="Tokenize"/>: lowercase, the marks
/// , . ! ? as tokens of their own, other symbols dropped); a vocabulary built from the TRAINING sentences only
/// (so test words it never saw read as &lt;unk&gt;, as they would in use) with &lt;pad&gt; reserved; and
/// mini-batches padded at the end with &lt;pad&gt; (<see cref="Collate"/>), from which the models recover each
/// sentence's length.
/// </summary>
/// <remarks>
/// A sentence with no tokens (empty, white space, or only symbols the cleaning drops) is refused with an
/// <see cref="ArgumentException"/> naming it, rather than padded to a lone &lt;pad&gt; or &lt;unk&gt;: a label on
/// nothing is noise for training, and a classifier asked about nothing should say so rather than guess.
/// </remarks>
public sealed class SentimentData
{
    static readonly WordTokenizer Words = new(lowercase: true, splitPunctuation: true);

    SentimentData(Vocabulary vocab, int numClasses, SentimentExample[] train, SentimentExample[] validation, SentimentExample[] test,
        IReadOnlyList<string> trainSentences, int? maxLength)
    {
        Vocab = vocab;
        NumClasses = numClasses;
        Train = train;
        Validation = validation;
        Test = test;
        TrainSentences = trainSentences;
        MaxLength = maxLength;
    }

    public Vocabulary Vocab { get; }
    public int PadId => Vocab[Vocabulary.Pad];
    public int NumClasses { get; }
    public int? MaxLength { get; }
    public IReadOnlyList<SentimentExample> Train { get; }
    public IReadOnlyList<SentimentExample> Validation { get; }
    public IReadOnlyList<SentimentExample> Test { get; }

    /// <summary>The raw sentences of <see cref="Train"/>, in the same order (e.g. to pretrain word vectors on).</summary>
    public IReadOnlyList<string> TrainSentences { get; }

    /// <summary>
    /// The tokens of a sentence: lowercase; any character other than a letter, a digit, an apostrophe or one of
    /// , . ! ? becomes a space ("slow-moving" → "slow" "moving", quotes and brackets vanish); then the text
    /// helper's <see cref="WordTokenizer"/> splits at white space and cuts , . ! ? into tokens of their own.
    /// </summary>
    public static IReadOnlyList<string> Tokenize(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var chars = sentence.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            char c = chars[i];
            if (!(char.IsLetterOrDigit(c) || c == '\'' || WordTokenizer.Punctuation.Contains(c))) chars[i] = ' ';
        }
        return Words.Tokenize(new string(chars));
    }

    /// <summary>
    /// Splits <paramref name="corpus"/> (sentence, class) by <paramref name="options"/>, builds the vocabulary on
    /// the training sentences and encodes every part. Throws when the corpus is empty, a label is negative, a
    /// sentence has no tokens, or the split leaves a part empty.
    /// </summary>
    public static SentimentData Create(IReadOnlyList<(string Sentence, int Label)> corpus, SentimentDataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        options ??= new SentimentDataOptions();
        if (corpus.Count == 0)
            throw new ArgumentException("sentiment: the corpus is empty; expected sentences with labels (sentence<TAB>0|1 lines).", nameof(corpus));
        if (options.MaxLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"sentiment: MaxLength must be at least 1, got {options.MaxLength}.");
        if (!(options.ValidationFraction >= 0 && options.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(options), $"sentiment: the validation fraction must lie in [0, 1), got {options.ValidationFraction}.");

        var tokens = new IReadOnlyList<string>[corpus.Count];
        var labels = new int[corpus.Count];
        for (int i = 0; i < corpus.Count; i++)
        {
            var (sentence, label) = corpus[i];
            if (sentence is null) throw new ArgumentException($"sentiment: sentence {i} is null.", nameof(corpus));
            if (label < 0) throw new ArgumentException($"sentiment: sentence {i} has label {label}; labels are class indices 0, 1, ….", nameof(corpus));
            tokens[i] = Tokenize(sentence);
            if (tokens[i].Count == 0)
                throw new ArgumentException($"sentiment: sentence {i} (\"{Shorten(sentence)}\") has no tokens after tokenisation " +
                    "(lowercase, symbols other than , . ! ? dropped); remove it from the corpus.", nameof(corpus));
            labels[i] = label;
        }
        int numClasses = Math.Max(2, labels.Max() + 1);

        var (trainAll, test) = SentimentSplit.Stratified(labels, options.TestFraction, options.Seed, stream: 0);
        int[] train = trainAll, validation = [];
        if (options.ValidationFraction > 0)
        {
            var (kept, held) = SentimentSplit.Stratified(trainAll.Select(i => labels[i]).ToArray(), options.ValidationFraction, options.Seed, stream: 1);
            train = kept.Select(k => trainAll[k]).ToArray();
            validation = held.Select(k => trainAll[k]).ToArray();
        }
        if (train.Length == 0 || (options.TestFraction > 0 && test.Length == 0))
            throw new ArgumentException($"sentiment: {corpus.Count} sentence(s) are too few to split into {train.Length} training and {test.Length} test sentences; " +
                "give more sentences or change the fractions.", nameof(corpus));

        var vocab = Vocabulary.Build(train.Select(i => tokens[i]), options.MinFreq, [Vocabulary.Pad]);
        SentimentExample[] Encode(int[] part) => part.Select(i => new SentimentExample(Cut(vocab.Encode(tokens[i]), options.MaxLength), labels[i])).ToArray();
        return new SentimentData(vocab, numClasses, Encode(train), Encode(validation), Encode(test),
            train.Select(i => corpus[i].Sentence).ToArray(), options.MaxLength);
    }

    /// <summary>The ids of a new sentence under this vocabulary (unknown words → &lt;unk&gt;); refuses a sentence with no tokens.</summary>
    public int[] Encode(string sentence)
    {
        var t = Tokenize(sentence);
        if (t.Count == 0)
            throw new ArgumentException($"sentiment: the sentence \"{Shorten(sentence)}\" has no tokens after tokenisation; there is nothing to classify.", nameof(sentence));
        return Cut(Vocab.Encode(t), MaxLength);
    }

    /// <summary>
    /// The batch of <paramref name="items"/>: ids int64 [N, L] padded at the end with <paramref name="padId"/> to the
    /// longest sentence (and to at least <paramref name="minLength"/>, e.g. textCNN's widest kernel), targets int64 [N].
    /// </summary>
    public static Batch Collate(IReadOnlyList<SentimentExample> items, int padId, int minLength = 1)
    {
        var (ids, _) = PadWithLengths(items, padId, minLength);
        var targets = new long[items.Count];
        for (int i = 0; i < targets.Length; i++) targets[i] = items[i].Label;
        return new Batch(ids, Tensor.From(targets));
    }

    /// <summary>Ids int64 [N, L] (as <see cref="Collate"/>) and the valid length of each sentence, int64 [N].</summary>
    public static (Tensor Ids, Tensor Lengths) PadWithLengths(IReadOnlyList<SentimentExample> items, int padId, int minLength = 1)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException("sentiment collate: a batch needs at least one sentence.", nameof(items));
        if (minLength < 1) throw new ArgumentOutOfRangeException(nameof(minLength), $"sentiment collate: the minimum length must be at least 1, got {minLength}.");
        var sequences = new int[items.Count][];
        for (int i = 0; i < items.Count; i++)
        {
            var ids = (items[i] ?? throw new ArgumentException($"sentiment collate: sentence {i} of the batch is null.", nameof(items))).Ids;
            if (ids.Length == 0) throw new ArgumentException($"sentiment collate: sentence {i} of the batch has no tokens.", nameof(items));
            sequences[i] = ids;
        }
        var (padded, lengths) = Padding.PadBatch(sequences, padId);
        int width = padded.Size(1);
        if (width < minLength)
            padded = Tensor.Cat([padded, Tensor.Full([items.Count, minLength - width], padId, DType.Int64)], dim: 1);
        return (padded, lengths);
    }

    /// <summary>A loader over <paramref name="part"/> with <see cref="Collate"/> (shuffled by (seed, epoch) when asked).</summary>
    public DataLoader<SentimentExample, Batch> Loader(IReadOnlyList<SentimentExample> part, int batchSize, bool shuffle = false, int seed = 0, int minLength = 1)
    {
        int pad = PadId;
        return new DataLoader<SentimentExample, Batch>(Dataset.FromList(part), batchSize, items => Collate(items, pad, minLength), shuffle, seed, prefetch: 0);
    }

    static int[] Cut(int[] ids, int? maxLength) => maxLength is { } m && ids.Length > m ? ids[..m] : ids;

    static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
