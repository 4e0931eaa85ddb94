using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN.Recurrent;

/// <summary>
/// RNN, LSTM, GRU and their cells against PyTorch (fixture: tools/golden/recurrent.py). Each case's output is
/// cat(output, h_n, c_n) flattened; the gradients of the input, the initial state and every parameter are compared.
/// Data inputs come first (x, h0, c0, lengths — as the flags say), then the parameters in registration order.
/// </summary>
public class RecurrentGoldenTests
{
    const string Fixture = "recurrent";
    const int T = 5, N = 3, I = 4, H = 6;

    sealed record LayerCase(Func<RecurrentLayer> Make, bool H0 = false, bool C0 = false, bool Lengths = false);

    static readonly Dictionary<string, LayerCase> Layers = new()
    {
        ["rnn_tanh"] = new(() => new RNN(I, H)),
        ["rnn_relu_2layer_state"] = new(() => new RNN(I, H, 2, nonlinearity: "relu"), H0: true),
        ["rnn_bidir_batch_first"] = new(() => new RNN(I, H, bidirectional: true, batchFirst: true)),
        ["rnn_lengths_bidir"] = new(() => new RNN(I, H, 2, bidirectional: true), H0: true, Lengths: true),
        ["rnn_no_bias_unbatched"] = new(() => new RNN(I, H, bias: false), H0: true),
        ["lstm"] = new(() => new LSTM(I, H)),
        ["lstm_2layer_bidir_state"] = new(() => new LSTM(I, H, 2, bidirectional: true), H0: true, C0: true),
        ["lstm_batch_first_state"] = new(() => new LSTM(I, H, batchFirst: true), H0: true, C0: true),
        ["lstm_no_bias"] = new(() => new LSTM(I, H, bias: false)),
        ["lstm_lengths"] = new(() => new LSTM(I, H), Lengths: true),
        ["lstm_lengths_bidir_state"] = new(() => new LSTM(I, H, 2, bidirectional: true), H0: true, C0: true, Lengths: true),
        ["lstm_lengths_batch_first_bidir"] = new(() => new LSTM(I, H, bidirectional: true, batchFirst: true), Lengths: true),
        ["lstm_unbatched_state"] = new(() => new LSTM(I, H, 2), H0: true, C0: true),
        ["lstm_odd_sizes"] = new(() => new LSTM(7, 19)),
        ["lstm_wide"] = new(() => new LSTM(5, 40, bidirectional: true), Lengths: true),
        ["lstm_float64"] = new(() => new LSTM(I, H, dtype: DType.Float64)),
        ["gru"] = new(() => new GRU(I, H)),
        ["gru_2layer_bidir_state"] = new(() => new GRU(I, H, 2, bidirectional: true), H0: true),
        ["gru_batch_first"] = new(() => new GRU(I, H, batchFirst: true)),
        ["gru_no_bias"] = new(() => new GRU(I, H, bias: false), H0: true),
        ["gru_lengths_bidir"] = new(() => new GRU(I, H, bidirectional: true), H0: true, Lengths: true),
        ["gru_unbatched"] = new(() => new GRU(I, H)),
        ["gru_odd_sizes"] = new(() => new GRU(7, 19, 2)),
    };

    static readonly Dictionary<string, (Func<Module> Make, Func<Module, Tensor[], Tensor> Forward)> Cells = new()
    {
        ["rnn_cell"] = (() => new RNNCell(I, H), (m, x) => ((RNNCell)m).Forward(x[0], x[1])),
        ["rnn_cell_relu_no_bias"] = (() => new RNNCell(I, H, bias: false, nonlinearity: "relu"), (m, x) => ((RNNCell)m).Forward(x[0], x[1])),
        ["rnn_cell_unbatched_zero_state"] = (() => new RNNCell(I, H), (m, x) => m.Forward(x[0])),
        ["lstm_cell"] = (() => new LSTMCell(I, H), (m, x) => Flat(((LSTMCell)m).Forward(x[0], (x[1], x[2])))),
        ["lstm_cell_unbatched"] = (() => new LSTMCell(I, H), (m, x) => Flat(((LSTMCell)m).Forward(x[0], (x[1], x[2])))),
        ["lstm_cell_zero_state"] = (() => new LSTMCell(I, H), (m, x) => Flat(((LSTMCell)m).Forward(x[0], null))),
        ["gru_cell"] = (() => new GRUCell(I, H), (m, x) => ((GRUCell)m).Forward(x[0], x[1])),
        ["gru_cell_no_bias_unbatched"] = (() => new GRUCell(I, H, bias: false), (m, x) => ((GRUCell)m).Forward(x[0], x[1])),
    };

    static Tensor Flat((Tensor H, Tensor C) s) => Tensor.Cat([s.H.Reshape(-1), s.C.Reshape(-1)]);

    /// <summary>cat(output, h_n[, c_n]) flattened, as the fixture records it.</summary>
    internal static Tensor Flat(RecurrentOutput r)
    {
        var parts = new List<Tensor> { r.Output.Reshape(-1), r.State.H.Reshape(-1) };
        if (r.State.C is { } c) parts.Add(c.Reshape(-1));
        return Tensor.Cat(parts);
    }

    public static IEnumerable<object[]> LayerNames() => Layers.Keys.Select(k => new object[] { k });

    public static IEnumerable<object[]> CellNames() => Cells.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Layer(string name)
    {
        var spec = Layers[name];
        var layer = spec.Make();
        var names = layer.NamedParameters().Select(p => p.Name).ToArray();
        DenseLayerGoldenRunner.Check(GoldenFixture.Get(Fixture, name), layer, names, x =>
        {
            int k = 1;
            RecurrentState? state = null;
            if (spec.H0) state = new RecurrentState(x[k++], spec.C0 ? x[k++] : null);
            Tensor? lengths = spec.Lengths ? x[k++] : null;
            return Flat(layer.Forward(x[0], state, lengths));
        });
    }

    [Theory]
    [MemberData(nameof(CellNames))]
    public void Cell(string name)
    {
        var (make, forward) = Cells[name];
        var cell = make();
        var names = cell.NamedParameters().Select(p => p.Name).ToArray();
        DenseLayerGoldenRunner.Check(GoldenFixture.Get(Fixture, name), cell, names, x => forward(cell, x).Reshape(-1));
    }

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Layers.Keys.Concat(Cells.Keys));
}
