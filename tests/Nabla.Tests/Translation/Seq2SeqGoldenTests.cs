using System.Text.Json;
using Nabla.Models.Translation;
using Nabla.Tests.Support;
using Nabla.Text;

namespace Nabla.Tests.Translation;

/// <summary>
/// The GRU encoder-decoder against its PyTorch mirror (tools/golden/seq2seq.py): state dicts and parameter counts,
/// teacher-forced logits, the notes' masked loss and every parameter gradient (float64, 1e-5), and greedy decoding.
/// </summary>
public class Seq2SeqGoldenTests
{
    static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "seq2seq.json"))));

    static readonly Dictionary<string, Func<EncoderDecoder>> Configurations = new()
    {
        ["seq2seq_notes"] = () => EncoderDecoder.Create(184, 201, 32, 32, 2),
        ["seq2seq_small"] = () => EncoderDecoder.Create(12, 11, 5, 6, 2),
        ["seq2seq_one_layer"] = () => EncoderDecoder.Create(7, 9, 3, 4, 1),
    };

    public static IEnumerable<object[]> Names => Configurations.Keys.Select(k => new object[] { k });

    public static IEnumerable<object[]> Cases => Doc.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    static JsonElement Case(string name) => Doc.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    static Tensor T(JsonElement c, string key) => GoldenFixture.ReadTensor(c.GetProperty(key));

    static EncoderDecoder Loaded(JsonElement c)
    {
        var s = c.GetProperty("sizes").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var model = EncoderDecoder.Create(s[0], s[1], s[2], s[3], s[4], dtype: DType.Float64);
        model.LoadStateDict(c.GetProperty("state").EnumerateObject().ToDictionary(p => p.Name, p => GoldenFixture.ReadTensor(p.Value)));
        return model;
    }

    [Fact]
    public void EveryFixtureConfigurationIsBuilt() =>
        Assert.Equal(Doc.Value.RootElement.GetProperty("models").EnumerateObject().Select(p => p.Name).Order(), Configurations.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void StateDictAndParameterCountMatchPyTorch(string name)
    {
        var expected = Doc.Value.RootElement.GetProperty("models").GetProperty(name);
        var model = Configurations[name]();
        TranslationGolden.AssertDescribes(expected, model);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogitsLossAndGradientsMatchPyTorch(string name)
    {
        var c = Case(name);
        TranslationGolden.AssertTeacherForcedBatch(c, Loaded(c));
    }

    [Fact]
    public void GreedyAndBeamOneDecodeAsThePyTorchLoop()
    {
        foreach (var g in Doc.Value.RootElement.GetProperty("greedy").EnumerateArray())
        {
            var c = Case(g.GetProperty("case").GetString()!);
            var model = Loaded(c);
            int row = g.GetProperty("row").GetInt32();
            int length = (int)T(c, "source_lengths").ToArray<long>()[row];
            var source = T(c, "source").Narrow(0, row, 1).Narrow(1, 0, length);
            var options = new SearchOptions(c.GetProperty("bos").GetInt32(), c.GetProperty("eos").GetInt32(), g.GetProperty("max_len").GetInt32());
            var greedy = GreedySearch.Decode(model, model.Start(source), 1, options).Single();
            Assert.Equal(g.GetProperty("tokens").EnumerateArray().Select(x => x.GetInt32()), greedy.Tokens);
            Assert.Equal(g.GetProperty("ended").GetBoolean(), greedy.Ended);
            Assert.Equal(g.GetProperty("logprob").GetDouble(), greedy.LogProb, 1e-9);
            var beam = BeamSearch.Decode(model, model.Start(source), 1, options).Best;
            Assert.Equal(greedy.Tokens, beam.Tokens);
            Assert.Equal(greedy.LogProb, beam.LogProb);
        }
    }

    [Fact]
    public void APaddedBatchDecodesAsEachSentenceAlone()
    {
        var c = Case("small_2layers");
        var model = Loaded(c);
        var source = T(c, "source");
        var lengths = T(c, "source_lengths");
        var options = new SearchOptions(2, 3, 6);
        var together = GreedySearch.Decode(model, model.Start(source, lengths), 3, options);
        for (int i = 0; i < 3; i++)
        {
            int n = (int)lengths.ToArray<long>()[i];
            var alone = GreedySearch.Decode(model, model.Start(source.Narrow(0, i, 1).Narrow(1, 0, n)), 1, options).Single();
            Assert.Equal(alone.Tokens, together[i].Tokens);
            Assert.Equal(alone.LogProb, together[i].LogProb, 1e-12);
        }
    }

    [Fact]
    public void MaskedLossIgnoresEverythingPastTheValidLength()
    {
        var logits = Tensor.From(new double[] { 1, 2, 0, 3, -1, 0.5, 2, 2, 2, 0, 0, 9 }, 1, 4, 3);
        var labels = Tensor.From(new long[] { 1, 0, 2, 2 }, 1, 4);
        var loss = MaskedSoftmaxCELoss.Forward(logits, labels, Tensor.From(new long[] { 2 }, 1)).ToArray<double>()[0];
        static double Ce(double[] z, int y) => Math.Log(z.Sum(Math.Exp)) - z[y];
        Assert.Equal((Ce([1, 2, 0], 1) + Ce([3, -1, 0.5], 0)) / 4, loss, 12);     // the notes divide by all 4 steps
    }

    [Fact]
    public void BadInputIsRefusedWithShapes()
    {
        var model = EncoderDecoder.Create(10, 8, 4, 5, 2);
        var ids = Tensor.From(new long[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Contains("Seq2SeqEncoder: expected int64 token ids of shape [batch, steps]", Assert.Throws<ArgumentException>(() =>
            model.Forward(Tensor.Zeros([2, 3]), ids)).Message);
        Assert.Contains("the source has 2 sentences but the decoder input [3, 3] has 3", Assert.Throws<ArgumentException>(() =>
            model.Forward(ids, Tensor.From(new long[9], 3, 3))).Message);
        Assert.Contains("must have the same layers and hidden size", Assert.Throws<ArgumentException>(() =>
            new EncoderDecoder(new Seq2SeqEncoder(10, 4, 5, 2), new Seq2SeqDecoder(8, 4, 6, 2))).Message);
        Assert.Contains("MaskedSoftmaxCELoss: labels must be int64 [2, 3]", Assert.Throws<ArgumentException>(() =>
            MaskedSoftmaxCELoss.Forward(Tensor.Zeros([2, 3, 8]), Tensor.From(new long[4], 2, 2), Tensor.From(new long[2], 2))).Message);
        Assert.Contains("valid lengths must be int64 [2]", Assert.Throws<ArgumentException>(() =>
            MaskedSoftmaxCELoss.Forward(Tensor.Zeros([2, 3, 8]), Tensor.From(new long[6], 2, 3), Tensor.From(new long[3], 3))).Message);
    }
}

/// <summary>The training loop on a few hundred shipped pairs: the loss must fall and the model must learn them.</summary>
public class Seq2SeqTrainingTests
{
    [Fact]
    public void TrainingOnAFewPairsLowersTheLossAndRaisesBleu()
    {
        var data = TranslationData.Build(TranslationPairs.FraEng().Take(300).ToList(), heldOutFraction: 0, minFreq: 1);
        var model = EncoderDecoder.Create(data.SourceVocab.Count, data.TargetVocab.Count, 32, 64, 1, generator: new Generator(3));
        var optimizer = new Nabla.Optim.Adam(model.Parameters(), 0.01);
        var sources = data.TrainPairs.Select(p => p.Source).ToList();
        var references = data.TrainPairs.Select(p => (IReadOnlyList<string>)p.Target).ToList();
        double before = Bleu.Corpus(Seq2SeqTraining.Translate(model, data, sources), references, maxOrder: 2);
        var first = Seq2SeqTraining.TrainEpoch(model, data, optimizer, 0, batchSize: 32, seed: 1);
        Seq2SeqEpoch last = first;
        for (int e = 1; e < 25; e++) last = Seq2SeqTraining.TrainEpoch(model, data, optimizer, e, batchSize: 32, seed: 1);
        Assert.True(last.LossPerToken < first.LossPerToken / 3, $"loss per token {first.LossPerToken} → {last.LossPerToken}");
        double after = Bleu.Corpus(Seq2SeqTraining.Translate(model, data, sources), references, maxOrder: 2);
        Assert.True(after > before + 0.3, $"training-set BLEU-2 {before} → {after}");
        Assert.Equal(data.TrainPairs.Sum(p => p.Target.Length + 1), first.Tokens);
    }
}
