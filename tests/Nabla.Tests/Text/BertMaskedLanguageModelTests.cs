using System.Text.RegularExpressions;
using Nabla.Autograd;
using Nabla.Models.Text;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Support;
using Xunit.Abstractions;

namespace Nabla.Tests.Text;

/// <summary>
/// BertMaskedLanguageModel: the loss reads the chosen positions only (zero gradient elsewhere), names, padding,
/// a float64 gradient check of every parameter, bad input, and a short training run on The Time Machine whose
/// masked-character accuracy must beat the unigram baseline.
/// </summary>
[Collection(GlobalThreadCountCollection.Name)]
public class BertMaskedLanguageModelTests(ITestOutputHelper output)
{
    const string Fixture = "bert";

    static readonly Dictionary<string, (Func<BertMaskedLanguageModel> Make, bool Loss)> Golden = new()
    {
        ["logits_two_layers"] = (() => new BertMaskedLanguageModel(13, 8, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 16, numSegments: 2), false),
        ["loss_float64"] = (() => new BertMaskedLanguageModel(13, 6, dModel: 6, numHeads: 3, numLayers: 1, dimFeedforward: 10, numSegments: 2, dtype: DType.Float64), true),
    };

    public static IEnumerable<object[]> GoldenNames() => Golden.Keys.Select(k => new object[] { k });

