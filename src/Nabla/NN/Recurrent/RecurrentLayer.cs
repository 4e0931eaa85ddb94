using Nabla.Ops;

namespace Nabla.NN;

/// <summary>
/// Base of <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> (PyTorch's RNNBase): a stack of
/// <see cref="NumLayers"/> recurrent layers, each optionally bidirectional, with dropout between layers in training.
/// </summary>
/// <remarks>
/// <para>Parameters, in PyTorch's names, layouts and order: for each layer k and direction (suffix "" or
/// "_reverse"): <c>weight_ih_l{k}</c> [gates·hidden, in], <c>weight_hh_l{k}</c> [gates·hidden, hidden],
/// <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> [gates·hidden]; in = input_size for layer 0, directions·hidden above.
/// All are drawn from U(−1/√hidden, 1/√hidden) in that order, as PyTorch does.</para>
/// <para>Each layer-direction runs as one fused autograd node over the whole sequence (see docs/recurrent.md).</para>
/// </remarks>
public abstract partial class RecurrentLayer : Module
{
    readonly Generator? _generator;

    public int InputSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public bool HasBias { get; }
    public bool BatchFirst { get; }
    public double Dropout { get; }
    public bool Bidirectional { get; }
    public int NumDirections => Bidirectional ? 2 : 1;
    internal RecurrentMode Mode { get; }

    private protected RecurrentLayer(RecurrentMode mode, int inputSize, int hiddenSize, int numLayers, bool bias,
        bool batchFirst, double dropout, bool bidirectional, DType dtype, Generator? generator)
    {
        if (inputSize < 1 || hiddenSize < 1)
            throw new ArgumentException($"{TypeName}: input_size and hidden_size must be positive, got {inputSize} and {hiddenSize}.");
        if (numLayers < 1)
            throw new ArgumentException($"{TypeName}: num_layers must be at least 1, got {numLayers}.");
        if (!(dropout >= 0 && dropout <= 1))
            throw new ArgumentException($"{TypeName}: dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got {dropout.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        if (!dtype.IsFloating())
            throw new ArgumentException($"{TypeName}: parameters must be float32 or float64, got {dtype.TorchName()}.");
        Mode = mode;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        HasBias = bias;
        BatchFirst = batchFirst;
        Dropout = dropout;
        Bidirectional = bidirectional;
        _generator = generator;

        int rows = mode.Gates() * hiddenSize;
        for (int layer = 0; layer < numLayers; layer++)
        {
            int inF = layer == 0 ? inputSize : hiddenSize * NumDirections;
            for (int dir = 0; dir < NumDirections; dir++)
            {
                string suffix = Suffix(layer, dir);
                RegisterParameter("weight_ih" + suffix, Tensor.Zeros([rows, inF], dtype));
                RegisterParameter("weight_hh" + suffix, Tensor.Zeros([rows, hiddenSize], dtype));
                if (bias)
                {
                    RegisterParameter("bias_ih" + suffix, Tensor.Zeros([rows], dtype));
                    RegisterParameter("bias_hh" + suffix, Tensor.Zeros([rows], dtype));
                }
            }
        }
        ResetParameters(generator);
    }

    static string Suffix(int layer, int dir) => $"_l{layer}" + (dir == 1 ? "_reverse" : "");

    /// <summary>The four parameters of one layer and direction (biases null without bias), read through the registry.</summary>
    public (Tensor WeightIh, Tensor WeightHh, Tensor? BiasIh, Tensor? BiasHh) LayerParameters(int layer, int direction = 0)
    {
        if (layer < 0 || layer >= NumLayers || direction < 0 || direction >= NumDirections)
            throw new ArgumentOutOfRangeException(nameof(layer), $"{TypeName}: no layer {layer} direction {direction} (num_layers={NumLayers}, directions={NumDirections}).");
        string s = Suffix(layer, direction);
        return (Param("weight_ih" + s)!, Param("weight_hh" + s)!, HasBias ? Param("bias_ih" + s) : null, HasBias ? Param("bias_hh" + s) : null);
    }

    /// <summary>Re-draws every parameter from U(−1/√hidden, 1/√hidden), in registration order (PyTorch's reset_parameters).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double k = 1 / Math.Sqrt(HiddenSize);
        foreach (var p in Parameters(recurse: false)) Init.Uniform(p, -k, k, generator);
    }

    /// <summary>A zero state for a batch of <paramref name="batchSize"/> (H, plus C for an LSTM), in the parameters' dtype.</summary>
    public RecurrentState InitialState(int batchSize)
    {
        if (batchSize < 1) throw new ArgumentException($"{TypeName}: batch size must be positive, got {batchSize}.");
        var dtype = LayerParameters(0).WeightIh.DType;
        int[] shape = [NumLayers * NumDirections, batchSize, HiddenSize];
        return new RecurrentState(Tensor.Zeros(shape, dtype), Mode == RecurrentMode.Lstm ? Tensor.Zeros(shape, dtype) : null);
    }

    /// <summary>The output sequence alone, from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null, (int[]?)null).Output;

    public override string ExtraRepr()
    {
        var text = $"{InputSize}, {HiddenSize}";
        if (NumLayers != 1) text += $", num_layers={NumLayers}";
        if (!HasBias) text += ", bias=False";
        if (BatchFirst) text += ", batch_first=True";
        if (Dropout != 0) text += $", dropout={PyNumberText.Float(Dropout)}";
        if (Bidirectional) text += ", bidirectional=True";
        return text;
    }
}
