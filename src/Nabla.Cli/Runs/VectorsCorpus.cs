using Nabla.Text;

namespace Nabla.Cli.Runs;

/// <summary>
/// The sentences `nabla vectors` trains on: "ptb" (the shipped Penn Treebank training split, its &lt;unk&gt; marks
/// dropped so no vector is taught for the word "unk"), "timemachine" (the shipped book cut into sentences at . ! ?,
/// each cleaned as the notes clean the book) or the path of any UTF-8 text file (a line per sentence, lowercased, with , . ! ? split off).
/// </summary>
public static class VectorsCorpus
{
    static readonly char[] SentenceEnds = ['.', '!', '?'];

    public static (string Name, List<IReadOnlyList<string>> Sentences) Load(string corpus, int? limit)
    {
        ArgumentException.ThrowIfNullOrEmpty(corpus);
        IEnumerable<IReadOnlyList<string>> sentences;
        string name;
        if (string.Equals(corpus, "ptb", StringComparison.OrdinalIgnoreCase))
        {
            name = "ptb";
            sentences = Corpora.PtbLines("train").Select(line => (IReadOnlyList<string>)line.Replace("<unk>", " ").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        else if (string.Equals(corpus, "timemachine", StringComparison.OrdinalIgnoreCase))
        {
            name = "timemachine";
            // The book's line breaks only wrap its prose, so it is cut into sentences at . ! ? instead, each then
            // cleaned as the notes clean the whole text (lowercase letters only).
            sentences = Corpora.TimeMachine().Split(SentenceEnds, StringSplitOptions.RemoveEmptyEntries)
                .Select(sentence => (IReadOnlyList<string>)TextCleaning.TimeMachine(sentence).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        else
        {
            if (!File.Exists(corpus))
                throw new FileNotFoundException(Directory.Exists(corpus)
                    ? $"vectors: --corpus '{corpus}' is a folder; give 'ptb', 'timemachine' or the path of a UTF-8 text file."
                    : $"vectors: --corpus '{corpus}' does not exist; give 'ptb', 'timemachine' or the path of a UTF-8 text file.", corpus);
            name = Path.GetFullPath(corpus);
            var tokenizer = new WordTokenizer(lowercase: true, splitPunctuation: true);
            sentences = Corpora.ReadLines(corpus).Select(tokenizer.Tokenize);
        }
        var list = sentences.Where(s => s.Count > 0).Take(limit ?? int.MaxValue).ToList();
        return (name, list);
    }
}
