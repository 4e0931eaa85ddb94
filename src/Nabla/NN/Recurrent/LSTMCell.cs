using Nabla.Ops;

namespace Nabla.NN;

/// <summary>
/// A long short-term memory cell (PyTorch's nn.LSTMCell), gates i, f, g, o stacked in that order in the rows of
/// the weights: c' = f·c + i·g, h' = o·tanh(c').
/// </summary>
public sealed class LSTMCell : RecurrentCell
{
    public LSTMCell(int inputSize, int hiddenSize, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
        : base(RecurrentMode.Lstm, inputSize, hiddenSize, bias, dtype, generator) { }

    /// <summary>One step from a zero state; returns h'.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).H;

    /// <summary>One step: input [N, input] (or [input]) and (h, c) [N, hidden] each (zeros when null) → (h', c').</summary>
    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var (x, unbatched) = CheckInput(input);
        var h0 = StateOrZeros(state?.H, "hx", x.Size(0), unbatched);
        var c0 = StateOrZeros(state?.C, "cx", x.Size(0), unbatched);
        var (h, c) = Functional.LstmCell(x, h0, c0, WeightIh, WeightHh, BiasIh, BiasHh);
        return unbatched ? (h.Squeeze(0), c.Squeeze(0)) : (h, c);
    }
}
