using System.Text;

namespace Nabla.Text;

/// <summary>Corpus-specific normalisations from the notes.</summary>
public static class TextCleaning
{
    /// <summary>
    /// The notes' cleaning of The Time Machine (d2l's <c>re.sub('[^A-Za-z]+', ' ', text).lower()</c> on the whole
    /// text): every run of characters other than the ASCII letters — punctuation, digits, line breaks — becomes
    /// one space, and letters are lowercased. Lines are therefore joined by a space. The result holds only
    /// 'a'–'z' and ' ' (27 distinct characters); on the shipped file it is 173,428 characters long. (The older
    /// 170,580 of the notes cleaned each line separately and concatenated them without a separator, which glued
    /// the last word of a line to the first word of the next.)
    /// </summary>
    public static string TimeMachine(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var sb = new StringBuilder(raw.Length);
        bool inGap = false;                   // inside a run of non-letters already written as one space
        foreach (char c in raw)
        {
            if (c is >= 'a' and <= 'z') { sb.Append(c); inGap = false; }
            else if (c is >= 'A' and <= 'Z') { sb.Append((char)(c + ('a' - 'A'))); inGap = false; }
            else if (!inGap) { sb.Append(' '); inGap = true; }
        }
        return sb.ToString();
    }
}
