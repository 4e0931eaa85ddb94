using Nabla.Ops;

namespace Nabla.NN;

/// <summary>
/// A multi-layer long short-term memory network (PyTorch's nn.LSTM), gates i, f, g, o in the rows of the weights:
/// c_t = f_t·c_{t−1} + i_t·g_t, h_t = o_t·tanh(c_t). The state is (H, C).
/// </summary>
public sealed class LSTM : RecurrentLayer
{
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false,
        double dropout = 0, bool bidirectional = false, DType dtype = DType.Float32, Generator? generator = null)
        : base(RecurrentMode.Lstm, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, dtype, generator) { }

    /// <summary>
    /// Sets the forget-gate bias of every layer and direction (Jozefowicz et al., 2015: a positive forget bias,
    /// typically 1, lets gradients flow through c early in training): the f slice (rows hidden..2·hidden) of
    /// <c>bias_ih</c> becomes <paramref name="value"/> and that of <c>bias_hh</c> becomes 0, so the effective
    /// forget bias b_if + b_hf is exactly <paramref name="value"/>. Does nothing for a layer built without bias.
    /// </summary>
    public void InitForgetGateBias(double value = 1.0)
    {
        if (!HasBias) return;
        using var _ = new Nabla.Autograd.NoGrad();
        for (int layer = 0; layer < NumLayers; layer++)
            for (int dir = 0; dir < NumDirections; dir++)
            {
                var (_, _, bIh, bHh) = LayerParameters(layer, dir);
                bIh!.Narrow(0, HiddenSize, HiddenSize).FillInPlace(value);
                bHh!.Narrow(0, HiddenSize, HiddenSize).FillInPlace(0);
            }
    }
}
