using Nabla.Autograd;
using Nabla.Models.Translation;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Optim.Schedules;
using Nabla.Tests.Support;

namespace Nabla.Tests.Translation;

/// <summary>
/// The Transformer translation model: step-by-step decoding equals the teacher-forced pass, source padding changes
/// nothing, beam 1 = greedy, a float64 gradient check of every parameter through a padded batch, the heat-map
/// weights, training that learns, and bad input.
/// </summary>
public class TransformerTranslatorTests
{
    static TransformerTranslator Tiny(DType dtype = DType.Float64, int seed = 3) =>
        new(7, 6, dModel: 4, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForward: 6, dropout: 0, maxLength: 16, dtype: dtype, generator: new Generator((ulong)seed));

    static Tensor Ids(long[] values, int rows) => Tensor.From(values, rows, values.Length / rows);

    [Fact]
    public void StepwiseDecodingEqualsTheTeacherForcedForward()
    {
        var model = Tiny();
        model.Eval();
        var source = Ids([3, 4, 5, 1, 2, 6, 1, 0], 2);
        var lengths = Tensor.From(new long[] { 4, 2 });
        var fed = Ids([1, 3, 4, 2, 1, 5, 5, 3], 2);
        using var _ = new NoGrad();
        var full = model.Forward(source, fed, lengths).LogSoftmax(-1);
        var state = model.Start(source, lengths);
        for (int t = 0; t < fed.Size(1); t++)
        {
            var (logProbs, next) = model.Step(state, fed.Select(1, t).Contiguous());
            TensorAssert.Close(full.Select(1, t), logProbs, 1e-10, 1e-12, $"step {t}");
            state = next;
        }
        Assert.Equal(new[] { 2, 4 }, state.Prefix.Shape);
    }

    [Fact]
    public void SourcePaddingChangesNothing()
    {
        var model = Tiny();
        model.Eval();
        var fed = Ids([1, 3, 4], 1);
        using var _ = new NoGrad();
        var alone = model.Forward(Ids([3, 4, 5], 1), fed, Tensor.From(new long[] { 3 }));
        // The same sentence padded to width 6 with arbitrary ids, its length saying where it ends.
        var padded = model.Forward(Ids([3, 4, 5, 6, 0, 2], 1), fed, Tensor.From(new long[] { 3 }));
        TensorAssert.Close(alone, padded, 1e-12, 1e-12, "logits of a padded source");
        var unmasked = model.Forward(Ids([3, 4, 5, 6, 0, 2], 1), fed);
        Assert.Contains(TensorAssert.Flat(alone).Zip(TensorAssert.Flat(unmasked)), p => Math.Abs(p.First - p.Second) > 1e-6);
    }

    [Fact]
    public void BeamOfOneIsGreedySearch()
    {
        for (int seed = 0; seed < 10; seed++)
        {
            var model = Tiny(DType.Float32, seed);
            model.Eval();
            var source = Ids([3, 4, 5, 2], 1);
            var options = new SearchOptions(1, 2, 8);
            var greedy = model.Greedy(source, null, options)[0];
            var beam = model.Beam(source, 1, options).Best;
            Assert.Equal(greedy.Tokens, beam.Tokens);
            Assert.Equal(greedy.LogProb, beam.LogProb, 5);
            Assert.True(model.Beam(source, 4, options, monotone: true).Best.Score(options.Alpha) >= beam.Score(options.Alpha) - 1e-9);
        }
    }

    [Fact]
    public void GradientsOfEveryParameterThroughAPaddedBatch()
    {
        var model = Tiny();
        var source = Ids([3, 4, 5, 1, 2, 6, 1, 1], 2);
        var lengths = Tensor.From(new long[] { 3, 2 });
        var fed = Ids([1, 3, 4, 1, 5, 0], 2);
        var named = model.NamedParameters().ToArray();
        var inputs = named.Select((p, i) => GradCheckInputs.Uniform(200 + i, p.Tensor.Shape)).ToArray();
        Tensor RunWith(Tensor[] x)
        {
            for (int i = 0; i < named.Length; i++)
            {
                int dot = named[i].Name.LastIndexOf('.');
                var owner = dot < 0 ? model : model.GetSubmodule(named[i].Name[..dot]);
                owner.RegisterParameter(named[i].Name[(dot + 1)..], x[i]);
            }
            return model.Forward(source, fed, lengths);
        }
        GradCheckInputs.AssertPasses(RunWith, inputs);
    }