    /// <summary>Logits or loss and every parameter's gradient against tools/golden/bert.py (segments, padding, ignored labels).</summary>
    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void MatchesPyTorch(string name)
    {
        var (make, loss) = Golden[name];
        var model = make();
        var names = model.NamedParameters().Select(p => p.Name).ToArray();
        DenseLayerGoldenRunner.Check(GoldenFixture.Get(Fixture, name), model, names, x =>
        {
            var logits = model.Forward(x[0], x[1], x[2]);
            return loss ? BertMaskedLanguageModel.Loss(logits, x[3]) : logits.Reshape(-1);
        });
    }

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Golden.Keys);

    [Fact]
    public void LossIgnoresUnchosenPositionsAndTheirLogitsGetZeroGradient()
    {
        var logits = GradCheckInputs.Uniform(1, 2, 4, 6) * 3;
        logits.RequiresGrad = true;
        var labels = Tensor.From(new long[] { -100, 3, -100, -100, 5, -100, 0, -100 }, 2, 4);
        var loss = BertMaskedLanguageModel.Loss(logits, labels);
        loss.Backward();

        // The mean cross-entropy of the three chosen positions, by hand.
        var z = logits.Detach().ToArray<double>();
        double expected = 0;
        foreach (var (at, label) in new[] { (1, 3), (4, 5), (6, 0) })
        {
            var row = z.Skip(at * 6).Take(6).ToArray();
            double max = row.Max();
            expected += Math.Log(row.Sum(v => Math.Exp(v - max))) + max - row[label];
        }
        Assert.Equal(expected / 3, loss.Item(), 12);

        var grad = logits.Grad!.ToArray<double>();
        for (int at = 0; at < 8; at++)
        {
            double norm = grad.Skip(at * 6).Take(6).Sum(Math.Abs);
            if (at is 1 or 4 or 6) Assert.True(norm > 1e-3, $"chosen position {at} must get a gradient");
            else Assert.Equal(0.0, norm);
        }
    }

    [Fact]
    public void ShapesNamesAndPaddingThatNoOneAttendsTo()
    {
        var model = new BertMaskedLanguageModel(12, 8, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 16, numSegments: 2,
            dtype: DType.Float64, generator: new Generator(1));
        var names = model.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(["token_embedding.weight", "position_embedding.weight", "segment_embedding.weight"], names[..3]);
        Assert.Equal(["mlm.dense.weight", "mlm.dense.bias", "mlm.norm.weight", "mlm.norm.bias", "mlm.decoder.weight", "mlm.decoder.bias"], names[^6..]);
        Assert.False(model.Layers[0].NormFirst);

        var ids = Tensor.From(new long[] { 2, 5, 6, 7, 0, 0, 2, 8, 9, 4, 3, 0 }, 2, 6);
        var segments = Tensor.From(new long[] { 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1 }, 2, 6);
        var padding = ids.Eq(0L);
        var logits = model.Forward(ids, segments, padding);
        Assert.Equal([2, 6, 12], logits.Shape);

        // What sits at a padding position does not change the other positions' logits.
        var other = Tensor.From(new long[] { 2, 5, 6, 7, 11, 9, 2, 8, 9, 4, 3, 10 }, 2, 6);
        var changed = model.Forward(other, segments, padding);
        TensorAssert.Close(logits.Narrow(1, 0, 4).Select(0, 0), changed.Narrow(1, 0, 4).Select(0, 0), 1e-12, 1e-12, "row 0 before its padding");
        TensorAssert.Close(logits.Narrow(1, 0, 5).Select(0, 1), changed.Narrow(1, 0, 5).Select(0, 1), 1e-12, 1e-12, "row 1 before its padding");
        // Attention is bidirectional: a later token changes an earlier logit.
        var later = Tensor.From(new long[] { 2, 5, 6, 9, 0, 0, 2, 8, 9, 4, 3, 0 }, 2, 6);
        Assert.True((model.Forward(later, segments, padding).Select(0, 0).Select(0, 1) - logits.Select(0, 0).Select(0, 1)).Abs().Max().Item() > 1e-9);
    }

    [Fact]
    public void GradientsOfEveryParameterPassAFloat64Check()
    {
        var model = new BertMaskedLanguageModel(7, 5, dModel: 4, numHeads: 2, numLayers: 2, dimFeedforward: 6, numSegments: 2,
            dtype: DType.Float64, generator: new Generator(2));
        var ids = Tensor.From(new long[] { 2, 1, 4, 5, 0, 2, 6, 1, 3, 1 }, 2, 5);
        var segments = Tensor.From(new long[] { 0, 0, 1, 1, 1, 0, 0, 0, 1, 1 }, 2, 5);
        var padding = ids.Eq(0L);
        var labels = Tensor.From(new long[] { -100, 3, -100, -100, -100, -100, -100, 5, -100, 6 }, 2, 5);
        var named = model.NamedParameters().ToArray();
        var inputs = named.Select((p, i) => GradCheckInputs.Uniform(300 + i, p.Tensor.Shape)).ToArray();
        Tensor RunWith(Tensor[] x)
        {
            for (int i = 0; i < named.Length; i++)
            {
                int dot = named[i].Name.LastIndexOf('.');
                model.GetSubmodule(named[i].Name[..dot]).RegisterParameter(named[i].Name[(dot + 1)..], x[i]);
            }
            return BertMaskedLanguageModel.Loss(model.Forward(ids, segments, padding), labels);
        }
        double before = RunWith(inputs).Item(), after = RunWith([.. inputs.Select(t => (t * 1.5).Detach())]).Item();
        Assert.True(Math.Abs(before - after) > 1e-6, "the loss must follow the substituted parameters");
        GradCheckInputs.AssertPasses(RunWith, inputs);
    }

    [Fact]
    public void BadInputIsRefusedNamingTheSizes()
    {
        var model = new BertMaskedLanguageModel(9, 6, dModel: 8, numHeads: 2, numLayers: 1, dimFeedforward: 8);
        var ids = Tensor.From(new long[] { 1, 2, 3, 4 }, 2, 2);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros([2, 7], DType.Int64)));
        Assert.Contains("BertMaskedLanguageModel: the input has 7 positions (ids shape [2, 7]) but the position table holds max_len = 6", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Forward(ids, ids, null));
        Assert.Contains("segment ids were given but the model has no segment embedding", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Forward(ids, null, Tensor.Zeros([2, 3], DType.Bool)));
        Assert.Contains("the padding mask must be bool of the ids' shape [2, 2], got bool of shape [2, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => BertMaskedLanguageModel.Loss(Tensor.Zeros([2, 3, 4]), ids));
        Assert.Contains("masked-LM loss: expected logits [N, T, V] and labels [N, T], got [2, 3, 4] and [2, 2]", e.Message);
    }

    /// <summary>
    /// A short demonstration: a tiny BERT reads 32-character windows of The Time Machine (&lt;cls&gt; + 31
    /// characters); after a few epochs over 600 windows its accuracy on the masked characters of 200 held-out
    /// windows beats always answering the most frequent character (the unigram baseline) by a wide margin.
    /// </summary>
    [Fact]
    public void TrainingOnTheTimeMachineBeatsTheUnigramBaseline()
    {
        int previousThreads = Threading.NumThreads;
        Threading.NumThreads = 1;
        try
        {
            string book = File.ReadAllText(RepoPaths.InRepo("data", "text", "timemachine.txt"));
            string text = Regex.Replace(book.ToLowerInvariant(), "[^a-z]+", " ");
            const int pad = 0, mask = 1, cls = 2, steps = 32;     // then ' ' = 3, 'a'..'z' = 4..29
            static long Id(char c) => c == ' ' ? 3 : c - 'a' + 4;
            long[] Windows(int first, int count)
            {
                var ids = new long[count * steps];
                for (int w = 0; w < count; w++)
                {
                    ids[w * steps] = cls;
                    for (int j = 1; j < steps; j++) ids[w * steps + j] = Id(text[(first + w) * (steps - 1) + j - 1]);
                }
                return ids;
            }
            var train = Windows(0, 600);
            var test = Windows(1000, 200);
            var masking = new MlmMasking(30, mask, [pad, mask, cls]);
            var model = new BertMaskedLanguageModel(30, steps, dModel: 64, numHeads: 4, numLayers: 2, dimFeedforward: 128, generator: new Generator(3));
            var optimizer = new Adam(model.Parameters(), 2e-3);
            var maskingRng = new Generator(4);

            // Baseline: the most frequent character of the training windows, scored on the test targets.
            long unigram = train.Where(id => id > cls).GroupBy(id => id).OrderByDescending(g => g.Count()).First().Key;
            var testBatch = masking.Apply(Tensor.From(test, 200, steps), new Generator(5));
            var testLabels = testBatch.Labels.ToArray<long>();
            int targets = testLabels.Count(l => l != MlmMasking.Ignore);
            double baseline = (double)testLabels.Count(l => l == unigram) / targets;

            double Accuracy()
            {
                model.Eval();
                using var _ = new NoGrad();
                var predicted = model.Forward(testBatch.Inputs).ArgMax(-1).ToArray<long>();
                model.Train();
                return (double)testLabels.Select((l, i) => l != MlmMasking.Ignore && predicted[i] == l).Count(x => x) / targets;
            }

            double untrained = Accuracy();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var accuracies = new List<double>();
            const int batch = 32, epochs = 6;
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                for (int start = 0; start + batch <= 600; start += batch)
                {
                    var ids = Tensor.From(train[(start * steps)..((start + batch) * steps)], batch, steps);
                    var b = masking.Apply(ids, maskingRng);       // fresh masks every epoch (dynamic masking)
                    var loss = BertMaskedLanguageModel.Loss(model.Forward(b.Inputs), b.Labels);
                    optimizer.ZeroGrad();
                    loss.Backward();
                    optimizer.Step();
                }
                accuracies.Add(Accuracy());
            }
            output.WriteLine($"masked-character accuracy on {targets} held-out targets: untrained {untrained:F3}, unigram baseline ('{(unigram == 3 ? ' ' : (char)('a' + unigram - 4))}') {baseline:F3}, " +
                $"after epochs 1..{epochs}: {string.Join(", ", accuracies.Select(a => a.ToString("F3")))}; {clock.Elapsed.TotalSeconds:F1} s on 1 thread");
            Assert.True(accuracies[^1] > baseline + 0.05, $"accuracy {accuracies[^1]:F3} should beat the unigram baseline {baseline:F3} by 5 points");
            Assert.True(accuracies[^1] > accuracies[0], "accuracy should rise over the epochs");
        }
        finally
        {
            Threading.NumThreads = previousThreads;
        }
    }
}
