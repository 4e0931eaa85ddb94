using Nabla.NN;

namespace Nabla.Tests.NN.Recurrent;

/// <summary>Wrong shapes, ranks, states, lengths and dtypes: each answers with a message naming the layer and the shapes.</summary>
public class RecurrentBadInputTests
{
    static string Throws(Action a) => Assert.Throws<ArgumentException>(a).Message;

    static readonly Generator Gen = new(7);

    [Fact]
    public void WrongFeatureSize()
    {
        var lstm = new LSTM(10, 20, generator: Gen);
        Assert.Equal("LSTM: expected input with 10 features (input_size), got shape [5, 3, 7].", Throws(() => lstm.Forward(Tensor.Zeros(5, 3, 7))));
    }

    [Fact]
    public void WrongRank()
    {
        var gru = new GRU(4, 6, batchFirst: true, generator: Gen);
        Assert.Equal("GRU: expected input of rank 3 ([N, T, 4]) or 2 (unbatched [T, 4]), got shape [2, 3, 5, 4].", Throws(() => gru.Forward(Tensor.Zeros(2, 3, 5, 4))));
        Assert.Contains("got shape [4]", Throws(() => gru.Forward(Tensor.Zeros(4))));
    }

    [Fact]
    public void EmptySequence()
    {
        var rnn = new RNN(4, 6, generator: Gen);
        Assert.Equal("RNN: expected a non-empty sequence batch, got shape [0, 2, 4].", Throws(() => rnn.Forward(Tensor.Zeros(0, 2, 4))));
    }

    [Fact]
    public void StateOfTheWrongShape()
    {
        var lstm = new LSTM(10, 20, 2, generator: Gen);
        var x = Tensor.Zeros(5, 3, 10);
        Assert.Equal("LSTM: expected h0 of shape [2, 3, 20], got [1, 3, 20].",
            Throws(() => lstm.Forward(x, new RecurrentState(Tensor.Zeros(1, 3, 20), Tensor.Zeros(2, 3, 20)))));
        Assert.Equal("LSTM: expected c0 of shape [2, 3, 20], got [2, 4, 20].",
            Throws(() => lstm.Forward(x, new RecurrentState(Tensor.Zeros(2, 3, 20), Tensor.Zeros(2, 4, 20)))));
        // Unbatched input needs an unbatched state.
        Assert.Equal("LSTM: expected h0 of shape [2, 20], got [2, 1, 20].",
            Throws(() => lstm.Forward(Tensor.Zeros(5, 10), new RecurrentState(Tensor.Zeros(2, 1, 20), Tensor.Zeros(2, 1, 20)))));
    }

    [Fact]
    public void BidirectionalStateNeedsTwoRowsPerLayer()
    {
        var gru = new GRU(3, 4, bidirectional: true, generator: Gen);
        Assert.Equal("GRU: expected h0 of shape [2, 2, 4], got [1, 2, 4].",
            Throws(() => gru.Forward(Tensor.Zeros(5, 2, 3), new RecurrentState(Tensor.Zeros(1, 2, 4)))));
    }

    [Fact]
    public void CellStateOnlyForLstm()
    {
        var gru = new GRU(3, 4, generator: Gen);
        Assert.Equal("GRU: the state has a cell state C of shape [1, 2, 4], but only an LSTM has one; pass new RecurrentState(H).",
            Throws(() => gru.Forward(Tensor.Zeros(5, 2, 3), new RecurrentState(Tensor.Zeros(1, 2, 4), Tensor.Zeros(1, 2, 4)))));
        var lstm = new LSTM(3, 4, generator: Gen);
        Assert.Equal("LSTM: the state has H but no cell state C; an LSTM state needs both (h0, c0).",
            Throws(() => lstm.Forward(Tensor.Zeros(5, 2, 3), new RecurrentState(Tensor.Zeros(1, 2, 4)))));
    }