    [Fact]
    public void CrossAttentionWeightsAreDistributionsOverTheRealSourcePositions()
    {
        var model = Tiny();
        model.Eval();
        using var _ = new NoGrad();
        var weights = model.CrossAttentionWeights(Ids([3, 4, 5, 1, 2, 6, 1, 1], 2), Ids([1, 3, 1, 5], 2), Tensor.From(new long[] { 4, 2 }));
        Assert.Equal(new[] { 2, 2, 4 }, weights.Shape);
        TensorAssert.Close(Tensor.Ones([2, 2], DType.Float64), weights.Sum(-1), 1e-12, 1e-12, "rows sum to one");
        Assert.Equal(0.0, weights.Select(0, 1).Narrow(-1, 2, 2).Abs().Max().Item<double>());   // padding of the second sentence
        Assert.False(model.Transformer.Decoder.Layers[^1].MultiheadAttn.RecordWeights);
    }

    [Fact]
    public void TrainingLearnsToCopyShortSequences()
    {
        // Target = source: a task a working encoder-decoder with cross-attention learns in a few hundred steps.
        var model = new TransformerTranslator(8, 8, dModel: 32, heads: 4, encoderLayers: 1, decoderLayers: 1, feedForward: 64, dropout: 0, generator: new Generator(1));
        var optimizer = new Adam(model.Parameters(), lr: 3e-3);
        var rng = new System.Random(2);
        double first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            var values = Enumerable.Range(0, 32 * 4).Select(_ => (long)rng.Next(3, 8)).ToArray();
            var source = Tensor.From(values, 32, 4);
            var decoderInput = EncoderDecoder.TeacherForcingInput(source, 1);
            optimizer.ZeroGrad();
            var loss = MaskedSoftmaxCELoss.Forward(model.Forward(source, decoderInput), source, Tensor.Full([32], 4, DType.Int64)).Mean();
            loss.Backward();
            optimizer.Step();
            if (step == 0) first = loss.Item<float>();
            last = loss.Item<float>();
        }
        Assert.True(last < 0.1 * first, $"loss {first} → {last}");
        model.Eval();
        var greedy = model.Greedy(Tensor.From(new long[] { 7, 3, 5, 4 }, 1, 4), null, new SearchOptions(1, 2, 4))[0];
        Assert.Equal(new[] { 7, 3, 5, 4 }, greedy.Tokens);
    }

    [Fact]
    public void BadInputIsRefusedWithTheShapes()
    {
        var model = Tiny();
        var source = Ids([3, 4, 5, 1], 2);
        var fed = Ids([1, 3], 2);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(source, fed, Tensor.From(new long[] { 0, 2 })));
        Assert.Contains("every source length must lie in 1..2", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Forward(source, fed, Tensor.From(new long[] { 2, 3 })));
        Assert.Contains("got lengths from 2 to 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Forward(source, fed, Tensor.From(new long[] { 2 })));
        Assert.Contains("source lengths must be int64 [2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Forward(source, Ids([1, 3, 4], 1)));
        Assert.Contains("the source has 2 sentences but the decoder input [1, 3] has 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Forward(source.To(DType.Float64), fed));
        Assert.Contains("expected int64 token ids", e.Message);
        // Longer than the positional table (max_length 16).
        var longSource = Tensor.Full([1, 17], 3, DType.Int64);
        var ex = Assert.ThrowsAny<ArgumentException>(() => model.Forward(longSource, Ids([1], 1)));
        Assert.Contains("17", ex.Message);
        Assert.Contains("16", ex.Message);
        e = Assert.Throws<ArgumentException>(() => new TransformerTranslator(7, 6, dModel: 6, heads: 4));
        Assert.Contains("divisible by num_heads 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Beam(source, 2, new SearchOptions(1, 2, 4)));
        Assert.Contains("one sentence at a time", e.Message);
    }
}

/// <summary>LambdaLR (PyTorch's: base lr × factor(step)) and the translation recipes' warm-up + cosine factor.</summary>
public class LambdaLRTests
{
    [Fact]
    public void SetsBaseRateTimesTheFactorAtEveryStep()
    {
        var p = Tensor.Zeros([2]).RequiresGrad_();
        var optimizer = new SGD([p], lr: 0.5);
        var schedule = new LambdaLR(optimizer, step => 1.0 / (step + 1));
        Assert.Equal(0.5, optimizer.ParamGroups[0].Lr, 12);
        schedule.Step();
        Assert.Equal(0.25, optimizer.ParamGroups[0].Lr, 12);
        schedule.Step();
        Assert.Equal(0.5 / 3, optimizer.ParamGroups[0].Lr, 12);
        var bad = new LambdaLR(new SGD([Tensor.Zeros([1]).RequiresGrad_()], lr: 0.1), step => step == 0 ? 1 : double.NaN);
        var e = Assert.Throws<InvalidOperationException>(() => bad.Step());
        Assert.Contains("LambdaLR: the factor at step 1", e.Message);
    }
}
