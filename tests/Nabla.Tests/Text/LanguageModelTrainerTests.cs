using Nabla.Models.Text;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Text;

/// <summary>
/// LanguageModelTrainer: what state each batch starts from under the two sampling schemes, perplexity as exp of the
/// mean cross-entropy, reproducibility, and learning a tiny periodic text.
/// </summary>
public class LanguageModelTrainerTests
{
    /// <summary>Wraps a model and records the state passed into and returned by every call.</summary>
    sealed class SpyModel(RnnLanguageModel inner) : ILanguageModel
    {
        public List<RecurrentState?> In { get; } = [];
        public List<RecurrentState> Out { get; } = [];
        public Module Module => inner;
        public int VocabSize => inner.VocabSize;
        public RecurrentState InitialState(int batchSize) => inner.InitialState(batchSize);

        public LanguageModelOutput Forward(Tensor ids, RecurrentState? state)
        {
            In.Add(state);
            var output = inner.Forward(ids, state);
            Out.Add(output.State);
            return output;
        }
    }

    static int[] Periodic(int length, int period) => Enumerable.Range(0, length).Select(i => i % period).ToArray();

    static int[] RandomIds(int length, int vocab, ulong seed)
    {
        var g = new Generator(seed);
        return Enumerable.Range(0, length).Select(_ => (int)g.NextInt64(0, vocab)).ToArray();
    }

