using Nabla.Models.Text;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.Text;

/// <summary>
/// GptLanguageModel: PyTorch parity of logits and every gradient (tools/golden/gpt.py), causality, the context
/// carried through the state, a float64 gradient check of every parameter, bad input, and training with the
/// language-model trainer and sampling with the text sampler.
/// </summary>
public class GptLanguageModelTests
{
    const string Fixture = "gpt";

    static Tensor Ids(int n, int t, int vocab, ulong seed = 1) => Tensor.Randint(vocab, [n, t], generator: new Generator(seed));

    static readonly Dictionary<string, Func<GptLanguageModel>> Golden = new()
    {
        ["untied_two_layers"] = () => new GptLanguageModel(11, 8, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 16),
        ["tied_full_window"] = () => new GptLanguageModel(11, 5, dModel: 8, numHeads: 4, numLayers: 1, dimFeedforward: 12, tieWeights: true),
        ["untied_float64_three_layers"] = () => new GptLanguageModel(7, 6, dModel: 6, numHeads: 3, numLayers: 3, dimFeedforward: 10, dtype: DType.Float64),
    };

    public static IEnumerable<object[]> GoldenNames() => Golden.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void MatchesPyTorch(string name)
    {
        var model = Golden[name]();
        var names = model.NamedParameters().Select(p => p.Name).ToArray();
        DenseLayerGoldenRunner.Check(GoldenFixture.Get(Fixture, name), model, names, x => model.Forward(x[0]).Reshape(-1));
    }

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Golden.Keys);

    [Fact]
    public void ParameterNamesMirrorThePyTorchModule()
    {
        var untied = new GptLanguageModel(10, 6, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 16);
        var names = untied.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(["token_embedding.weight", "position_embedding.weight"], names[..2]);
        Assert.Contains("layers.1.self_attn.in_proj_weight", names);
        Assert.Equal(["norm.weight", "norm.bias", "lm_head.weight", "lm_head.bias"], names[^4..]);
        var tied = new GptLanguageModel(10, 6, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 16, tieWeights: true);
        Assert.DoesNotContain(tied.NamedParameters(), p => p.Name.StartsWith("lm_head", StringComparison.Ordinal));
        Assert.Equal(untied.NumParameters() - 10 * 8 - 10, tied.NumParameters());
    }

    [Fact]
    public void ChangingTokenTChangesNoEarlierLogit()
    {
        var model = new GptLanguageModel(9, 7, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 12, dtype: DType.Float64, generator: new Generator(3));
        var ids = Ids(2, 7, 9, seed: 4);
        var before = model.Forward(ids);
        for (int t = 0; t < 7; t++)
        {
            var changed = ids.Clone();
            var data = changed.ToArray<long>();
            data[t] = (data[t] + 1) % 9;                  // row 0, position t
            data[7 + t] = (data[7 + t] + 4) % 9;          // row 1, position t
            var after = model.Forward(Tensor.From(data, 2, 7));
            if (t > 0) TensorAssert.Equal(before.Narrow(1, 0, t), after.Narrow(1, 0, t), $"logits before position {t}");
            var atT = (before.Narrow(1, t, 1) - after.Narrow(1, t, 1)).Abs().Max().Item();
            Assert.True(atT > 1e-6, $"changing token {t} must change the logits at {t}, changed by {atT}");
        }
    }

    [Fact]
    public void ContextInTheStateEqualsOneLongerWindow()
    {
        var model = new GptLanguageModel(9, 8, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 12, dtype: DType.Float64, generator: new Generator(5));
        var ids = Ids(2, 8, 9, seed: 6);
        var whole = model.Forward(ids);
        var first = model.Forward(ids.Narrow(1, 0, 5), model.InitialState(2));
        Assert.Equal([2, 5], first.State.H.Shape);
        var second = model.Forward(ids.Narrow(1, 5, 3), first.State);
        TensorAssert.Close(whole.Narrow(1, 0, 5), first.Logits, 1e-12, 1e-12, "first chunk");
        TensorAssert.Close(whole.Narrow(1, 5, 3), second.Logits, 1e-12, 1e-12, "second chunk after its context");
        TensorAssert.Equal(ids.Narrow(1, 1, 7), second.State.H, "the state keeps the last max_len − 1 tokens");

        // A context longer than the room left: only its last max_len − T tokens are read (a sliding window).
        var longer = Ids(2, 12, 9, seed: 7);
        var slid = model.Forward(longer.Narrow(1, 9, 3), new RecurrentState(longer.Narrow(1, 0, 9)));
        TensorAssert.Close(model.Forward(longer.Narrow(1, 4, 8)).Narrow(1, 5, 3), slid.Logits, 1e-12, 1e-12, "sliding window");
    }

    [Fact]
    public void GradientsOfEveryParameterPassAFloat64Check()
    {
        var model = new GptLanguageModel(6, 4, dModel: 4, numHeads: 2, numLayers: 2, dimFeedforward: 6, tieWeights: true, dtype: DType.Float64, generator: new Generator(8));
        var ids = Tensor.From(new long[] { 1, 4, 2, 5, 0, 3, 3, 1 }, 2, 4);
        var targets = Tensor.From(new long[] { 4, 2, 5, 0, 3, 3, 1, 2 }, 2, 4);
        var named = model.NamedParameters().ToArray();
        var inputs = named.Select((p, i) => GradCheckInputs.Uniform(200 + i, p.Tensor.Shape)).ToArray();
        Tensor RunWith(Tensor[] x)
        {
            for (int i = 0; i < named.Length; i++)
            {
                int dot = named[i].Name.LastIndexOf('.');
                model.GetSubmodule(named[i].Name[..dot]).RegisterParameter(named[i].Name[(dot + 1)..], x[i]);
            }
            return LanguageModelTrainer.TokenCrossEntropy(model.Forward(ids), targets);
        }
        var before = RunWith(inputs).Item();
        var after = RunWith([.. inputs.Select(t => (t * 1.5).Detach())]).Item();
        Assert.True(Math.Abs(before - after) > 1e-6, "the loss must follow the substituted parameters");
        GradCheckInputs.AssertPasses(RunWith, inputs);
    }

    [Fact]
    public void BadInputIsRefusedNamingTheSizes()
    {
        var model = new GptLanguageModel(9, 6, dModel: 8, numHeads: 2, numLayers: 1, dimFeedforward: 8);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(Ids(2, 7, 9)));
        Assert.Contains("GptLanguageModel: the input has 7 positions (ids shape [2, 7]) but the position table holds max_len = 6", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros([2, 3]), null));
        Assert.Contains("expected token ids of shape [batch, steps] and dtype int64, got float32 of shape [2, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Forward(Ids(2, 3, 9), new RecurrentState(Tensor.Zeros([1, 2, 8]))));
        Assert.Contains("the state is the context of token ids read so far, int64 [batch, tokens] with batch 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Forward(Ids(2, 3, 9), model.InitialState(3)));
        Assert.Contains("got int64 of shape [3, 0]", e.Message);
        e = Assert.Throws<ArgumentException>(() => new GptLanguageModel(9, 6, dModel: 10, numHeads: 4));
        Assert.Contains("d_model 10 is not divisible by num_heads 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => new GptLanguageModel(9, 0));
        Assert.Contains("max_len=0", e.Message);
    }

    [Fact]
    public void TrainsWithTheLanguageModelTrainerAndSamplesPastMaxLen()
    {
        int[] text = Enumerable.Range(0, 2000).Select(i => "abcabd"[i % 6] - 'a').ToArray();   // period 6, cut into 5-token pieces so every phase is trained; the first two
        // predictions of a piece are ambiguous (b → c or d), so the floor is exp(2/3 · ln 2 / 5) ≈ 1.10
        var model = new GptLanguageModel(4, 5, dModel: 16, numHeads: 2, numLayers: 1, dimFeedforward: 32, generator: new Generator(9));
        var trainer = new LanguageModelTrainer(model, new Adam(model.Parameters(), 0.001), new LanguageModelTrainerOptions
        {
            BatchSize = 4, NumSteps = 5, Sampling = SequenceSampling.Random, Generator = new Generator(10),
        });
        double untrained = trainer.Perplexity(text);
        var history = trainer.Fit(text, epochs: 6);
        Assert.True(history[^1].TrainPerplexity < 1.15, $"perplexity {string.Join(", ", history.Select(h => h.TrainPerplexity))} on a periodic text");
        Assert.True(untrained > 3, $"untrained perplexity {untrained} should be near the vocabulary size 4");
        double evaluated = trainer.Perplexity(text);
        Assert.True(evaluated < 1.15, $"evaluation perplexity {evaluated}, windows of max_len with the state carried");

        // Generation slides the window: 20 tokens with max_len 5 (= the trained length), and the period continues.
        var ids = TextSampler.Generate(model, [0, 1, 2], 20, Decoding.Greedy);
        var expected = Enumerable.Range(0, 23).Select(i => "abcabd"[i % 6] - 'a');
        Assert.Equal(expected, ids);
    }
}
