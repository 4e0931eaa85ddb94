using Nabla.Ops;

namespace Nabla.NN;

/// <summary>
/// A multi-layer gated recurrent unit (PyTorch's nn.GRU), gates r, z, n in the rows of the weights:
/// n_t = tanh(W_in·x_t + b_in + r_t·(W_hn·h_{t−1} + b_hn)), h_t = (1 − z_t)·n_t + z_t·h_{t−1}.
/// </summary>
public sealed class GRU : RecurrentLayer
{
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false,
        double dropout = 0, bool bidirectional = false, DType dtype = DType.Float32, Generator? generator = null)
        : base(RecurrentMode.Gru, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, dtype, generator) { }
}
