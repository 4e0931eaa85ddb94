using System.Diagnostics;
using Nabla.Autograd;
using Nabla.NN;
using Nabla.Text;
using Spectre.Console;

namespace Nabla.Cli.Runs;

/// <summary>
/// Word vectors pretrained by us, on text we ship, for the sentiment classifiers (our stand-in for the notes' GloVe),
/// either fastText (<see cref="FastText"/>: skip-gram over words and their character n-grams) on the English side of
/// the Tatoeba sentence pairs (data/text/tatoeba-eng.txt.gz, 49k everyday sentences), The Time Machine and the run's
/// TRAINING sentences, or skip-gram word2vec (<see cref="Word2Vec"/>) or GloVe (<see cref="GloVe"/>, the notes' own
/// choice) on the Penn Treebank training sentences, The Time Machine and the training sentences. Never the validation or test sentences. Everything is tokenised like
/// the classifier's input. Each word of the classifier's vocabulary that has a vector starts from it (centred, then
/// scaled to the standard deviation 1 of the default N(0, 1) embedding init: per word by default, see
/// <see cref="WordScaling"/>); with word2vec and GloVe the others keep their random init, with fastText every word has a
/// vector (rare ones from their n-grams).
/// </summary>
public static class SentimentPretraining
{
    public const string FastTextMethod = "fasttext", Word2VecMethod = "word2vec", GloVeMethod = "glove";

    /// <summary>The methods <see cref="Apply"/> takes.</summary>
    public static readonly string[] Methods = [FastTextMethod, Word2VecMethod, GloVeMethod];

    /// <summary>
    /// How the centred vectors are scaled to the standard deviation 1 of N(0, 1): the whole table by one factor,
    /// each coordinate by its own, or each word to the norm √dim (every word equally loud).
    /// </summary>
    public const string TableScaling = "table", DimensionScaling = "dimension", WordScaling = "word";

    /// <summary>The shipped unlabeled English sentences fastText pretrains on (see data/PROVENANCE.md).</summary>
    public const string TatoebaFile = "tatoeba-eng.txt.gz";

