using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN.Recurrent;

/// <summary>Structure and behaviour of the recurrent layers: names, shapes, init, repr, dropout, states.</summary>
public class RecurrentLayerTests
{
    [Fact]
    public void ParameterNamesShapesAndOrderFollowPyTorch()
    {
        var lstm = new LSTM(10, 20, 2, bidirectional: true, generator: new Generator(1));
        var named = lstm.NamedParameters().Select(p => $"{p.Name}:{string.Join("x", p.Tensor.Shape)}").ToArray();
        Assert.Equal(new[]
        {
            "weight_ih_l0:80x10", "weight_hh_l0:80x20", "bias_ih_l0:80", "bias_hh_l0:80",
            "weight_ih_l0_reverse:80x10", "weight_hh_l0_reverse:80x20", "bias_ih_l0_reverse:80", "bias_hh_l0_reverse:80",
            "weight_ih_l1:80x40", "weight_hh_l1:80x20", "bias_ih_l1:80", "bias_hh_l1:80",
            "weight_ih_l1_reverse:80x40", "weight_hh_l1_reverse:80x20", "bias_ih_l1_reverse:80", "bias_hh_l1_reverse:80",
        }, named);
        Assert.Equal(new[] { "weight_ih_l0", "weight_hh_l0" }, new GRU(3, 4, bias: false).NamedParameters().Select(p => p.Name));
        Assert.Equal(new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" }, new GRUCell(3, 4).NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void ReprMatchesPyTorch()
    {
        Assert.Equal("LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True)", new LSTM(10, 20, 2, batchFirst: true, bidirectional: true).ToString());
        Assert.Equal("LSTM(10, 20)", new LSTM(10, 20).ToString());
        Assert.Equal("RNN(10, 20, bias=False, dropout=0.5)", new RNN(10, 20, nonlinearity: "relu", bias: false, dropout: 0.5).ToString());
        Assert.Equal("GRU(10, 20, num_layers=2, dropout=0.25)", new GRU(10, 20, 2, dropout: 0.25).ToString());
        Assert.Equal("LSTMCell(3, 4)", new LSTMCell(3, 4).ToString());
        Assert.Equal("RNNCell(3, 4, bias=False, nonlinearity=relu)", new RNNCell(3, 4, bias: false, nonlinearity: "relu").ToString());
        Assert.Equal("GRUCell(3, 4)", new GRUCell(3, 4).ToString());
    }

    [Fact]
    public void DefaultInitIsUniformWithinOneOverSqrtHidden()
    {
        var gru = new GRU(50, 100, generator: new Generator(2));
        double k = 1 / Math.Sqrt(100);
        foreach (var p in gru.Parameters())
        {
            var v = TensorAssert.Flat(p);
            Assert.True(v.All(e => e >= -k && e <= k));
            Assert.True(v.Max() > 0.9 * k && v.Min() < -0.9 * k, "the whole range is used");
        }
        // Same generator seed, same parameters.
        Assert.Equal(TensorAssert.Flat(new GRU(50, 100, generator: new Generator(2)).LayerParameters(0).WeightHh), TensorAssert.Flat(gru.LayerParameters(0).WeightHh));
    }

    [Fact]
    public void InitForgetGateBias()
    {
        var lstm = new LSTM(3, 4, 2, bidirectional: true, generator: new Generator(3));
        var before = TensorAssert.Flat(lstm.LayerParameters(1, 1).BiasIh!);
        lstm.InitForgetGateBias(1.0);
        for (int layer = 0; layer < 2; layer++)
            for (int dir = 0; dir < 2; dir++)
            {
                var (_, _, bIh, bHh) = lstm.LayerParameters(layer, dir);
                var ih = TensorAssert.Flat(bIh!);
                var hh = TensorAssert.Flat(bHh!);
                Assert.All(ih.Skip(4).Take(4), v => Assert.Equal(1.0, v));
                Assert.All(hh.Skip(4).Take(4), v => Assert.Equal(0.0, v));
                Assert.True(bIh!.RequiresGrad && bIh.IsLeaf);
            }
        // The other gates are untouched.
        Assert.Equal(before.Take(4), TensorAssert.Flat(lstm.LayerParameters(1, 1).BiasIh!).Take(4));
        Assert.Equal(before.Skip(8), TensorAssert.Flat(lstm.LayerParameters(1, 1).BiasIh!).Skip(8));
    }

    [Fact]
    public void ShapesBatchFirstUnbatchedAndSingleInputForward()
    {
        var lstm = new LSTM(3, 4, 2, batchFirst: true, bidirectional: true, generator: new Generator(4));
        var r = lstm.Forward(Tensor.Randn([2, 5, 3], generator: new Generator(5)));
        Assert.Equal(new[] { 2, 5, 8 }, r.Output.Shape);
        Assert.Equal(new[] { 4, 2, 4 }, r.State.H.Shape);
        Assert.Equal(new[] { 4, 2, 4 }, r.State.C!.Shape);
        var u = lstm.Forward(Tensor.Randn([5, 3], generator: new Generator(6)));
        Assert.Equal(new[] { 5, 8 }, u.Output.Shape);
        Assert.Equal(new[] { 4, 4 }, u.State.H.Shape);
        Module asModule = lstm;
        Assert.Equal(new[] { 2, 5, 8 }, asModule.Forward(Tensor.Randn([2, 5, 3], generator: new Generator(7))).Shape);
        var gru = new GRU(3, 4);
        Assert.Null(gru.InitialState(3).C);
        Assert.Equal(new[] { 1, 3, 4 }, gru.InitialState(3).H.Shape);
    }

    [Fact]
    public void LastOutputOfForwardDirectionIsFinalState()
    {
        var rnn = new RNN(3, 4, bidirectional: true, generator: new Generator(8));
        var r = rnn.Forward(Tensor.Randn([5, 2, 3], generator: new Generator(9)));
        TensorAssert.Equal(r.State.H.Select(0, 0), r.Output.Select(0, 4).Narrow(1, 0, 4), "forward final = last output");
        TensorAssert.Equal(r.State.H.Select(0, 1), r.Output.Select(0, 0).Narrow(1, 4, 4), "reverse final = first output");
    }

    [Fact]
    public void DropoutBetweenLayersOnlyInTraining()
    {
        var gen = new Generator(10);
        var gru = new GRU(3, 4, 2, dropout: 0.5, generator: gen);
        var x = Tensor.Randn([5, 2, 3], generator: new Generator(11));
        var a = TensorAssert.Flat(gru.Forward(x).Output);
        var b = TensorAssert.Flat(gru.Forward(x).Output);
        Assert.NotEqual(a, b);  // fresh masks per call while training
        gru.Eval();
        var plain = new GRU(3, 4, 2, generator: new Generator(12));
        plain.LoadStateDict(gru.StateDict());
        Assert.Equal(TensorAssert.Flat(plain.Forward(x).Output), TensorAssert.Flat(gru.Forward(x).Output));
    }

    [Fact]
    public void DetachCutsTheGraph()
    {
        var lstm = new LSTM(3, 4, generator: new Generator(13));
        var s = lstm.Forward(Tensor.Randn([5, 2, 3], generator: new Generator(14))).State;
        Assert.True(s.H.RequiresGrad);
        var d = s.Detach();
        Assert.False(d.H.RequiresGrad);
        Assert.False(d.C!.RequiresGrad);
        TensorAssert.Equal(s.H, d.H);
    }

    [Fact]
    public void TruncatedBackpropagationCarriesState()
    {
        // Two halves with a carried (detached) state give the same forward values as one pass over the whole sequence.
        var lstm = new LSTM(3, 4, generator: new Generator(15));
        var x = Tensor.Randn([6, 2, 3], generator: new Generator(16));
        var whole = lstm.Forward(x);
        var first = lstm.Forward(x.Narrow(0, 0, 3));
        var second = lstm.Forward(x.Narrow(0, 3, 3), first.State.Detach());
        TensorAssert.Close(whole.Output.Narrow(0, 3, 3), second.Output, 1e-6, 1e-6, "second half");
        TensorAssert.Close(whole.State.C!, second.State.C!, 1e-6, 1e-6, "final c");
    }
}
