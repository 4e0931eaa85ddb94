using System.Diagnostics;
using Nabla.Autograd;
using Nabla.Data;
using Nabla.Optim;
using Nabla.Text;

namespace Nabla.Models.Translation;

/// <summary>What one training epoch measured: the mean loss per valid target token, and how long it took.</summary>
public sealed record Seq2SeqEpoch(int Epoch, double LossPerToken, long Tokens, double Seconds);

/// <summary>
/// The notes' train_seq2seq (10.7.5) and predict_seq2seq / BLEU evaluation for the GRU encoder-decoder: teacher
/// forcing, the masked loss summed over the batch, gradient clipping (global norm), an optimizer step. Evaluation
/// translates each distinct held-out source once and scores corpus BLEU against all its references.
/// </summary>
public static class Seq2SeqTraining
{
    /// <summary>One pass over <see cref="TranslationData.Train"/> in a seeded random order.</summary>
    public static Seq2SeqEpoch TrainEpoch(EncoderDecoder model, TranslationData data, Optimizer optimizer, int epoch, int batchSize = 64,
        double clip = 1.0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(optimizer);
        var watch = Stopwatch.StartNew();
        model.Train();
        var loader = new DataLoader<TranslationExample, TranslationBatch>(data.Train, batchSize, data.Collate, shuffle: true, seed: seed);
        int bos = data.TargetVocab[Vocabulary.Bos];
        double lossSum = 0;
        long tokens = 0;
        foreach (var batch in loader.ForEpoch(epoch))
        {
            optimizer.ZeroGrad();
            var logits = model.Forward(batch.Source, EncoderDecoder.TeacherForcingInput(batch.Target, bos), batch.SourceLengths);
            var loss = MaskedSoftmaxCELoss.Forward(logits, batch.Target, batch.TargetLengths).Sum();
            loss.Backward();
            GradClip.ClipGradNorm(model.Parameters(), clip);
            optimizer.Step();
            // The notes' loss is a mean over all numSteps of a row; × numSteps / valid tokens gives the loss per token.
            lossSum += loss.Item<float>() * batch.Target.Size(1);
            tokens += batch.TargetLengths.Sum().Item<long>();
        }
        return new Seq2SeqEpoch(epoch, lossSum / tokens, tokens, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Translations of tokenised source sentences: greedy search for <paramref name="beamSize"/> 0, else beam search
    /// of that size (<paramref name="monotone"/>: <see cref="BeamSearch.DecodeMonotone"/>). Target tokens without &lt;eos&gt;.
    /// </summary>
    public static List<string[]> Translate(EncoderDecoder model, TranslationData data, IReadOnlyList<string[]> sources, int beamSize = 0,
        bool monotone = false, int? maxLength = null, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sources);
        model.Eval();
        var options = new SearchOptions(data.TargetVocab[Vocabulary.Bos], data.TargetVocab[Vocabulary.Eos], maxLength ?? data.NumSteps);
        var result = new List<string[]>(sources.Count);
        using var _ = new NoGrad();
        for (int start = 0; start < sources.Count; start += batchSize)
        {
            var chunk = sources.Skip(start).Take(batchSize).Select(data.EncodeSource).ToList();
            if (beamSize == 0)
            {
                var (ids, lengths) = Padding.PadBatch(chunk, data.SourceVocab[Vocabulary.Pad]);
                foreach (var h in GreedySearch.Decode(model, model.Start(ids, lengths), chunk.Count, options))
                    result.Add(data.TargetVocab.Decode(h.Tokens));
            }
            else
                foreach (var ids in chunk)
                {
                    var state = model.Start(Tensor.From([.. ids.Select(i => (long)i)], 1, ids.Length));
                    var best = monotone ? BeamSearch.DecodeMonotone(model, state, beamSize, options).Best : BeamSearch.Decode(model, state, beamSize, options).Best;
                    result.Add(data.TargetVocab.Decode(best.Tokens));
                }
        }
        return result;
    }

    /// <summary>
    /// Corpus BLEU on the held-out set: each distinct source translated once and scored against every reference the
    /// file gives for it (multi-reference), and the same translations scored pair by pair with one reference each.
    /// </summary>
    public static (double MultiReference, double SingleReference) HeldOutBleu(EncoderDecoder model, TranslationData data, int beamSize = 0,
        bool monotone = false, int? limit = null)
    {
        var groups = data.HeldOutBySource().Take(limit ?? int.MaxValue).ToList();
        var translations = Translate(model, data, [.. groups.Select(g => g.Source)], beamSize, monotone);
        double multi = Bleu.Corpus(translations, groups.Select(g => (IReadOnlyList<IReadOnlyList<string>>)g.References.ToList<IReadOnlyList<string>>()).ToList());
        var candidates = new List<IReadOnlyList<string>>();
        var references = new List<IReadOnlyList<string>>();
        for (int i = 0; i < groups.Count; i++)
            foreach (var r in groups[i].References) { candidates.Add(translations[i]); references.Add(r); }
        return (multi, Bleu.Corpus(candidates, references));
    }
}
