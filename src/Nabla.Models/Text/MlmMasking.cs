namespace Nabla.Models.Text;

/// <summary>
/// A batch prepared for masked-language-model training: the corrupted <see cref="Inputs"/> [N, T] the encoder reads,
/// the <see cref="Labels"/> [N, T] (the original token at every chosen position, <see cref="MlmMasking.Ignore"/> = −100
/// elsewhere, cross-entropy's ignore_index) and the <see cref="Chosen"/> positions [N, T] (bool).
/// </summary>
public sealed record MlmBatch(Tensor Inputs, Tensor Labels, Tensor Chosen);

/// <summary>
/// The notes' BERT masking rule (d2l 15.9, Devlin et al. 2019): in each sequence, 15 % of the non-special tokens
/// (round(0.15 · count), at least one when there is any) are chosen uniformly without replacement as prediction
/// targets; of the chosen, 80 % become &lt;mask&gt;, 10 % a random token and 10 % stay unchanged (decided per
/// position, independently). The loss is taken at the chosen positions only (<see cref="Labels"/>).
/// </summary>
/// <remarks>
/// Decisions: the count per sequence is fixed (as d2l's <c>_get_mlm_data_from_tokens</c>), not a Bernoulli(0.15)
/// per token (as Hugging Face's collator), so every sequence contributes targets. The random replacement is drawn
/// uniformly from the ordinary tokens (never a special one such as &lt;pad&gt;, &lt;cls&gt; or &lt;mask&gt;) and may
/// equal the original token, as in BERT. Special ids are never chosen and never changed.
/// </remarks>
public sealed class MlmMasking
{
    /// <summary>The label of a position that is not a target (cross-entropy's default ignore_index).</summary>
    public const long Ignore = -100;

    readonly bool[] _special;
    readonly int[] _ordinary;

    /// <param name="vocabSize">ids are in [0, vocabSize).</param>
    /// <param name="maskId">the &lt;mask&gt; id (must be among <paramref name="specialIds"/>).</param>
    /// <param name="specialIds">ids never chosen nor drawn as replacements (padding, &lt;cls&gt;, &lt;sep&gt;, &lt;mask&gt;...).</param>
    public MlmMasking(int vocabSize, int maskId, IEnumerable<int> specialIds, double chooseFraction = 0.15,
        double maskFraction = 0.8, double randomFraction = 0.1)
    {
        ArgumentNullException.ThrowIfNull(specialIds);
        _special = new bool[Math.Max(vocabSize, 0)];
        foreach (int id in specialIds)
        {
            if ((uint)id >= (uint)vocabSize)
                throw new ArgumentException($"MlmMasking: special id {id} is outside the vocabulary [0, {vocabSize}).");
            _special[id] = true;
        }
        if ((uint)maskId >= (uint)vocabSize || !_special[maskId])
            throw new ArgumentException($"MlmMasking: the mask id {maskId} must be a special id inside the vocabulary [0, {vocabSize}).");
        if (!(chooseFraction > 0 && chooseFraction <= 1) || !(maskFraction >= 0 && randomFraction >= 0 && maskFraction + randomFraction <= 1))
            throw new ArgumentException($"MlmMasking: fractions must satisfy 0 < choose ≤ 1 and mask, random ≥ 0 with mask + random ≤ 1, " +
                $"got choose={chooseFraction}, mask={maskFraction}, random={randomFraction}.");
        _ordinary = Enumerable.Range(0, vocabSize).Where(i => !_special[i]).ToArray();
        if (_ordinary.Length == 0)
            throw new ArgumentException("MlmMasking: every id is special; there is nothing to predict or draw.");
        VocabSize = vocabSize;
        MaskId = maskId;
        ChooseFraction = chooseFraction;
        MaskFraction = maskFraction;
        RandomFraction = randomFraction;
    }

    public int VocabSize { get; }
    public int MaskId { get; }
    public double ChooseFraction { get; }
    public double MaskFraction { get; }
    public double RandomFraction { get; }

    public bool IsSpecial(int id) => _special[id];

    /// <summary>How many of <paramref name="candidates"/> ordinary tokens a sequence gets as targets.</summary>
    public int TargetCount(int candidates) => candidates == 0 ? 0 : Math.Max(1, (int)Math.Round(ChooseFraction * candidates, MidpointRounding.AwayFromZero));

    /// <summary>Masks the token ids [N, T] (int64); <paramref name="generator"/> makes it repeatable.</summary>
    public MlmBatch Apply(Tensor ids, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(generator);
        if (ids.Rank != 2 || ids.DType != DType.Int64)
            throw new ArgumentException($"MlmMasking: expected token ids of shape [batch, steps] and dtype int64, got {ids.DType.TorchName()} of shape {ids.Shape.ShapeString()}.");
        int n = ids.Size(0), t = ids.Size(1);
        var source = ids.Contiguous().ToArray<long>();
        var inputs = (long[])source.Clone();
        var labels = new long[source.Length];
        Array.Fill(labels, Ignore);
        var chosen = new bool[source.Length];
        var candidates = new List<int>(t);
        for (int row = 0; row < n; row++)
        {
            candidates.Clear();
            for (int j = 0; j < t; j++)
            {
                long id = source[row * t + j];
                if ((ulong)id >= (ulong)VocabSize)
                    throw new ArgumentException($"MlmMasking: token [{row}, {j}] has id {id}, outside the vocabulary [0, {VocabSize}).");
                if (!_special[id]) candidates.Add(row * t + j);
            }
            int k = TargetCount(candidates.Count);
            for (int c = 0; c < k; c++)                   // partial Fisher–Yates: the first k of a uniform shuffle
            {
                int pick = c + (int)generator.NextInt64(0, candidates.Count - c);
                (candidates[c], candidates[pick]) = (candidates[pick], candidates[c]);
                int at = candidates[c];
                chosen[at] = true;
                labels[at] = source[at];
                double u = generator.NextDouble();
                if (u < MaskFraction) inputs[at] = MaskId;
                else if (u < MaskFraction + RandomFraction) inputs[at] = _ordinary[generator.NextInt64(0, _ordinary.Length)];
            }
        }
        return new MlmBatch(Tensor.From(inputs, n, t), Tensor.From(labels, n, t), Tensor.From(chosen, [n, t]));
    }
}
