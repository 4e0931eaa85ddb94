using System.Text;

namespace Nabla.Text;

/// <summary>
/// Sentence pairs for machine translation (the notes' "English–French" data set, 10.5): reading a TAB-separated
/// pair file, the notes' <c>preprocess_nmt</c> and their word tokenisation by spaces.
/// </summary>
public static class TranslationPairs
{
    /// <summary>The shipped folder of the translation pairs.</summary>
    public const string Folder = "data/translation";

    /// <summary>The shipped English→French pairs (Tatoeba via manythings.org, 76,036 lines).</summary>
    public const string FraEngFile = "fra-eng.txt.gz";

    /// <summary>The raw (source, target) pairs of the shipped English→French file, or of <paramref name="path"/>.</summary>
    public static IReadOnlyList<(string Source, string Target)> FraEng(string? path = null) =>
        Read(path ?? TextData.Find(Folder, FraEngFile, "fra-eng"));

    /// <summary>
    /// The pairs of any UTF-8 (optionally gzip) file with one "source TAB target" per line. Blank lines are skipped.
    /// A third and further column (the attribution column of newer manythings.org files) is ignored; a line with no
    /// TAB, or with an empty side, throws <see cref="InvalidDataException"/> naming the file and line.
    /// </summary>
    public static IReadOnlyList<(string Source, string Target)> Read(string path)
    {
        var lines = Corpora.ReadText(path).Split('\n');
        var pairs = new List<(string, string)>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split('\t');
            if (parts.Length < 2 || string.IsNullOrWhiteSpace(parts[0]) || string.IsNullOrWhiteSpace(parts[1]))
                throw new InvalidDataException($"translation pairs: {path}:{i + 1}: expected \"source<TAB>target\" with both sides non-empty, got " +
                    $"{Vocabulary.Quote(line.Length > 80 ? line[..80] + "…" : line)}.");
            pairs.Add((parts[0], parts[1]));
        }
        if (pairs.Count == 0)
            throw new InvalidDataException($"translation pairs: {path} holds no sentence pairs (only blank lines).");
        return pairs;
    }

    /// <summary>
    /// The notes' <c>preprocess_nmt</c> on one sentence: non-breaking spaces become spaces, the text is lowercased
    /// (culture-invariant), and a space is inserted before each of , . ! ? that does not follow a space (and is not the
    /// first character: the notes test <c>i &gt; 0</c>). The notes replace U+00A0 and U+202F; here every Unicode white
    /// space does, because the shipped file also holds a thin space (U+2009, before a French "?") that would otherwise
    /// become a token of its own.
    /// </summary>
    public static string Preprocess(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        string text = sentence.ToLowerInvariant();
        var sb = new StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            char c = char.IsWhiteSpace(text[i]) ? ' ' : text[i];
            if (i > 0 && c is ',' or '.' or '!' or '?' && !char.IsWhiteSpace(text[i - 1])) sb.Append(' ');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The notes' tokenisation: split at spaces. Empty pieces (from doubled or edge spaces) are dropped — the notes'
    /// <c>split(' ')</c> would keep them as empty-string tokens, which no vocabulary wants.
    /// </summary>
    public static string[] Tokenize(string preprocessed)
    {
        ArgumentNullException.ThrowIfNull(preprocessed);
        return preprocessed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary><see cref="Preprocess"/> then <see cref="Tokenize"/>.</summary>
    public static string[] Words(string sentence) => Tokenize(Preprocess(sentence));
}
