using System.IO.Compression;
using System.Text;

namespace Nabla.Text;

/// <summary>
/// The text corpora of the notes, read from the files the repository ships (see <see cref="TextData"/>) or from
/// an explicit path: The Time Machine (character-level language model), the Penn Treebank (word-level language
/// model, Mikolov's 10k-word version) and the UCI sentiment sentences (IMDb + Amazon, 2,000 labelled sentences).
/// </summary>
public static class Corpora
{
    public const string TimeMachineFile = "timemachine.txt";
    public static readonly string[] PtbSplits = ["train", "valid", "test"];
    public static readonly string[] SentimentFiles = ["imdb_labelled.txt", "amazon_cells_labelled.txt"];

    // Strict: a file that is not UTF-8 must say so, not turn into U+FFFD replacement characters.
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The raw text of H. G. Wells' The Time Machine (clean it with <see cref="TextCleaning.TimeMachine"/>).</summary>
    /// <param name="path">a file to read instead of the shipped data/text/timemachine.txt.</param>
    public static string TimeMachine(string? path = null) =>
        ReadText(path ?? TextData.Find(TextData.TextFolder, TimeMachineFile, "time machine"));

    /// <summary>
    /// The sentences of one Penn Treebank split ("train" 42,068 lines, "valid" 3,370, "test" 3,761), each line
    /// trimmed, blank lines skipped. Tokens are separated by single spaces; rare words are already "&lt;unk&gt;" and
    /// numbers "N". Reads ptb.{split}.txt.gz or, if that is absent, ptb.{split}.txt.
    /// </summary>
    /// <param name="folder">a folder to read instead of the shipped data/text.</param>
    public static IReadOnlyList<string> PtbLines(string split, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (!PtbSplits.Contains(split))
            throw new ArgumentException($"ptb: unknown split '{split}'; expected one of {string.Join(", ", PtbSplits)}.", nameof(split));
        string gz = $"ptb.{split}.txt.gz", plain = $"ptb.{split}.txt";
        string path;
        if (folder is null)
        {
            try { path = TextData.Find(TextData.TextFolder, gz, "ptb"); }
            catch (FileNotFoundException missingGz)
            {
                // An uncompressed copy will do; if there is none either, report the file the repository ships.
                try { path = TextData.Find(TextData.TextFolder, plain, "ptb"); }
                catch (FileNotFoundException) { throw missingGz; }
            }
        }
        else
        {
            string dir = TextData.Resolve(folder, TextData.TextFolder, gz, "ptb");
            path = File.Exists(Path.Combine(dir, gz)) ? Path.Combine(dir, gz) : Path.Combine(dir, plain);
        }
        return ReadLines(path);
    }

    /// <summary>
    /// The UCI "Sentiment Labelled Sentences" of IMDb and Amazon (1,000 each, in that order): the sentence
    /// (trimmed) and its label, 0 negative or 1 positive. Blank lines are skipped; any other line that is not
    /// "sentence TAB 0|1" throws <see cref="InvalidDataException"/> naming the file and line.
    /// </summary>
    /// <param name="folder">a folder to read instead of the shipped data/sentiment.</param>
    public static IReadOnlyList<(string Sentence, int Label)> Sentiment(string? folder = null)
    {
        string dir = TextData.Resolve(folder, TextData.SentimentFolder, SentimentFiles[0], "sentiment");
        var all = new List<(string, int)>();
        foreach (var file in SentimentFiles) all.AddRange(SentimentFile(Path.Combine(dir, file)));
        return all;
    }

    /// <summary>One file of labelled sentences, "sentence TAB label" per line (see <see cref="Sentiment"/>).</summary>
    public static IReadOnlyList<(string Sentence, int Label)> SentimentFile(string path)
    {
        var lines = ReadText(path).Split('\n');
        var items = new List<(string, int)>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line)) continue;
            int tab = line.LastIndexOf('\t');
            string label = tab < 0 ? "" : line[(tab + 1)..].Trim();
            string sentence = tab < 0 ? "" : line[..tab].Trim();
            if (tab < 0 || label is not ("0" or "1") || sentence.Length == 0)
                throw new InvalidDataException($"sentiment: {path}:{i + 1}: expected \"sentence<TAB>0\" or \"sentence<TAB>1\", got " +
                    $"{Vocabulary.Quote(line.Length > 80 ? line[..80] + "…" : line)}.");
            items.Add((sentence, label[0] - '0'));
        }
        return items;
    }

    /// <summary>
    /// The text of any UTF-8 file (a byte-order mark is skipped), gzip-compressed or not: gzip is recognised by
    /// its magic bytes, not the file name. Invalid UTF-8 throws <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    /// <exception cref="ArgumentException">the file holds no text ("the text is empty").</exception>
    public static string ReadText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException(Directory.Exists(path)
                ? $"read text: '{path}' is a folder, not a file."
                : $"read text: the file '{path}' does not exist.", path);
        string text;
        try
        {
            using var file = File.OpenRead(path);
            using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            using var reader = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"read text: '{path}' is not valid UTF-8 ({e.Message}).", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"read text: '{path}' is a corrupt gzip file ({e.Message}).", e);
        }
        if (text.Length == 0)
            throw new ArgumentException($"read text: '{path}' holds no characters; the text is empty.", nameof(path));
        return text;
    }

    /// <summary>The non-blank lines of a text file (see <see cref="ReadText"/>), each trimmed.</summary>
    public static IReadOnlyList<string> ReadLines(string path)
    {
        var lines = new List<string>();
        foreach (var line in ReadText(path).Split('\n'))
        {
            var t = line.Trim();
            if (t.Length > 0) lines.Add(t);
        }
        return lines;
    }

    static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
