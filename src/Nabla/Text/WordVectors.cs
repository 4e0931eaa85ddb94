using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using Nabla.IO;

namespace Nabla.Text;

/// <summary>
/// A table of word vectors, whatever trained them (<see cref="Word2Vec"/>, <see cref="GloVe"/>, <see cref="FastText"/>,
/// or a file): look-up, the nearest words by cosine similarity and analogies (the notes' 14.7), and the plain-text
/// format of the GloVe release ("word x1 x2 … xd" per line), which gensim, torchtext and most tools read.
/// </summary>
public sealed class WordVectors
{
    readonly Dictionary<string, int> _index;
    readonly float[] _table;
    readonly string _source;

    /// <param name="words">The words, one vector each, in <paramref name="table"/>'s row order.</param>
    /// <param name="table">words × dim, row-major; kept, not copied.</param>
    /// <param name="source">Names the vectors in error messages ("glove", a file name).</param>
    public WordVectors(IReadOnlyList<string> words, float[] table, int dim, string source = "word vectors")
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(table);
        if (dim < 1 || table.Length != (long)words.Count * dim)
            throw new ArgumentException($"{source}: a table of {words.Count} words × dim {dim} needs {(long)words.Count * dim} values, got {table.Length}.");
        _index = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
            if (!_index.TryAdd(words[i], i)) throw new ArgumentException($"{source}: the word '{words[i]}' occurs twice.");
        (Words, _table, Dim, _source) = (words, table, dim, source);
    }

    public int Dim { get; }

    public IReadOnlyList<string> Words { get; }

    public bool Contains(string word) => _index.ContainsKey(word);

    /// <summary>The vector of <paramref name="word"/> (a read-only view of the table), or an empty span when it has none.</summary>
    public ReadOnlySpan<float> Vector(string word) =>
        _index.TryGetValue(word, out int i) ? _table.AsSpan(i * Dim, Dim) : ReadOnlySpan<float>.Empty;

    /// <summary>The <paramref name="k"/> words with the highest cosine similarity to <paramref name="word"/>, itself left out (the notes' get_similar_tokens).</summary>
    public IReadOnlyList<(string Word, double Cosine)> Nearest(string word, int k) => Nearest(Require(word), k, [word]);

    /// <summary>
    /// The <paramref name="k"/> words w for which a : b is as c : w, by the largest cos(w, b − a + c) (the notes'
    /// get_analogy); unlike the notes, a, b and c themselves are left out (they are often nearest to the sum).
    /// </summary>
    public IReadOnlyList<(string Word, double Cosine)> Analogy(string a, string b, string c, int k = 1)
    {
        var target = new float[Dim];
        TensorPrimitives.Subtract(Require(b), Require(a), target);
        TensorPrimitives.Add(target, Require(c), target);
        return Nearest(target, k, [a, b, c]);
    }

    /// <summary>The <paramref name="k"/> words nearest to <paramref name="vector"/> by cosine similarity, best first (ties by ordinal order), skipping <paramref name="exclude"/>.</summary>
    public IReadOnlyList<(string Word, double Cosine)> Nearest(ReadOnlySpan<float> vector, int k, IReadOnlyCollection<string>? exclude = null)
    {
        if (vector.Length != Dim) throw new ArgumentException($"{_source}: nearest words to a vector of length {vector.Length}; the vectors have dim {Dim}.", nameof(vector));
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scored = new List<(string Word, double Cosine)>(Words.Count);
        for (int i = 0; i < Words.Count; i++)
            if (exclude is null || !exclude.Contains(Words[i]))
                scored.Add((Words[i], TensorPrimitives.CosineSimilarity(vector, _table.AsSpan(i * Dim, Dim))));
        return scored.OrderByDescending(s => s.Cosine).ThenBy(s => s.Word, StringComparer.Ordinal).Take(k).ToList();
    }

    ReadOnlySpan<float> Require(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var v = Vector(word);
        if (v.IsEmpty) throw new ArgumentException($"{_source}: '{word}' has no vector (not among its {Words.Count} words).", nameof(word));
        return v;
    }

    /// <summary>Writes the GloVe text format, one "word x1 … xd" line per word, atomically (a failed write leaves any old file as it was).</summary>
    public void SaveText(string path)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            var line = new StringBuilder();
            for (int i = 0; i < Words.Count; i++)
            {
                line.Clear().Append(Words[i]);
                // "R" round-trips: a saved table loads back bit for bit.
                foreach (float x in _table.AsSpan(i * Dim, Dim)) line.Append(' ').Append(x.ToString("R", CultureInfo.InvariantCulture));
                writer.WriteLine(line);
            }
        });
    }

    /// <summary>
    /// Reads the GloVe text format (also word2vec's, whose first line "count dim" is skipped). Every line must hold a
    /// word and the same number of numbers; anything else is an error naming the file and the line.
    /// </summary>
    public static WordVectors LoadText(string path)
    {
        var lines = Corpora.ReadLines(path);
        string name = Path.GetFileName(path);
        if (lines.Count == 0) throw new InvalidDataException($"word vectors: '{name}' holds only blank lines.");
        int first = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var count, var width]
            && int.TryParse(count, CultureInfo.InvariantCulture, out _) && int.TryParse(width, CultureInfo.InvariantCulture, out _) ? 1 : 0;
        if (first == lines.Count) throw new InvalidDataException($"word vectors: '{name}' has a header but no vectors.");
        var words = new List<string>(lines.Count - first);
        var values = new List<float>();
        int dim = -1;
        for (int l = first; l < lines.Count; l++)
        {
            var fields = lines[l].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (dim < 0) dim = fields.Length - 1;
            if (dim < 1 || fields.Length != dim + 1)
                throw new InvalidDataException($"word vectors: line {l + 1} of '{name}' has {fields.Length - 1} numbers after the word; expected {Math.Max(dim, 1)}.");
            words.Add(fields[0]);
            for (int k = 1; k < fields.Length; k++)
            {
                if (!float.TryParse(fields[k], NumberStyles.Float, CultureInfo.InvariantCulture, out float x) || !float.IsFinite(x))
                    throw new InvalidDataException($"word vectors: line {l + 1} of '{name}': '{fields[k]}' is not a finite number.");
                values.Add(x);
            }
        }
        try { return new WordVectors(words, values.ToArray(), dim, name); }
        catch (ArgumentException e) { throw new InvalidDataException($"word vectors: {e.Message}", e); }
    }
}
