using Nabla.Ops;

namespace Nabla.NN;

/// <summary>An Elman RNN cell (PyTorch's nn.RNNCell): h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act = tanh or relu.</summary>
public sealed class RNNCell : RecurrentCell
{
    public string Nonlinearity { get; }

    public RNNCell(int inputSize, int hiddenSize, bool bias = true, string nonlinearity = "tanh", DType dtype = DType.Float32, Generator? generator = null)
        : base(RecurrentModes.ForNonlinearity(nonlinearity, "RNNCell"), inputSize, hiddenSize, bias, dtype, generator) =>
        Nonlinearity = nonlinearity;

    /// <summary>One step from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>One step: input [N, input] (or [input]) and h [N, hidden] (or [hidden]; zeros when null) → h'.</summary>
    public Tensor Forward(Tensor input, Tensor? h)
    {
        var (x, unbatched) = CheckInput(input);
        var h0 = StateOrZeros(h, "hx", x.Size(0), unbatched);
        var y = Functional.RnnCell(x, h0, WeightIh, WeightHh, BiasIh, BiasHh, Nonlinearity);
        return unbatched ? y.Squeeze(0) : y;
    }
}
