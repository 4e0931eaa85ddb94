using Nabla.Ops;

namespace Nabla.NN;

/// <summary>
/// A gated recurrent unit cell (PyTorch's nn.GRUCell), gates r, z, n in that order:
/// n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h.
/// </summary>
public sealed class GRUCell : RecurrentCell
{
    public GRUCell(int inputSize, int hiddenSize, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
        : base(RecurrentMode.Gru, inputSize, hiddenSize, bias, dtype, generator) { }

    /// <summary>One step from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>One step: input [N, input] (or [input]) and h [N, hidden] (or [hidden]; zeros when null) → h'.</summary>
    public Tensor Forward(Tensor input, Tensor? h)
    {
        var (x, unbatched) = CheckInput(input);
        var h0 = StateOrZeros(h, "hx", x.Size(0), unbatched);
        var y = Functional.GruCell(x, h0, WeightIh, WeightHh, BiasIh, BiasHh);
        return unbatched ? y.Squeeze(0) : y;
    }
}
