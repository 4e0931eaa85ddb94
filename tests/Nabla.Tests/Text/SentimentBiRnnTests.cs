using System.Text.Json;
using Nabla.Models.Text;
using Nabla.Tests.Support;

namespace Nabla.Tests.Text;

/// <summary>
/// The notes' BiRNN (15.2) against its PyTorch mirror (tools/golden/sentiment.py): state dict and parameter count,
/// logits of a padded batch with the valid lengths given to the LSTM, and the property that padding cannot leak in.
/// </summary>
public class SentimentBiRnnTests
{
    static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "sentiment.json"))));

    /// <summary>Fixture configuration name → the same model built here.</summary>
    static readonly Dictionary<string, Func<SentimentBiRnn>> Configurations = new()
    {
        ["birnn_notes"] = () => (SentimentBiRnn)Nabla.Models.ModelZoo.Create("sentiment-bilstm", new Nabla.Models.ZooOptions { NumClasses = 2 }),
        ["birnn_small"] = () => new SentimentBiRnn(50, 8, 6, 1),
        ["birnn_three_classes"] = () => new SentimentBiRnn(40, 5, 7, 3, numClasses: 3),
    };

    public static IEnumerable<object[]> Names => Configurations.Keys.Select(k => new object[] { k });

    [Fact]
    public void EveryFixtureConfigurationIsBuilt() =>
        Assert.Equal(Doc.Value.RootElement.GetProperty("models").EnumerateObject().Select(p => p.Name).Order(), Configurations.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void StateDictAndParameterCountMatchPyTorch(string name)
    {
        var expected = Doc.Value.RootElement.GetProperty("models").GetProperty(name);
        var model = Configurations[name]();
        var keys = expected.GetProperty("keys").EnumerateArray()
            .Select(k => $"{k[0].GetString()} [{string.Join(", ", k[1].EnumerateArray().Select(d => d.GetInt32()))}]");
        var ours = model.StateDict().Select(p => $"{p.Key} [{string.Join(", ", p.Value.Shape)}]");
        Assert.Equal(keys, ours);
        Assert.Equal(expected.GetProperty("params").GetInt64(), model.NumParameters());
    }

    [Fact]
    public void LogitsOfAPaddedBatchMatchPyTorchPackedSequences()
    {
        var c = Doc.Value.RootElement.GetProperty("logits")[0];
        var ids = GoldenFixture.ReadTensor(c.GetProperty("input"));
        var lengths = GoldenFixture.ReadTensor(c.GetProperty("lengths"));
        var expected = GoldenFixture.ReadTensor(c.GetProperty("logits"));
        var model = new SentimentBiRnn(30, 5, 4, 2, padId: c.GetProperty("pad_id").GetInt32());
        var state = c.GetProperty("state").EnumerateObject().ToDictionary(p => p.Name, p => GoldenFixture.ReadTensor(p.Value));
        model.LoadStateDict(state);
        model.Eval();

        TensorAssert.Close(expected, model.Forward(ids, lengths), what: "logits with explicit lengths");
        TensorAssert.Close(expected, model.Forward(ids), what: "logits with lengths recovered from the padding id");
        Assert.Equal(lengths.ToArray<long>(), model.LengthsOf(ids)!.ToArray<long>());
    }

    [Fact]
    public void APaddedCopyOfASentenceGivesTheSameLogitsAsTheUnpaddedOne()
    {
        var model = new SentimentBiRnn(20, 6, 5, 2, padId: 1, generator: new Generator(3));
        model.Eval();
        long[] sentence = [4, 9, 2, 17, 5];
        var alone = model.Forward(Tensor.From(sentence, 1, 5));
        var padded = model.Forward(Tensor.From(new long[] { 4, 9, 2, 17, 5, 1, 1, 1 }, 1, 8));
        TensorAssert.Close(alone, padded, rtol: 1e-6, atol: 1e-6, what: "padded vs unpadded");

        // Inside a batch next to a longer sentence (the batch is padded to 7 steps).
        var batch = model.Forward(Tensor.From(new long[] { 4, 9, 2, 17, 5, 1, 1, 3, 3, 8, 12, 6, 7, 19 }, 2, 7));
        TensorAssert.Close(alone, batch.Narrow(0, 0, 1), rtol: 1e-6, atol: 1e-6, what: "row 0 of a mixed batch");

        // Without the lengths the padding steps would change the answer: the test can fail.
        var leaky = model.Forward(Tensor.From(new long[] { 4, 9, 2, 17, 5, 1, 1, 1 }, 1, 8), Tensor.From(new long[] { 8 }));
        Assert.Contains(TensorAssert.Flat(leaky).Zip(TensorAssert.Flat(alone)), p => Math.Abs(p.First - p.Second) > 1e-4);
    }

    [Fact]
    public void GradientsReachEveryParameterThroughThePaddedBatch()
    {
        var model = new SentimentBiRnn(20, 4, 3, 2, padId: 1, embeddingDropout: 0.2, dropout: 0.2, outputDropout: 0.2, generator: new Generator(5));
        var logits = model.Forward(Tensor.From(new long[] { 4, 9, 2, 1, 3, 3, 8, 12 }, 2, 4));
        Nabla.NN.Functional.CrossEntropy(logits, Tensor.From(new long[] { 0, 1 })).Backward();
        foreach (var (key, p) in model.NamedParameters())
            Assert.True(p.Grad is not null && TensorAssert.Flat(p.Grad).Any(g => g != 0), $"{key} has no gradient");
    }

    [Fact]
    public void BadInputIsRefusedWithTheShapes()
    {
        var model = new SentimentBiRnn(20, 4, 3, 1, padId: 1);
        var ids = Tensor.From(new long[] { 4, 9, 1, 1, 1, 1 }, 2, 3);
        Assert.Contains("SentimentBiRnn: row 1 of the token ids of shape [2, 3] is all padding (id 1)",
            Assert.Throws<ArgumentException>(() => model.Forward(ids)).Message);
        Assert.Contains("SentimentBiRnn: sentence 0 has length 0, outside [1, 3] for token ids of shape [2, 3]",
            Assert.Throws<ArgumentException>(() => model.Forward(ids, Tensor.From(new long[] { 0, 2 }))).Message);
        Assert.Contains("SentimentBiRnn: lengths must be int64 of shape [2] for token ids of shape [2, 3], got int64 [3]",
            Assert.Throws<ArgumentException>(() => model.Forward(ids, Tensor.From(new long[] { 1, 2, 3 }))).Message);
        Assert.Contains("SentimentBiRnn: expected int64 token ids of shape [batch, length] with batch, length ≥ 1, got float32 [2, 3]",
            Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros(2, 3))).Message);
        Assert.Contains("SentimentBiRnn: the padding id 20 is not an id of a vocabulary of 20 tokens",
            Assert.Throws<ArgumentException>(() => new SentimentBiRnn(20, 4, 3, 1, padId: 20)).Message);
    }
}
