using System.Text.Json;
using Nabla.NN;
using Nabla.Models.Translation;
using Nabla.Tests.Support;
using Nabla.Text;

namespace Nabla.Tests.Translation;

/// <summary>
/// The attention encoder-decoder against its PyTorch mirror (tools/golden/seq2seq_attention.py): state dicts and
/// parameter counts, teacher-forced logits, attention weights, the masked loss and every parameter gradient (float64,
/// 1e-5), greedy decoding, padding, bad input and a smoke training run.
/// </summary>
public class Seq2SeqAttentionTests
{
    static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "seq2seq_attention.json"))));

    static readonly Dictionary<string, Func<EncoderDecoder>> Configurations = new()
    {
        ["attention_notes"] = () => EncoderDecoder.CreateWithAttention(184, 201, 32, 32, 2),
        ["attention_small"] = () => EncoderDecoder.CreateWithAttention(12, 11, 5, 6, 2),
        ["attention_one_layer"] = () => EncoderDecoder.CreateWithAttention(7, 9, 3, 4, 1),
    };

    public static IEnumerable<object[]> Names => Configurations.Keys.Select(k => new object[] { k });

    public static IEnumerable<object[]> Cases => Doc.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    static JsonElement Case(string name) => Doc.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    static Tensor T(JsonElement c, string key) => GoldenFixture.ReadTensor(c.GetProperty(key));

    static EncoderDecoder Loaded(JsonElement c)
    {
        var s = c.GetProperty("sizes").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var model = EncoderDecoder.CreateWithAttention(s[0], s[1], s[2], s[3], s[4], dtype: DType.Float64);
        model.LoadStateDict(c.GetProperty("state").EnumerateObject().ToDictionary(p => p.Name, p => GoldenFixture.ReadTensor(p.Value)));
        return model;
    }

    static Seq2SeqAttentionDecoder Decoder(EncoderDecoder model) => Assert.IsType<Seq2SeqAttentionDecoder>(model.Decoder);

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
    public void LogitsAttentionLossAndGradientsMatchPyTorch(string name)
    {
        var c = Case(name);
        var model = Loaded(c);
        TranslationGolden.AssertTeacherForcedBatch(c, model,
            () => TensorAssert.Close(T(c, "attention_weights"), Decoder(model).AttentionWeights!, 1e-5, 1e-5, "attention weights"));
    }

    [Fact]
    public void AttentionWeightsAreZeroPastEachSourceLengthAndSumToOne()
    {
        var c = Case("small_2layers");
        var model = Loaded(c);
        var lengths = T(c, "source_lengths").ToArray<long>();
        model.Forward(T(c, "source"), T(c, "decoder_input"), T(c, "source_lengths"));
        var w = Decoder(model).AttentionWeights!;
        Assert.Equal([3, 5, 5], w.Shape);
        var data = w.ToArray<double>();
        for (int i = 0; i < 3; i++)
            for (int t = 0; t < 5; t++)
            {
                var row = data.AsSpan((i * 5 + t) * 5, 5).ToArray();
                Assert.Equal(1.0, row.Sum(), 12);
                for (int k = (int)lengths[i]; k < 5; k++) Assert.Equal(0.0, row[k]);
            }
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
    public void APaddedBatchGivesWhatEachSentenceGivesAlone()
    {
        var c = Case("small_2layers");
        var model = Loaded(c);
        var source = T(c, "source");
        var lengths = T(c, "source_lengths");
        var decoderInput = T(c, "decoder_input");
        var batchLogits = model.Forward(source, decoderInput, lengths);
        var options = new SearchOptions(2, 3, 6);
        var together = GreedySearch.Decode(model, model.Start(source, lengths), 3, options);
        var beams = BeamSearch.Decode(model, model.Start(source.Narrow(0, 1, 1), lengths.Narrow(0, 1, 1)), 3, options).Best;
        for (int i = 0; i < 3; i++)
        {
            int n = (int)lengths.ToArray<long>()[i];
            var alone = source.Narrow(0, i, 1).Narrow(1, 0, n);
            TensorAssert.Close(batchLogits.Narrow(0, i, 1), model.Forward(alone, decoderInput.Narrow(0, i, 1)), 1e-12, 1e-12, $"logits of sentence {i}");
            var greedy = GreedySearch.Decode(model, model.Start(alone), 1, options).Single();
            Assert.Equal(greedy.Tokens, together[i].Tokens);
            Assert.Equal(greedy.LogProb, together[i].LogProb, 1e-12);
            if (i == 1)
            {
                var beam = BeamSearch.Decode(model, model.Start(alone), 3, options).Best;
                Assert.Equal(beam.Tokens, beams.Tokens);
                Assert.Equal(beam.LogProb, beams.LogProb, 1e-12);
            }
        }
    }

    [Fact]
    public void BadInputIsRefusedWithShapes()
    {
        var decoder = new Seq2SeqAttentionDecoder(8, 4, 5, 2);
        var ids = Tensor.From(new long[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var outputs = Tensor.Zeros([7, 2, 5]);
        Assert.Contains("the encoder state must have shape [2, 2, 5] (layers, batch, hidden) for encoder outputs [7, 2, 5], got [2, 3, 5]",
            Assert.Throws<ArgumentException>(() => decoder.InitState(new RecurrentOutput(outputs, new RecurrentState(Tensor.Zeros([2, 3, 5]))))).Message);
        Assert.Contains("the encoder outputs must have shape [steps, batch, 5] (time-major), got [7, 2, 6]",
            Assert.Throws<ArgumentException>(() => decoder.InitState(new RecurrentOutput(Tensor.Zeros([7, 2, 6]), new RecurrentState(Tensor.Zeros([2, 2, 5]))))).Message);
        Assert.Contains("the source lengths must be int64 [2] for encoder outputs [2, 7, 5], got int64 [3]",
            Assert.Throws<ArgumentException>(() => decoder.InitState(new RecurrentOutput(outputs, new RecurrentState(Tensor.Zeros([2, 2, 5]))), Tensor.From(new long[3], 3))).Message);
        var state = decoder.InitState(new RecurrentOutput(outputs, new RecurrentState(Tensor.Zeros([2, 2, 5]))));
        Assert.Contains("Seq2SeqAttentionDecoder: the encoder outputs in the state must have shape [3, source steps, 5] (batch-major) for a batch of 3, got [2, 7, 5]",
            Assert.Throws<ArgumentException>(() => decoder.Forward(Tensor.From(new long[9], 3, 3), state)).Message);
        Assert.Contains("the hidden state must have shape [2, 2, 5] (layers, batch, hidden) for encoder outputs [2, 7, 5], got [1, 2, 5]",
            Assert.Throws<ArgumentException>(() => decoder.Forward(ids, state with { Hidden = Tensor.Zeros([1, 2, 5]) })).Message);
        Assert.Contains("Seq2SeqAttentionDecoder: expected int64 token ids of shape [batch, steps]",
            Assert.Throws<ArgumentException>(() => decoder.Forward(Tensor.Zeros([2, 3]), state)).Message);
        Assert.Contains("Seq2SeqAttentionDecoder: expected a Seq2SeqAttentionState (from its own Start/InitState), got a Seq2SeqState",
            Assert.Throws<ArgumentException>(() => decoder.Decode(ids, new Seq2SeqState(Tensor.Zeros([2, 2, 5]), Tensor.Zeros([2, 5])))).Message);
        Assert.Contains("Seq2SeqDecoder: expected a Seq2SeqState (from its own Start/InitState), got a Seq2SeqAttentionState",
            Assert.Throws<ArgumentException>(() => new Seq2SeqDecoder(8, 4, 5, 2).Decode(ids, state)).Message);
        Assert.Contains("must have the same layers and hidden size", Assert.Throws<ArgumentException>(() =>
            new EncoderDecoder(new Seq2SeqEncoder(10, 4, 6, 2), decoder)).Message);
    }

    [Fact]
    public void TrainingOnAFewPairsLowersTheLoss()
    {
        var data = TranslationData.Build(TranslationPairs.FraEng().Take(100).ToList(), heldOutFraction: 0, minFreq: 1);
        var model = EncoderDecoder.CreateWithAttention(data.SourceVocab.Count, data.TargetVocab.Count, 16, 32, 1, generator: new Generator(3));
        var optimizer = new Nabla.Optim.Adam(model.Parameters(), 0.01);
        var first = Seq2SeqTraining.TrainEpoch(model, data, optimizer, 0, batchSize: 20, seed: 1);
        Seq2SeqEpoch last = first;
        for (int e = 1; e < 12; e++) last = Seq2SeqTraining.TrainEpoch(model, data, optimizer, e, batchSize: 20, seed: 1);
        Assert.True(last.LossPerToken < first.LossPerToken / 2, $"loss per token {first.LossPerToken} → {last.LossPerToken}");
        var sources = data.TrainPairs.Select(p => p.Source).Take(10).ToList();
        Assert.Equal(10, Seq2SeqTraining.Translate(model, data, sources).Count);
        Assert.Equal(10, Seq2SeqTraining.Translate(model, data, sources, beamSize: 2).Count);
    }
}