    [Fact]
    public void LengthsOfTheWrongCountOrRange()
    {
        var lstm = new LSTM(3, 4, generator: Gen);
        var x = Tensor.Zeros(5, 2, 3);
        Assert.Equal("LSTM: expected 2 lengths (one per sequence in the batch), got 3.", Throws(() => lstm.Forward(x, null, new[] { 1, 2, 3 })));
        Assert.Equal("LSTM: lengths[1] = 0 is out of range; every length must be in 1..5 (the sequence has 5 steps).", Throws(() => lstm.Forward(x, null, new[] { 1, 0 })));
        Assert.Equal("LSTM: lengths[0] = 6 is out of range; every length must be in 1..5 (the sequence has 5 steps).",
            Throws(() => lstm.Forward(x, null, Tensor.From(new long[] { 6, 2 }, 2))));
        Assert.Equal("LSTM: lengths must be a 1-D int64 tensor, got float32 of shape [2].", Throws(() => lstm.Forward(x, null, Tensor.Ones(2))));
        Assert.Equal("LSTM: lengths need batched input [T, N, 3], got an unbatched sequence of 5 steps.",
            Throws(() => lstm.Forward(Tensor.Zeros(5, 3), null, new[] { 5 })));
    }

    [Fact]
    public void DtypeMismatch()
    {
        var rnn = new RNN(3, 4, generator: Gen);
        Assert.Equal("RNN: input is float64 of shape [5, 2, 3] but the parameters are float32.", Throws(() => rnn.Forward(Tensor.Zeros([5, 2, 3], DType.Float64))));
        Assert.Equal("RNN: h0 is float64 but the input and parameters are float32.",
            Throws(() => rnn.Forward(Tensor.Zeros(5, 2, 3), new RecurrentState(Tensor.Zeros([1, 2, 4], DType.Float64)))));
    }

    [Fact]
    public void BadConstructorArguments()
    {
        Assert.Equal("RNN: unknown nonlinearity 'sigmoid'; expected \"tanh\" or \"relu\".", Throws(() => new RNN(3, 4, nonlinearity: "sigmoid")));
        Assert.Equal("LSTM: num_layers must be at least 1, got 0.", Throws(() => new LSTM(3, 4, 0)));
        Assert.Contains("GRU: dropout should be a number in range [0, 1]", Throws(() => new GRU(3, 4, dropout: 1.5)));
        Assert.Equal("LSTM: input_size and hidden_size must be positive, got 3 and 0.", Throws(() => new LSTM(3, 0)));
        Assert.Equal("GRU: parameters must be float32 or float64, got int64.", Throws(() => new GRU(3, 4, dtype: DType.Int64)));
    }

    [Fact]
    public void CellBadInput()
    {
        var cell = new LSTMCell(3, 4, generator: Gen);
        Assert.Equal("LSTMCell: expected input with 3 features (input_size), got shape [2, 5].", Throws(() => cell.Forward(Tensor.Zeros(2, 5))));
        Assert.Equal("LSTMCell: expected input of shape [N, 3] or [3], got shape [1, 2, 3].", Throws(() => cell.Forward(Tensor.Zeros(1, 2, 3))));
        Assert.Equal("LSTMCell: expected cx of shape [2, 4], got [2, 5].", Throws(() => cell.Forward(Tensor.Zeros(2, 3), (Tensor.Zeros(2, 4), Tensor.Zeros(2, 5)))));
        var gru = new GRUCell(3, 4, generator: Gen);
        Assert.Equal("GRUCell: expected hx of shape [4], got [1, 4].", Throws(() => gru.Forward(Tensor.Zeros(3), Tensor.Zeros(1, 4))));
        Assert.Equal("GRUCell: input is float64 but the parameters are float32.", Throws(() => gru.Forward(Tensor.Zeros([2, 3], DType.Float64))));
        Assert.Equal("RNNCell: unknown nonlinearity 'gelu'; expected \"tanh\" or \"relu\".", Throws(() => new RNNCell(3, 4, nonlinearity: "gelu")));
    }
}
