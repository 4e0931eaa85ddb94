using Nabla.Models.Text;
namespace Nabla.Models.Translation;

/// <summary>
/// The special tokens and limits of a search: the decoder starts from <see cref="BosId"/>, a hypothesis ends when it
/// emits <see cref="EosId"/>, and no hypothesis generates more than <see cref="MaxLength"/> tokens (&lt;eos&gt; included).
/// <see cref="Alpha"/> is the exponent of the notes' length penalty (1/L^α).
/// </summary>
public sealed record SearchOptions(int BosId, int EosId, int MaxLength, double Alpha = 0.75)
{
    internal void Check(string op)
    {
        if (MaxLength < 1) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, $"{op}: the maximum length must be at least 1, got {MaxLength}.");
        if (BosId < 0 || EosId < 0) throw new ArgumentOutOfRangeException(nameof(BosId), $"{op}: <bos> and <eos> ids must be non-negative, got {BosId} and {EosId}.");
        if (!(Alpha >= 0)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, $"{op}: the length-penalty exponent must be >= 0, got {Alpha}.");
    }
}
