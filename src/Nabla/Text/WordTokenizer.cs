using System.Text;

namespace Nabla.Text;

/// <summary>
/// Splits text at whitespace (any Unicode white space, so non-breaking and narrow no-break spaces separate
/// words too), optionally lowercasing and optionally cutting the punctuation marks , . ! ? into tokens of their
/// own — the notes' preprocessing of the translation data.
/// </summary>
/// <remarks>
/// The notes insert a space only <em>before</em> a mark not already preceded by one, so "a,b" becomes "a" ",b";
/// here the mark is always its own token ("a" "," "b"), which is what "punctuation as tokens" is meant to achieve
/// and gives the same result on the notes' data, where marks end words. Lowercasing is culture-invariant.
/// </remarks>
public sealed class WordTokenizer : ITokenizer
{
    /// <summary>The marks <see cref="SplitPunctuation"/> cuts off, as in the notes.</summary>
    public const string Punctuation = ",.!?";

    public WordTokenizer(bool lowercase = false, bool splitPunctuation = false)
    {
        Lowercase = lowercase;
        SplitPunctuation = splitPunctuation;
    }

    public bool Lowercase { get; }
    public bool SplitPunctuation { get; }

    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Lowercase) text = text.ToLowerInvariant();
        var tokens = new List<string>();
        int start = -1;                       // start of the word being read, -1 between words
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (start >= 0) { tokens.Add(text[start..i]); start = -1; }
            }
            else if (SplitPunctuation && Punctuation.Contains(c))
            {
                if (start >= 0) { tokens.Add(text[start..i]); start = -1; }
                tokens.Add(c.ToString());
            }
            else if (start < 0) start = i;
        }
        if (start >= 0) tokens.Add(text[start..]);
        return tokens;
    }

    /// <summary>Joins with single spaces; with <see cref="SplitPunctuation"/>, a mark is glued to the word before it.</summary>
    public string Detokenize(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var sb = new StringBuilder();
        foreach (var t in tokens)
        {
            bool glue = SplitPunctuation && t.Length == 1 && Punctuation.Contains(t[0]);
            if (sb.Length > 0 && !glue) sb.Append(' ');
            sb.Append(t);
        }
        return sb.ToString();
    }
}
