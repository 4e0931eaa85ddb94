using Nabla.Ops;

namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>
    /// One step of an Elman RNN: h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act = tanh or relu.
    /// x [N, in] or [in], h [N, hidden] or [hidden]. Composed from primitives (the cells' and the fused layers' twin).
    /// </summary>
    public static Tensor RnnCell(Tensor input, Tensor h, Tensor weightIh, Tensor weightHh, Tensor? biasIh = null, Tensor? biasHh = null, string nonlinearity = "tanh")
    {
        var pre = Linear(input, weightIh, biasIh, "rnn_cell") + Linear(h, weightHh, biasHh, "rnn_cell");
        return RecurrentModes.ForNonlinearity(nonlinearity, "rnn_cell") == RecurrentMode.RnnRelu ? pre.Relu() : pre.Tanh();
    }

    /// <summary>
    /// One LSTM step with PyTorch's gate order i, f, g, o in the rows of the weights:
    /// i, f, o = σ(·), g = tanh(·), c' = f·c + i·g, h' = o·tanh(c'). Returns (h', c').
    /// </summary>
    public static (Tensor H, Tensor C) LstmCell(Tensor input, Tensor h, Tensor c, Tensor weightIh, Tensor weightHh, Tensor? biasIh = null, Tensor? biasHh = null)
    {
        var gates = Linear(input, weightIh, biasIh, "lstm_cell") + Linear(h, weightHh, biasHh, "lstm_cell");
        var parts = gates.Chunk(4, -1);
        var i = parts[0].Sigmoid();
        var f = parts[1].Sigmoid();
        var g = parts[2].Tanh();
        var o = parts[3].Sigmoid();
        var cNext = f * c + i * g;
        return (o * cNext.Tanh(), cNext);
    }

    /// <summary>
    /// One GRU step with PyTorch's gate order r, z, n: r, z = σ(W_i·x + b_i + W_h·h + b_h),
    /// n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h. The reset gate multiplies the hidden
    /// projection including its bias, which is why b_hn cannot be folded into b_in.
    /// </summary>
    public static Tensor GruCell(Tensor input, Tensor h, Tensor weightIh, Tensor weightHh, Tensor? biasIh = null, Tensor? biasHh = null)
    {
        var gi = Linear(input, weightIh, biasIh, "gru_cell").Chunk(3, -1);
        var gh = Linear(h, weightHh, biasHh, "gru_cell").Chunk(3, -1);
        var r = (gi[0] + gh[0]).Sigmoid();
        var z = (gi[1] + gh[1]).Sigmoid();
        var n = (gi[2] + r * gh[2]).Tanh();
        return (1.0 - z) * n + z * h;
    }
}
