using System.Globalization;
using System.Text;

namespace Nabla.Text;

/// <summary>
/// One token per user-perceived character: a Unicode text element (extended grapheme cluster, UAX #29), found
/// with <see cref="StringInfo"/>. A Chinese character is one token, and so are "e" + a combining acute accent,
/// a surrogate-pair emoji or a family emoji joined by zero-width joiners; splitting per UTF-16 char would tear
/// those apart and produce tokens that are not valid text on their own.
/// </summary>
public sealed class CharTokenizer : ITokenizer
{
    /// <summary>A shared instance (the tokenizer has no options).</summary>
    public static CharTokenizer Instance { get; } = new();

    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>(text.Length);
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext()) tokens.Add(elements.GetTextElement());
        return tokens;
    }

    public string Detokenize(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var sb = new StringBuilder();
        foreach (var t in tokens) sb.Append(t);
        return sb.ToString();
    }
}
