using Nabla.Text;

namespace Nabla.Cli.Runs;

/// <summary>
/// The token streams a language-model run trains and evaluates on, encoded with a vocabulary built from the
/// training stream. <c>char-lm</c>: <c>--data timemachine</c> (the shipped book, cleaned as the notes clean it: lowercase
/// letters and spaces) or the path of any UTF-8 text file, used as it is, one token per character (Chinese works);
/// no validation stream. <c>word-lm</c>: <c>--data ptb</c> (the shipped Penn Treebank) or a folder with
/// ptb.{train,valid,test}.txt[.gz]; each line's words followed by &lt;eos&gt;, the vocabulary from the training split.
/// </summary>
public sealed record LanguageModelData(
    string Source, string Tokenizer, string Cleaning, Vocabulary Vocabulary, int[] Train, int[]? Valid, int[]? Test)
{
    public ITokenizer TokenizerInstance => ForTokenizer(Tokenizer);

    public static ITokenizer ForTokenizer(string tokenizer) => tokenizer == "word" ? new WordTokenizer() : CharTokenizer.Instance;

    /// <summary>Reads and encodes the data of <paramref name="recipe"/>; <paramref name="limit"/> keeps the first N tokens of each stream.</summary>
    public static LanguageModelData Load(LanguageModelRecipe recipe, string? data, int? limit) =>
        recipe.Tokenizer == "word" ? Words(data, limit) : Characters(data, limit);

    static LanguageModelData Characters(string? data, int? limit)
    {
        bool book = data is null || string.Equals(data, "timemachine", StringComparison.OrdinalIgnoreCase);
        string path;
        string text;
        if (book)
        {
            path = TextData.Find(TextData.TextFolder, Corpora.TimeMachineFile, "train");
            text = TextCleaning.TimeMachine(Corpora.TimeMachine(path));
        }
        else
        {
            path = Path.GetFullPath(data!);
            if (!File.Exists(path))
                throw new FileNotFoundException(Directory.Exists(path)
                    ? $"train: --data '{data}' is a folder; char-lm reads one UTF-8 text file (or 'timemachine' for the shipped book)."
                    : $"train: --data '{data}' does not exist; char-lm takes 'timemachine' (the shipped book) or the path of a UTF-8 text file.", path);
            text = ReadNonEmpty(path, data!);
        }
        var tokens = CharTokenizer.Instance.Tokenize(text);
        if (limit is { } n && tokens.Count > n) tokens = tokens.Take(n).ToList();
        var vocab = Vocabulary.Build([tokens]);
        return new LanguageModelData(path, "char", book ? "timemachine" : "none", vocab, vocab.Encode(tokens), null, null);
    }

    static string ReadNonEmpty(string path, string shown)
    {
        string text;
        try
        {
            text = Corpora.ReadText(path);
        }
        catch (ArgumentException)
        {
            text = "";
        }
        if (text.Trim().Length == 0)
            throw new InvalidDataException($"train: --data '{shown}' holds no text (the file is empty or only whitespace); a language model needs text to learn from.");
        return text;
    }

    static LanguageModelData Words(string? data, int? limit)
    {
        bool shipped = data is null || string.Equals(data, "ptb", StringComparison.OrdinalIgnoreCase);
        string? folder = shipped ? null : Path.GetFullPath(data!);
        if (folder is not null && !Directory.Exists(folder))
            throw new DirectoryNotFoundException($"train: --data '{data}' is not a folder; word-lm takes 'ptb' (the shipped Penn Treebank) or a folder with ptb.train.txt, ptb.valid.txt and ptb.test.txt (or .txt.gz).");
        var splits = Corpora.PtbSplits.Select(split => Stream(Corpora.PtbLines(split, folder), limit)).ToArray();
        if (splits[0].Count == 0)
            throw new InvalidDataException($"train: the Penn Treebank training split in '{folder ?? TextData.TextFolder}' holds no words.");
        var vocab = Vocabulary.Build([splits[0]], reserved: [Vocabulary.Eos]);
        string source = folder ?? Path.GetDirectoryName(TextData.Find(TextData.TextFolder, "ptb.train.txt.gz", "train"))!;
        return new LanguageModelData(source, "word", "none", vocab, vocab.Encode(splits[0]), vocab.Encode(splits[1]), vocab.Encode(splits[2]));
    }

    /// <summary>One stream of words: every line's words and then &lt;eos&gt;, as PyTorch's word_language_model reads PTB.</summary>
    static List<string> Stream(IReadOnlyList<string> lines, int? limit)
    {
        var tokenizer = new WordTokenizer();
        var words = new List<string>();
        foreach (var line in lines)
        {
            words.AddRange(tokenizer.Tokenize(line));
            words.Add(Vocabulary.Eos);
            if (limit is { } n && words.Count >= n) return words.Take(n).ToList();
        }
        return words;
    }
}