    /// <summary>Trains the vectors and copies them into the model's embeddings; returns a one-line description for the sidecar.</summary>
    /// <param name="epochs">passes of the pretraining; null is the method's default here (fastText and word2vec 5, GloVe 15).</param>
    public static string Apply(Module model, SentimentData data, int dim, int seed, IAnsiConsole log, string method = FastTextMethod, int? epochs = null,
        string scaling = TableScaling, Func<string, bool>? embeddingFilter = null)
    {
        var clock = Stopwatch.StartNew();
        var sentences = new List<IReadOnlyList<string>>();
        if (method is Word2VecMethod or GloVeMethod)
            // PTB marks rare words "<unk>"; drop them rather than teach a vector for the word "unk".
            foreach (var line in Corpora.PtbLines("train")) sentences.Add(SentimentData.Tokenize(line.Replace("<unk>", " ")));
        else if (method == FastTextMethod)
            foreach (var line in Corpora.ReadLines(TextData.Find(TextData.TextFolder, TatoebaFile, "sentiment pretraining")))
                sentences.Add(SentimentData.Tokenize(line));
        else throw new ArgumentException($"sentiment pretraining: the method must be one of {string.Join(", ", Methods)}, got \"{method}\".");
        foreach (var line in TextCleaning.TimeMachine(Corpora.TimeMachine()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            sentences.Add(SentimentData.Tokenize(line));
        // The training sentences count three times: they are the domain the vectors are for, and few.
        for (int r = 0; r < 3; r++)
            foreach (var s in data.TrainSentences) sentences.Add(SentimentData.Tokenize(s));

        Func<string, float[]> vectorOf;
        string what;
        int known;
        double lastLoss;
        ulong vectorSeed = unchecked((ulong)seed) + 7;
        if (method == Word2VecMethod)
        {
            int passes = epochs ?? 5;
            var w2v = Word2Vec.Train(sentences, new Word2VecOptions { Dim = dim, MinCount = 3, Epochs = passes, Seed = vectorSeed });
            vectorOf = w => w2v.Vector(w).ToArray();
            (known, lastLoss) = (w2v.Words.Count, w2v.EpochLosses[^1]);
            what = $"skip-gram word2vec (dim {dim}, window 5, 5 negatives, {passes} epochs, min count 3) on PTB train + The Time Machine + the training sentences";
        }
        else if (method == GloVeMethod)
        {
            // x_max 10 rather than the paper's 100: on PTB's million tokens it learned better neighbours in 15 epochs
            // than 100 did in 50 (docs/word-vectors.md).
            int passes = epochs ?? 15;
            var glove = GloVe.Train(sentences, new GloVeOptions { Dim = dim, MinCount = 3, Epochs = passes, XMax = 10, Seed = vectorSeed });
            vectorOf = w => glove.Vector(w).ToArray();
            (known, lastLoss) = (glove.Words.Count, glove.EpochLosses[^1]);
            what = $"GloVe (dim {dim}, window 10, x max 10, {passes} epochs, min count 3) on PTB train + The Time Machine + the training sentences";
        }
        else
        {
            int passes = epochs ?? 5;
            var ft = FastText.Train(sentences, new FastTextOptions { Dim = dim, MinCount = 2, Epochs = passes, Seed = vectorSeed });
            vectorOf = ft.Vector;
            (known, lastLoss) = (ft.Words.Count, ft.EpochLosses[^1]);
            what = $"fastText skip-gram (dim {dim}, window 5, 5 negatives, n-grams 3-6 in {ft.Options.Buckets:N0} buckets, {passes} epochs, min count 2) " +
                "on Tatoeba English + The Time Machine + the training sentences";
        }

        var table = new float[data.Vocab.Count * dim];
        var found = new bool[data.Vocab.Count];
        var mean = new double[dim];
        int hits = 0;
        for (int id = 0; id < data.Vocab.Count; id++)
        {
            var v = vectorOf(data.Vocab.Token(id));
            if (v.Length == 0) continue;
            v.CopyTo(table.AsSpan(id * dim, dim));
            found[id] = true;
            hits++;
            for (int k = 0; k < dim; k++) mean[k] += v[k];
        }
        // Skip-gram vectors share a large common component (the frequency direction); remove it, so what the
        // classifier starts from is what tells words apart, then scale (see TableScaling).
        if (scaling is not (TableScaling or DimensionScaling or WordScaling))
            throw new ArgumentException($"sentiment pretraining: the scaling must be \"{TableScaling}\", \"{DimensionScaling}\" or \"{WordScaling}\", got \"{scaling}\".");
        for (int k = 0; k < dim; k++) mean[k] /= Math.Max(1, hits);
        var sumSq = new double[dim];
        for (int id = 0; id < found.Length; id++)
            if (found[id])
                for (int k = 0; k < dim; k++)
                {
                    float c = (float)(table[id * dim + k] - mean[k]);
                    table[id * dim + k] = c;
                    sumSq[k] += c * (double)c;
                }
        var scales = new float[dim];
        double total = sumSq.Sum();
        for (int k = 0; k < dim; k++)
            scales[k] = hits == 0 ? 1f : (float)(1 / Math.Sqrt(Math.Max(1e-12, scaling == DimensionScaling ? sumSq[k] / hits : total / (hits * (double)dim))));
        if (scaling == WordScaling)
        {
            // Frequent words end with much longer vectors than rare ones; scaled per word, no word's windows
            // dominate a max-over-time pooling just by being loud.
            Array.Fill(scales, 1f);
            for (int id = 0; id < found.Length; id++)
                if (found[id])
                {
                    var row = table.AsSpan(id * dim, dim);
                    double norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row));
                    if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Multiply(row, (float)(Math.Sqrt(dim) / norm), row);
                }
        }
        var embeddings = model.NamedModules().Where(m => m.Module is Embedding && (embeddingFilter?.Invoke(m.Name) ?? true))
            .Select(m => (Embedding)m.Module).ToList();
        using (new NoGrad())
        {
            foreach (var embedding in embeddings)
            {
                var w = embedding.Weight.Contiguous().ToArray<float>();
                for (int id = 0; id < found.Length; id++)
                    if (found[id])
                        for (int k = 0; k < dim; k++) w[id * dim + k] = table[id * dim + k] * scales[k];
                embedding.Weight.CopyFrom(Tensor.From(w, found.Length, dim));
            }
        }
        what += $"; centred and scaled per {scaling}; {hits} of {data.Vocab.Count} vocabulary words initialised";
        log.WriteLine($"pretrained {known} word vectors ({method}) in {clock.Elapsed.TotalSeconds:0.0} s (loss {lastLoss:0.000}); {hits} of {data.Vocab.Count} words initialised");
        return what;
    }
}
