using System.Diagnostics;
using Nabla.Autograd;
using Nabla.Data;
using Nabla.Optim;
using Nabla.Optim.Schedules;
using Nabla.Text;

namespace Nabla.Models.Translation;

/// <summary>What one training epoch measured: the mean loss per valid target token, and how long it took.</summary>
public sealed record Seq2SeqEpoch(int Epoch, double LossPerToken, long Tokens, double Seconds);

/// <summary>
/// The notes' train_seq2seq (10.7.5) and predict_seq2seq / BLEU evaluation for any <see cref="TranslationModel"/>: teacher
/// forcing, the masked loss summed over the batch, gradient clipping (global norm), an optimizer step. Evaluation
/// translates each distinct held-out source once and scores corpus BLEU against all its references.
/// </summary>
public static class Seq2SeqTraining
{
    /// <summary>
    /// One pass over <see cref="TranslationData.Train"/> in a seeded random order. <paramref name="batchSchedule"/>,
    /// when given, is stepped after every optimizer step (a warm-up); <paramref name="onBatch"/> sees each batch's
    /// loss per token (progress display).
    /// </summary>
    public static Seq2SeqEpoch TrainEpoch(TranslationModel model, TranslationData data, Optimizer optimizer, int epoch, int batchSize = 64,
        double clip = 1.0, int seed = 0, LRScheduler? batchSchedule = null, Action<int, double>? onBatch = null)
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
        int batches = 0;
        foreach (var batch in loader.ForEpoch(epoch))
        {
            optimizer.ZeroGrad();
            var logits = model.Forward(batch.Source, EncoderDecoder.TeacherForcingInput(batch.Target, bos), batch.SourceLengths);
            var loss = MaskedSoftmaxCELoss.Forward(logits, batch.Target, batch.TargetLengths).Sum();
            loss.Backward();
            GradClip.ClipGradNorm(model.Parameters(), clip);
            optimizer.Step();
            batchSchedule?.Step();
            // The notes' loss is a mean over all numSteps of a row; × numSteps / valid tokens gives the loss per token.
            double batchLoss = loss.Item<float>() * batch.Target.Size(1);
            long batchTokens = batch.TargetLengths.Sum().Item<long>();
            lossSum += batchLoss;
            tokens += batchTokens;
            onBatch?.Invoke(++batches, batchLoss / batchTokens);
        }
        return new Seq2SeqEpoch(epoch, lossSum / tokens, tokens, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Translations of tokenised source sentences: greedy search for <paramref name="beamSize"/> 0, else beam search
    /// of that size (<paramref name="monotone"/>: <see cref="BeamSearch.DecodeMonotone"/>). Target tokens without &lt;eos&gt;.
    /// </summary>
    public static List<string[]> Translate(TranslationModel model, TranslationData data, IReadOnlyList<string[]> sources, int beamSize = 0,
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
                foreach (var h in model.Greedy(ids, lengths, options))
                    result.Add(data.TargetVocab.Decode(h.Tokens));
            }
            else
                foreach (var ids in chunk)
                {
                    var best = model.Beam(Tensor.From([.. ids.Select(i => (long)i)], 1, ids.Length), beamSize, options, monotone).Best;
                    result.Add(data.TargetVocab.Decode(best.Tokens));
                }
        }
        return result;
    }

    /// <summary>
    /// Corpus BLEU on the held-out set: each distinct source translated once and scored against every reference the
    /// file gives for it (multi-reference), and the same translations scored pair by pair with one reference each.
    /// </summary>
    public static (double MultiReference, double SingleReference) HeldOutBleu(TranslationModel model, TranslationData data, int beamSize = 0,
        bool monotone = false, int? limit = null)
    {
        var scored = Score(model, data, [.. data.HeldOutBySource().Take(limit ?? int.MaxValue)], beamSize, monotone);
        return (scored.MultiReference, scored.SingleReference);
    }

    /// <summary>
    /// <see cref="HeldOutBleu"/> on any groups of (source, references), also returning the translations (one per
    /// group, in order) so a caller can show examples without decoding twice.
    /// </summary>
    public static HeldOutScore Score(TranslationModel model, TranslationData data, IReadOnlyList<(string[] Source, IReadOnlyList<string[]> References)> groups,
        int beamSize = 0, bool monotone = false)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var translations = Translate(model, data, [.. groups.Select(g => g.Source)], beamSize, monotone);
        double multi = Bleu.Corpus(translations, [.. groups.Select(g => (IReadOnlyList<IReadOnlyList<string>>)[.. g.References])]);
        var candidates = new List<IReadOnlyList<string>>();
        var references = new List<IReadOnlyList<string>>();
        for (int i = 0; i < groups.Count; i++)
            foreach (var r in groups[i].References) { candidates.Add(translations[i]); references.Add(r); }
        return new HeldOutScore(multi, Bleu.Corpus(candidates, references), translations);
    }
}

/// <summary>Corpus BLEU against all references of each source and against one reference per pair, with the translations scored.</summary>
public sealed record HeldOutScore(double MultiReference, double SingleReference, IReadOnlyList<string[]> Translations);