    static (SpyModel Spy, LanguageModelTrainer Trainer) Build(SequenceSampling sampling, string cell = "lstm", ulong seed = 1, double? clip = 1)
    {
        var spy = new SpyModel(new RnnLanguageModel(6, cell, hiddenSize: 8, embedSize: 4, generator: new Generator(seed)));
        var trainer = new LanguageModelTrainer(spy, new Adam(spy.Module.Parameters(), 0.01), new LanguageModelTrainerOptions
        {
            BatchSize = 2, NumSteps = 5, Sampling = sampling, ClipNorm = clip, Generator = new Generator(seed + 100),
        });
        return (spy, trainer);
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void SequentialSamplingCarriesTheDetachedFinalState(string cell)
    {
        var (spy, trainer) = Build(SequenceSampling.Sequential, cell);
        trainer.Fit(RandomIds(80, 6, 3), epochs: 1);
        int batches = spy.In.Count;
        Assert.True(batches >= 5, $"only {batches} batches");
        Assert.All(Support.TensorAssert.Flat(spy.In[0]!.H), v => Assert.Equal(0.0, v));
        for (int i = 1; i < batches; i++)
        {
            var given = spy.In[i]!;
            var previous = spy.Out[i - 1];
            Support.TensorAssert.Equal(previous.H, given.H);
            Assert.True(given.H.IsLeaf && !given.H.RequiresGrad, $"batch {i + 1}: the carried H is still attached to the previous graph");
            Assert.True(previous.H.RequiresGrad);   // the state the layer returned was part of the graph
            if (cell == "lstm")
            {
                Support.TensorAssert.Equal(previous.C!, given.C!);
                Assert.True(given.C!.IsLeaf && !given.C.RequiresGrad);
            }
        }
    }

    [Fact]
    public void RandomSamplingStartsEveryBatchFromZeros()
    {
        var (spy, trainer) = Build(SequenceSampling.Random);
        trainer.Fit(RandomIds(80, 6, 3), epochs: 2);
        Assert.True(spy.In.Count >= 10);
        foreach (var state in spy.In)
        {
            Assert.Equal([1, 2, 8], state!.H.Shape);
            Assert.All(Support.TensorAssert.Flat(state.H), v => Assert.Equal(0.0, v));
            Assert.All(Support.TensorAssert.Flat(state.C!), v => Assert.Equal(0.0, v));
        }
        // ...although the states the batches ended with were not zero.
        Assert.Contains(spy.Out, s => Support.TensorAssert.Flat(s.H).Any(v => v != 0));
    }

    [Fact]
    public void PerplexityIsExpOfTheMeanTokenCrossEntropy()
    {
        var model = new RnnLanguageModel(5, "gru", hiddenSize: 4, embedSize: 3, dtype: DType.Float64, generator: new Generator(7));
        var trainer = new LanguageModelTrainer(model, new SGD(model.Parameters(), 0.1), new LanguageModelTrainerOptions { BatchSize = 1, NumSteps = 3 });
        int[] ids = [0, 3, 1, 4, 4, 2, 1];
        // By hand: one row, the logits of the whole stream at once, −log softmax at each next token.
        var logits = model.Forward(Tensor.From(ids[..^1].Select(i => (long)i).ToArray(), 1, 6), null).Logits.Reshape(6, 5);
        var logp = Support.TensorAssert.Flat(logits.LogSoftmax(1));
        double ce = 0;
        for (int t = 0; t < 6; t++) ce -= logp[t * 5 + ids[t + 1]];
        Assert.Equal(Math.Exp(ce / 6), trainer.Perplexity(ids), 10);
        Assert.True(model.IsTraining);   // the mode is restored

        // A uniform model has perplexity = vocabulary size.
        using (new Nabla.Autograd.NoGrad())
            foreach (var p in model.Parameters()) p.FillInPlace(0.0);
        Assert.Equal(5.0, trainer.Perplexity(ids), 10);
    }

    [Fact]
    public void TokenCrossEntropyFlattensBatchAndTime()
    {
        var logits = Tensor.Randn([2, 3, 4], generator: new Generator(1));
        var targets = Tensor.From(new long[] { 0, 1, 2, 3, 0, 1 }, 2, 3);
        Support.TensorAssert.Close(Functional.CrossEntropy(logits.Reshape(6, 4), targets.Reshape(6)), LanguageModelTrainer.TokenCrossEntropy(logits, targets));
        Assert.Contains("expected logits [N, T, V] and targets [N, T], got [2, 3, 4] and [3, 2]",
            Assert.Throws<ArgumentException>(() => LanguageModelTrainer.TokenCrossEntropy(logits, targets.Reshape(3, 2))).Message);
    }

    [Fact]
    public void SameSeedsGiveTheSameRun()
    {
        var a = Build(SequenceSampling.Random, seed: 9).Trainer.Fit(RandomIds(120, 6, 2), epochs: 2);
        var b = Build(SequenceSampling.Random, seed: 9).Trainer.Fit(RandomIds(120, 6, 2), epochs: 2);
        Assert.Equal(a.Select(e => e.TrainPerplexity), b.Select(e => e.TrainPerplexity));
        var c = Build(SequenceSampling.Random, seed: 10).Trainer.Fit(RandomIds(120, 6, 2), epochs: 2);
        Assert.NotEqual(a.Select(e => e.TrainPerplexity), c.Select(e => e.TrainPerplexity));
    }

    [Fact]
    public void LearnsAPeriodicTextToPerplexityNearOne()
    {
        var (_, trainer) = Build(SequenceSampling.Sequential);
        var history = trainer.Fit(Periodic(200, 5), epochs: 15, validation: Periodic(60, 5));
        Assert.True(history[0].TrainPerplexity > 2.5, $"first epoch {history[0].TrainPerplexity}");
        Assert.True(history[^1].TrainPerplexity < 1.3, $"last epoch {history[^1].TrainPerplexity}");
        Assert.True(history[^1].ValPerplexity < 1.3, $"validation {history[^1].ValPerplexity}");
        Assert.Equal(Enumerable.Range(1, 15), history.Select(e => e.Epoch));
        Assert.All(history, e => Assert.True(e.TokensPerSecond > 0 && e.Tokens == (200 - 5) / 10 * 10));
    }

    [Fact]
    public void BadInputIsRefusedClearly()
    {
        var (_, trainer) = Build(SequenceSampling.Random);
        Assert.Contains("training token 2 has id 6, outside the model's vocabulary [0, 6)",
            Assert.Throws<ArgumentException>(() => trainer.Fit([0, 1, 6, 2], 1)).Message);
        Assert.Contains("too short for one batch of batchSize=2 × numSteps=5",
            Assert.Throws<ArgumentException>(() => trainer.Fit(Periodic(12, 5), 1)).Message);
        Assert.Contains("perplexity needs at least 2 tokens", Assert.Throws<ArgumentException>(() => trainer.Perplexity([1])).Message);
        Assert.Contains("epochs must be at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(Periodic(50, 5), 0)).Message);
        var model = new RnnLanguageModel(6, hiddenSize: 4, embedSize: 2);
        Assert.Contains("clipping norm must be a finite number greater than 0",
            Assert.Throws<ArgumentException>(() => new LanguageModelTrainer(model, new SGD(model.Parameters(), 1), new() { ClipNorm = 0 })).Message);
    }
}
