using Nabla.Ops;

namespace Nabla.NN;

/// <summary>
/// What RNNCell, LSTMCell and GRUCell share (PyTorch's RNNCellBase): the parameters <c>weight_ih</c>
/// [gates·hidden, input], <c>weight_hh</c> [gates·hidden, hidden], <c>bias_ih</c> and <c>bias_hh</c>
/// [gates·hidden], all drawn from U(−1/√hidden, 1/√hidden) as PyTorch does, and the input checks.
/// Input is [N, input] or unbatched [input]; the state has the matching [N, hidden] or [hidden] shape.
/// </summary>
public abstract class RecurrentCell : Module
{
    public int InputSize { get; }
    public int HiddenSize { get; }
    public bool HasBias { get; }
    internal RecurrentMode Mode { get; }

    private protected RecurrentCell(RecurrentMode mode, int inputSize, int hiddenSize, bool bias, DType dtype, Generator? generator)
    {
        if (inputSize < 1 || hiddenSize < 1)
            throw new ArgumentException($"{TypeName}: input_size and hidden_size must be positive, got {inputSize} and {hiddenSize}.");
        if (!dtype.IsFloating())
            throw new ArgumentException($"{TypeName}: parameters must be float32 or float64, got {dtype.TorchName()}.");
        Mode = mode;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        HasBias = bias;
        int rows = mode.Gates() * hiddenSize;
        RegisterParameter("weight_ih", Tensor.Zeros([rows, inputSize], dtype));
        RegisterParameter("weight_hh", Tensor.Zeros([rows, hiddenSize], dtype));
        RegisterParameter("bias_ih", bias ? Tensor.Zeros([rows], dtype) : null);
        RegisterParameter("bias_hh", bias ? Tensor.Zeros([rows], dtype) : null);
        ResetParameters(generator);
    }

    public Tensor WeightIh => Param("weight_ih")!;
    public Tensor WeightHh => Param("weight_hh")!;
    public Tensor? BiasIh => Param("bias_ih");
    public Tensor? BiasHh => Param("bias_hh");

    /// <summary>Re-draws every parameter from U(−1/√hidden, 1/√hidden), in registration order (PyTorch's reset_parameters).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double k = 1 / Math.Sqrt(HiddenSize);
        foreach (var p in Parameters(recurse: false)) Init.Uniform(p, -k, k, generator);
    }

    /// <summary>Checks the input and returns it batched ([N, input]) with whether it was unbatched.</summary>
    private protected (Tensor Input, bool Unbatched) CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (1 or 2))
            throw new ArgumentException($"{TypeName}: expected input of shape [N, {InputSize}] or [{InputSize}], got shape {input.ShapeText}.");
        if (input.Size(-1) != InputSize)
            throw new ArgumentException($"{TypeName}: expected input with {InputSize} features (input_size), got shape {input.ShapeText}.");
        if (input.DType != WeightIh.DType)
            throw new ArgumentException($"{TypeName}: input is {input.DType.TorchName()} but the parameters are {WeightIh.DType.TorchName()}.");
        return input.Rank == 1 ? (input.Unsqueeze(0), true) : (input, false);
    }

    /// <summary>The given state batched to [N, hidden], or zeros when absent; its shape must match the input's batching.</summary>
    private protected Tensor StateOrZeros(Tensor? state, string name, int batch, bool unbatched)
    {
        if (state is null) return Tensor.Zeros([batch, HiddenSize], WeightIh.DType);
        int[] expected = unbatched ? [HiddenSize] : [batch, HiddenSize];
        if (!state.Shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{TypeName}: expected {name} of shape {Format(expected)}, got {state.ShapeText}.");
        if (state.DType != WeightIh.DType)
            throw new ArgumentException($"{TypeName}: {name} is {state.DType.TorchName()} but the parameters are {WeightIh.DType.TorchName()}.");
        return unbatched ? state.Unsqueeze(0) : state;
    }

    internal static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";

    public override string ExtraRepr()
    {
        var text = $"{InputSize}, {HiddenSize}";
        if (!HasBias) text += ", bias=False";
        if (Mode == RecurrentMode.RnnRelu) text += ", nonlinearity=relu";
        return text;
    }
}
