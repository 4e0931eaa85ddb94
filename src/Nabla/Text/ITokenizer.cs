namespace Nabla.Text;

/// <summary>
/// Cuts text into tokens and glues tokens back into text. Tokenizers hold only their options, so one instance
/// may be shared between threads.
/// </summary>
public interface ITokenizer
{
    /// <summary>The tokens of <paramref name="text"/>, in order.</summary>
    IReadOnlyList<string> Tokenize(string text);

    /// <summary>Text made of <paramref name="tokens"/>; for text the tokenizer produced, Tokenize gives the same tokens back.</summary>
    string Detokenize(IEnumerable<string> tokens);
}
