using System.Text;

namespace Nabla.Text;

/// <summary>
/// A bijection between tokens and integer ids, built from a corpus (the notes' <c>Vocab</c>). Id 0 is always
/// <see cref="Unk"/>; then come the reserved tokens in the order given; then every corpus token seen at least
/// <c>minFreq</c> times, most frequent first, ties in ordinal order of the token, so the same corpus always gives
/// the same ids on every machine. Tokens outside the vocabulary encode as <see cref="UnkId"/>.
/// </summary>
public sealed partial class Vocabulary
{
    public const string Unk = "<unk>", Pad = "<pad>", Bos = "<bos>", Eos = "<eos>";

    readonly string[] _tokens;
    readonly int[] _frequencies;                 // corpus count per id; 0 for a reserved token the corpus lacks
    readonly Dictionary<string, int> _ids;

    Vocabulary(string[] tokens, int[] frequencies, int minFreq)
    {
        _tokens = tokens;
        _frequencies = frequencies;
        MinFrequency = minFreq;
        _ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++) _ids.Add(tokens[i], i);
    }

    /// <summary>Counts the tokens of <paramref name="sentences"/> and builds the vocabulary (see the class summary).</summary>
    /// <param name="minFreq">tokens seen fewer times are left out (they encode as &lt;unk&gt;); at least 1.</param>
    /// <param name="reserved">tokens that get the ids after &lt;unk&gt; whether or not the corpus has them, e.g. <see cref="Pad"/>, <see cref="Bos"/>, <see cref="Eos"/>.</param>
    public static Vocabulary Build(IEnumerable<IEnumerable<string>> sentences, int minFreq = 1, IEnumerable<string>? reserved = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        if (minFreq < 1)
            throw new ArgumentOutOfRangeException(nameof(minFreq), minFreq, $"vocabulary: minFreq must be at least 1, got {minFreq}.");

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int index = 0;
        foreach (var sentence in sentences)
        {
            if (sentence is null) throw new ArgumentException($"vocabulary: sentence {index} is null.", nameof(sentences));
            foreach (var token in sentence)
            {
                if (token is null) throw new ArgumentException($"vocabulary: sentence {index} holds a null token.", nameof(sentences));
                counts[token] = counts.TryGetValue(token, out int c) ? c + 1 : 1;
            }
            index++;
        }

        var tokens = new List<string> { Unk };
        var seen = new HashSet<string>(StringComparer.Ordinal) { Unk };
        foreach (var r in reserved ?? [])
        {
            if (string.IsNullOrEmpty(r)) throw new ArgumentException("vocabulary: a reserved token is null or empty.", nameof(reserved));
            if (seen.Add(r)) tokens.Add(r);
        }

        var kept = new List<KeyValuePair<string, int>>();
        foreach (var kv in counts)
            if (kv.Value >= minFreq && !seen.Contains(kv.Key)) kept.Add(kv);
        kept.Sort(static (a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        foreach (var kv in kept) tokens.Add(kv.Key);

        var frequencies = new int[tokens.Count];
        for (int i = 0; i < tokens.Count; i++) frequencies[i] = counts.GetValueOrDefault(tokens[i]);
        return new Vocabulary([.. tokens], frequencies, minFreq);
    }

    /// <summary>Number of tokens, reserved ones and &lt;unk&gt; included.</summary>
    public int Count => _tokens.Length;

    /// <summary>The id of <see cref="Unk"/>: always 0.</summary>
    public int UnkId => 0;

    /// <summary>The minimum frequency the vocabulary was built with.</summary>
    public int MinFrequency { get; }

    /// <summary>All tokens, by id.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>The id of <paramref name="token"/>, or <see cref="UnkId"/> when it is not in the vocabulary.</summary>
    public int this[string token] => _ids.TryGetValue(token ?? throw new ArgumentNullException(nameof(token)), out int id) ? id : UnkId;

    public bool Contains(string token) => _ids.ContainsKey(token ?? throw new ArgumentNullException(nameof(token)));

    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token ?? throw new ArgumentNullException(nameof(token)), out id);

    /// <summary>The token of <paramref name="id"/>; throws when the id is outside [0, Count).</summary>
    public string Token(int id)
    {
        if ((uint)id >= (uint)_tokens.Length)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"vocabulary: id {id} is outside [0, {_tokens.Length}).");
        return _tokens[id];
    }

    /// <summary>How often the corpus held <paramref name="token"/> (0 for unknown tokens and for reserved tokens the corpus lacks).</summary>
    public int Frequency(string token) => TryGetId(token, out int id) ? _frequencies[id] : 0;

    /// <summary>Ids of <paramref name="tokens"/>; unknown tokens become <see cref="UnkId"/>.</summary>
    public int[] Encode(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var ids = new List<int>();
        foreach (var t in tokens) ids.Add(this[t]);
        return [.. ids];
    }

    /// <summary>
    /// Ids of <paramref name="tokens"/>, refusing tokens outside the vocabulary: for callers where a silent
    /// &lt;unk&gt; would be a wrong answer (e.g. a prompt the model must see exactly). The exception names them.
    /// </summary>
    public int[] EncodeStrict(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var ids = new List<int>();
        var unknown = new List<string>();
        foreach (var t in tokens)
        {
            if (TryGetId(t, out int id)) ids.Add(id);
            else if (!unknown.Contains(t)) unknown.Add(t);
        }
        if (unknown.Count > 0)
        {
            const int shown = 10;
            var list = string.Join(", ", unknown.Take(shown).Select(Quote));
            var more = unknown.Count > shown ? $" and {unknown.Count - shown} more" : "";
            throw new ArgumentException($"vocabulary: {unknown.Count} token(s) not in the vocabulary of {Count}: {list}{more}.", nameof(tokens));
        }
        return [.. ids];
    }

    /// <summary>Tokens of <paramref name="ids"/>; an id outside [0, Count) throws.</summary>
    public string[] Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>();
        foreach (int id in ids) tokens.Add(Token(id));
        return [.. tokens];
    }

    /// <summary>The <paramref name="n"/> most frequent tokens with their corpus counts (ties in id order); tokens the corpus lacks are left out.</summary>
    public IReadOnlyList<(string Token, int Frequency)> MostCommon(int n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, $"vocabulary: MostCommon needs n >= 0, got {n}.");
        var order = Enumerable.Range(0, Count).Where(i => _frequencies[i] > 0)
            .OrderByDescending(i => _frequencies[i]).ThenBy(i => i);     // stable and deterministic
        return order.Take(n).Select(i => (_tokens[i], _frequencies[i])).ToList();
    }

    public override string ToString() => $"Vocabulary({Count} tokens, minFreq {MinFrequency})";

    // Makes control characters and spaces visible in messages (a token " " or "\n" would otherwise vanish).
    internal static string Quote(string token)
    {
        var sb = new StringBuilder("'");
        foreach (char c in token)
            sb.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '\'' => "\\'", _ when char.IsControl(c) => $"\\u{(int)c:x4}", _ => c.ToString() });
        return sb.Append('\'').ToString();
    }
}
