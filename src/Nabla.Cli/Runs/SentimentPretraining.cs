using System.Diagnostics;
using Nabla.Autograd;
using Nabla.Models.Text;
using Nabla.NN;
using Nabla.Text;
using Spectre.Console;

namespace Nabla.Cli.Runs;

/// <summary>
/// Word vectors pretrained by us, on text we ship, for the sentiment classifiers (our stand-in for the notes' GloVe):
/// skip-gram with negative sampling (<see cref="Word2Vec"/>) on the Penn Treebank training sentences, The Time
/// Machine and the run's TRAINING sentences (never the validation or test ones), all tokenised like the classifier's
/// input. Each word of the classifier's vocabulary that has a vector starts from it (scaled so the table keeps the
/// standard deviation 1 of the default N(0, 1) embedding init); the others keep their random init.
/// </summary>
public static class SentimentPretraining
{
    /// <summary>Trains the vectors and copies them into the model's embeddings; returns a one-line description for the sidecar.</summary>
    public static string Apply(Module model, SentimentData data, int dim, int seed, IAnsiConsole log)
    {
        var clock = Stopwatch.StartNew();
        var sentences = new List<IReadOnlyList<string>>();
        // PTB marks rare words "<unk>"; drop them rather than teach a vector for the word "unk".
        foreach (var line in Corpora.PtbLines("train")) sentences.Add(SentimentData.Tokenize(line.Replace("<unk>", " ")));
        foreach (var line in TextCleaning.TimeMachine(Corpora.TimeMachine()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            sentences.Add(SentimentData.Tokenize(line));
        // The training sentences count three times: they are the domain the vectors are for, and few.
        for (int r = 0; r < 3; r++)
            foreach (var s in data.TrainSentences) sentences.Add(SentimentData.Tokenize(s));
        var vectors = Word2Vec.Train(sentences, new Word2VecOptions { Dim = dim, MinCount = 3, Epochs = 3, Seed = unchecked((ulong)seed) + 7 });

        var table = new float[data.Vocab.Count * dim];
        var found = new bool[data.Vocab.Count];
        var mean = new double[dim];
        int hits = 0;
        for (int id = 0; id < data.Vocab.Count; id++)
        {
            var v = vectors.Vector(data.Vocab.Token(id));
            if (v.IsEmpty) continue;
            v.CopyTo(table.AsSpan(id * dim, dim));
            found[id] = true;
            hits++;
            for (int k = 0; k < dim; k++) mean[k] += v[k];
        }
        // Skip-gram vectors share a large common component (the frequency direction); remove it, so what the
        // classifier starts from is what tells words apart, then scale to the standard deviation 1 of N(0, 1).
        double sumSq = 0;
        for (int k = 0; k < dim; k++) mean[k] /= Math.Max(1, hits);
        for (int id = 0; id < found.Length; id++)
            if (found[id])
                for (int k = 0; k < dim; k++)
                {
                    float c = (float)(table[id * dim + k] - mean[k]);
                    table[id * dim + k] = c;
                    sumSq += c * (double)c;
                }
        float scale = hits == 0 ? 1f : (float)(1 / Math.Sqrt(sumSq / (hits * (double)dim)));
        var embeddings = model.NamedModules().Where(m => m.Module is Embedding).Select(m => (Embedding)m.Module).ToList();
        using (new NoGrad())
        {
            foreach (var embedding in embeddings)
            {
                var w = embedding.Weight.Contiguous().ToArray<float>();
                for (int id = 0; id < found.Length; id++)
                    if (found[id])
                        for (int k = 0; k < dim; k++) w[id * dim + k] = table[id * dim + k] * scale;
                embedding.Weight.CopyFrom(Tensor.From(w, found.Length, dim));
            }
        }
        string what = $"skip-gram word2vec (dim {dim}, window 5, 5 negatives, 3 epochs) on PTB train + The Time Machine + the training sentences; " +
            $"{hits} of {data.Vocab.Count} vocabulary words initialised";
        log.WriteLine($"pretrained {vectors.Words.Count} word vectors in {clock.Elapsed.TotalSeconds:0.0} s (loss {vectors.EpochLosses[^1]:0.000}); {hits} of {data.Vocab.Count} words initialised");
        return what;
    }
}
