using Nabla.Ops;

namespace Nabla.NN;

/// <summary>
/// A multi-layer Elman RNN (PyTorch's nn.RNN): h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh), act = tanh or relu.
/// </summary>
public sealed class RNN : RecurrentLayer
{
    public string Nonlinearity { get; }

    public RNN(int inputSize, int hiddenSize, int numLayers = 1, string nonlinearity = "tanh", bool bias = true,
        bool batchFirst = false, double dropout = 0, bool bidirectional = false, DType dtype = DType.Float32, Generator? generator = null)
        : base(RecurrentModes.ForNonlinearity(nonlinearity, "RNN"), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, dtype, generator) =>
        Nonlinearity = nonlinearity;
}
