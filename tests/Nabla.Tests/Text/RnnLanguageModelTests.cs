using Nabla.Models.Text;
using Nabla.NN;

namespace Nabla.Tests.Text;

/// <summary>RnnLanguageModel: shapes, PyTorch names, one-hot vs embedding, and clear errors for wrong ids and states.</summary>
public class RnnLanguageModelTests
{
    static Tensor Ids(int n, int t, int vocab, ulong seed = 1) => Tensor.Randint(vocab, [n, t], generator: new Generator(seed));

    [Theory]
    [InlineData("rnn", false)]
    [InlineData("gru", false)]
    [InlineData("lstm", true)]
    public void LogitsForEveryStepAndTheFinalState(string cell, bool hasC)
    {
        var model = new RnnLanguageModel(11, cell, hiddenSize: 6, numLayers: 2, embedSize: 4, generator: new Generator(2));
        var output = model.Forward(Ids(3, 5, 11), null);
        Assert.Equal([3, 5, 11], output.Logits.Shape);
        Assert.Equal([2, 3, 6], output.State.H.Shape);
        Assert.Equal(hasC, output.State.C is not null);
        if (hasC) Assert.Equal([2, 3, 6], output.State.C!.Shape);
        Assert.Equal([3, 5, 11], model.Forward(Ids(3, 5, 11)).Shape);
    }

    [Fact]
    public void ParameterNamesMirrorPyTorch()
    {
        var embedded = new RnnLanguageModel(10, "lstm", hiddenSize: 8, numLayers: 2, embedSize: 5);
        Assert.Equal(["embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
            "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "linear.weight", "linear.bias"],
            embedded.NamedParameters().Select(p => p.Name));
        Assert.Equal([32, 5], embedded.StateDict()["rnn.weight_ih_l0"].Shape);     // 4 gates × hidden, embed
        Assert.Equal([10, 8], embedded.StateDict()["linear.weight"].Shape);

        var oneHot = new RnnLanguageModel(10, "gru", hiddenSize: 8, embedSize: 0);
        Assert.DoesNotContain(oneHot.NamedParameters(), p => p.Name.StartsWith("embedding", StringComparison.Ordinal));
        Assert.Equal([24, 10], oneHot.StateDict()["rnn.weight_ih_l0"].Shape);      // one-hot inputs of vocabulary width
    }

    [Fact]
    public void OneHotModelEqualsItsLayersAppliedByHand()
    {
        var model = new RnnLanguageModel(7, "rnn", hiddenSize: 5, embedSize: 0, dtype: DType.Float64, generator: new Generator(4));
        var ids = Ids(2, 3, 7);
        var expected = model.Rnn.Forward(Tensor.OneHot(ids, 7).To(DType.Float64)).Output;
        var w = model.StateDict()["linear.weight"];
        var b = model.StateDict()["linear.bias"];
        var logits = expected.MatMul(w.T()) + b;
        Support.TensorAssert.Close(logits, model.Forward(ids, null).Logits, 1e-10, 1e-12);
    }

    [Fact]
    public void CarriedStateEqualsOneLongSequence()
    {
        var model = new RnnLanguageModel(9, "lstm", hiddenSize: 6, embedSize: 3, dtype: DType.Float64, generator: new Generator(5));
        var ids = Ids(2, 8, 9);
        var whole = model.Forward(ids, null).Logits;
        var first = model.Forward(ids.Narrow(1, 0, 5), null);
        var second = model.Forward(ids.Narrow(1, 5, 3), first.State);
        Support.TensorAssert.Close(whole, Tensor.Cat([first.Logits, second.Logits], dim: 1), 1e-10, 1e-12);
    }

    [Fact]
    public void WrongStateShapeIsNamed()
    {
        var model = new RnnLanguageModel(9, "lstm", hiddenSize: 6, numLayers: 2, embedSize: 3);
        var wrongBatch = model.InitialState(4);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(Ids(3, 2, 9), wrongBatch));
        Assert.Contains("the hidden state has shape [2, 4, 6], expected [2, 3, 6] (layers, batch, hidden) for a batch of 3", e.Message);

        var noCell = new RecurrentState(Tensor.Zeros([2, 3, 6]));
        Assert.Contains("an LSTM needs a cell state C of shape [2, 3, 6]", Assert.Throws<ArgumentException>(() => model.Forward(Ids(3, 2, 9), noCell)).Message);

        var gru = new RnnLanguageModel(9, "gru", hiddenSize: 6, embedSize: 3);
        var withC = new RecurrentState(Tensor.Zeros([1, 3, 6]), Tensor.Zeros([1, 3, 6]));
        Assert.Contains("a GRU has no cell state", Assert.Throws<ArgumentException>(() => gru.Forward(Ids(3, 2, 9), withC)).Message);
    }

    [Fact]
    public void BadConstructionAndInputsAreRefused()
    {
        Assert.Contains("unknown cell 'bogus'; the cells are rnn, gru, lstm",
            Assert.Throws<ArgumentException>(() => new RnnLanguageModel(5, "bogus")).Message);
        Assert.Contains("dropout must lie in [0, 1), got 1",
            Assert.Throws<ArgumentException>(() => new RnnLanguageModel(5, dropout: 1)).Message);
        Assert.Contains("got vocab_size=0",
            Assert.Throws<ArgumentException>(() => new RnnLanguageModel(0)).Message);
        var model = new RnnLanguageModel(5, hiddenSize: 4, embedSize: 2);
        Assert.Contains("expected token ids of shape [batch, steps] and dtype int64, got float32 of shape [3]",
            Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros([3]), null)).Message);
    }
}
