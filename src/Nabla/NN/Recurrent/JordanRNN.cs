namespace Nabla.NN;

/// <summary>
/// The Jordan network of the notes: the previous OUTPUT, not the previous hidden state, feeds the recurrence:
/// h_t = f(W·x_t + U·y_{t−1} + b), y_t = g(V·h_t + c), with y_0 = 0 unless given. f is tanh (or relu), g the
/// identity (or tanh / sigmoid). Parameters: <c>weight_ih</c> W [hidden, input], <c>weight_yh</c> U [hidden, output],
/// <c>bias_h</c> b [hidden], <c>weight_ho</c> V [output, hidden], <c>bias_o</c> c [output], each drawn from
/// U(−1/√fan_in, 1/√fan_in) of the product it belongs to (input + output for the hidden side, hidden for the output).
/// Composed from primitives step by step: a teaching model, not a fused kernel.
/// </summary>
public sealed class JordanRNN : Module
{
    public int InputSize { get; }
    public int HiddenSize { get; }
    public int OutputSize { get; }
    public string HiddenActivation { get; }
    public string OutputActivation { get; }

    public JordanRNN(int inputSize, int hiddenSize, int outputSize, string hiddenActivation = "tanh", string outputActivation = "identity",
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (inputSize < 1 || hiddenSize < 1 || outputSize < 1)
            throw new ArgumentException($"JordanRNN: sizes must be positive, got input {inputSize}, hidden {hiddenSize}, output {outputSize}.");
        if (hiddenActivation is not ("tanh" or "relu"))
            throw new ArgumentException($"JordanRNN: unknown hidden activation '{hiddenActivation}'; expected \"tanh\" or \"relu\".");
        if (outputActivation is not ("identity" or "tanh" or "sigmoid"))
            throw new ArgumentException($"JordanRNN: unknown output activation '{outputActivation}'; expected \"identity\", \"tanh\" or \"sigmoid\".");
        if (!dtype.IsFloating())
            throw new ArgumentException($"JordanRNN: parameters must be float32 or float64, got {dtype.TorchName()}.");
        (InputSize, HiddenSize, OutputSize, HiddenActivation, OutputActivation) = (inputSize, hiddenSize, outputSize, hiddenActivation, outputActivation);
        double kh = 1 / Math.Sqrt(inputSize + outputSize), ko = 1 / Math.Sqrt(hiddenSize);
        Init.Uniform(RegisterParameter("weight_ih", Tensor.Zeros([hiddenSize, inputSize], dtype)), -kh, kh, generator);
        Init.Uniform(RegisterParameter("weight_yh", Tensor.Zeros([hiddenSize, outputSize], dtype)), -kh, kh, generator);
        Init.Uniform(RegisterParameter("bias_h", Tensor.Zeros([hiddenSize], dtype)), -kh, kh, generator);
        Init.Uniform(RegisterParameter("weight_ho", Tensor.Zeros([outputSize, hiddenSize], dtype)), -ko, ko, generator);
        Init.Uniform(RegisterParameter("bias_o", Tensor.Zeros([outputSize], dtype)), -ko, ko, generator);
    }

    public Tensor WeightIh => Param("weight_ih")!;
    public Tensor WeightYh => Param("weight_yh")!;
    public Tensor BiasH => Param("bias_h")!;
    public Tensor WeightHo => Param("weight_ho")!;
    public Tensor BiasO => Param("bias_o")!;

    /// <summary>The outputs y_1..y_T, [T, N, output], from y_0 = 0.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>
    /// Runs over input [T, N, input]; <paramref name="y0"/> [N, output] is the output fed back at the first step
    /// (zeros when null). Returns the outputs [T, N, output] and, as the state, the last output y_T.
    /// </summary>
    public RecurrentOutput Forward(Tensor input, Tensor? y0)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Size(2) != InputSize)
            throw new ArgumentException($"JordanRNN: expected input of shape [T, N, {InputSize}], got {input.ShapeText}.");
        if (input.DType != WeightIh.DType)
            throw new ArgumentException($"JordanRNN: input is {input.DType.TorchName()} but the parameters are {WeightIh.DType.TorchName()}.");
        int steps = input.Size(0), batch = input.Size(1);
        if (y0 is not null && !y0.Shape.AsSpan().SequenceEqual([batch, OutputSize]))
            throw new ArgumentException($"JordanRNN: expected y0 of shape [{batch}, {OutputSize}], got {y0.ShapeText}.");
        var y = y0 ?? Tensor.Zeros([batch, OutputSize], input.DType);
        // W·x_t + b for every step at once; only the feedback term is per step.
        var xw = Functional.Linear(input, WeightIh, BiasH, "JordanRNN");
        var outputs = new Tensor[steps];
        for (int t = 0; t < steps; t++)
        {
            var pre = xw.Select(0, t) + Functional.Linear(y, WeightYh, null, "JordanRNN");
            var h = HiddenActivation == "relu" ? pre.Relu() : pre.Tanh();
            var o = Functional.Linear(h, WeightHo, BiasO, "JordanRNN");
            y = OutputActivation switch { "tanh" => o.Tanh(), "sigmoid" => o.Sigmoid(), _ => o };
            outputs[t] = y;
        }
        return new RecurrentOutput(Tensor.Stack(outputs, 0), new RecurrentState(y));
    }

    public override string ExtraRepr() => $"{InputSize}, {HiddenSize}, {OutputSize}, hidden_activation={HiddenActivation}, output_activation={OutputActivation}";
}
