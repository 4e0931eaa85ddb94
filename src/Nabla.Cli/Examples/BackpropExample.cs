using Nabla.Autograd;

namespace Nabla.Cli.Examples;

/// <summary>The tensors of one forward pass, kept so each intermediate step can be shown.</summary>
public sealed record ForwardPass(Tensor HiddenNet, Tensor Hidden, Tensor OutputNet, Tensor Output, Tensor LossTerms, Tensor Loss);

/// <summary>A parameter before and after one gradient-descent step, with the gradient autograd gave it.</summary>
public sealed record ParameterStep(string Name, Tensor Before, Tensor Grad, Tensor After);

/// <summary>Everything the explanation shows, as plain numbers (all gradients come from Backward()).</summary>
public sealed record BackpropResult(
    double LearningRate,
    double[] HiddenNet, double[] Hidden, double[] OutputNet, double[] Output,
    double[] LossTerms, double Loss,
    IReadOnlyList<ParameterStep> Parameters,
    double LossAfterStep,
    GradCheckResult GradCheck)
{
    public ParameterStep this[string name] => Parameters.Single(p => p.Name == name);
}

/// <summary>
/// The notes' worked example: inputs x = (1, 4, 5) feed two sigmoid hidden units, which feed two sigmoid
/// outputs; the loss is ½Σ(ŷ − y)² against y = (0.1, 0.05). Weights w1..w10 are laid out as PyTorch's
/// Linear stores them (weight[out, in]), so w1, w3, w5 feed h1 and w2, w4, w6 feed h2:
/// hidden.weight = [[w1, w3, w5], [w2, w4, w6]], output.weight = [[w7, w9], [w8, w10]].
/// Gradients are computed by Nabla's autograd only; the CLI derives chain-rule factors separately for display.
/// </summary>
public static class BackpropExample
{
    public const double DefaultLearningRate = 0.5;

    public static readonly double[] Inputs = [1, 4, 5];
    public static readonly double[] Targets = [0.1, 0.05];

    public static readonly (string Name, int[] Shape, double[] Values)[] InitialParameters =
    [
        ("hidden.weight", [2, 3], [0.1, 0.3, 0.5, 0.2, 0.4, 0.6]),
        ("hidden.bias", [2], [0.5, 0.5]),
        ("output.weight", [2, 2], [0.7, 0.9, 0.8, 0.1]),
        ("output.bias", [2], [0.5, 0.5]),
    ];

    /// <summary>
    /// A fully connected layer for one sample: z[j] = Σᵢ W[j, i]·x[i] + b[j], through the library's Linear op.
    /// </summary>
    public static Tensor Linear(Tensor weight, Tensor bias, Tensor x) => Nabla.NN.Functional.Linear(x, weight, bias);

    /// <summary>σ(z) = 1 / (1 + e^−z), the library's Sigmoid op (its backward is σ(1 − σ)).</summary>
    public static Tensor Sigmoid(Tensor z) => z.Sigmoid();

    /// <summary>The per-output squared-error terms ½(ŷ − y)²; the loss is their sum.</summary>
    public static Tensor HalfSquaredErrors(Tensor prediction, Tensor target)
    {
        var diff = prediction - target;
        return 0.5 * (diff * diff);
    }

    /// <summary>The forward pass for parameters in the order of <see cref="InitialParameters"/>.</summary>
    public static ForwardPass Forward(IReadOnlyList<Tensor> p, Tensor x, Tensor y)
    {
        var hiddenNet = Linear(p[0], p[1], x);
        var hidden = Sigmoid(hiddenNet);
        var outputNet = Linear(p[2], p[3], hidden);
        var output = Sigmoid(outputNet);
        var terms = HalfSquaredErrors(output, y);
        return new ForwardPass(hiddenNet, hidden, outputNet, output, terms, terms.Sum());
    }

    /// <summary>Fresh float64 leaves holding the example's starting weights, requiring grad.</summary>
    public static Tensor[] CreateParameters() =>
        InitialParameters.Select(p => Tensor.From(p.Values, p.Shape).RequiresGrad_()).ToArray();

    /// <summary>Forward, Backward, one step of gradient descent with <paramref name="learningRate"/>, and a gradient check.</summary>
    public static BackpropResult Run(double learningRate = DefaultLearningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate,
                "explain backprop: the learning rate must be a finite number greater than 0.");

        var x = Tensor.From(Inputs);
        var y = Tensor.From(Targets);
        var parameters = CreateParameters();

        var pass = Forward(parameters, x, y);
        pass.Loss.Backward();

        var steps = new List<ParameterStep>();
        using (new NoGrad())
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                var grad = p.Grad ?? throw new InvalidOperationException($"explain backprop: {InitialParameters[i].Name} received no gradient.");
                steps.Add(new ParameterStep(InitialParameters[i].Name, p.Detach(), grad, p - learningRate * grad));
            }
        }

        double lossAfter;
        using (new NoGrad())
            lossAfter = Forward(steps.Select(s => s.After).ToArray(), x, y).Loss.Item();

        // The same loss, checked against central finite differences over every parameter element.
        var check = GradCheck.Run(p => Forward(p, x, y).Loss, parameters.Select(p => p.Detach()).ToArray());

        return new BackpropResult(
            learningRate,
            Values(pass.HiddenNet), Values(pass.Hidden), Values(pass.OutputNet), Values(pass.Output),
            Values(pass.LossTerms), pass.Loss.Item(),
            steps, lossAfter, check);
    }

    static double[] Values(Tensor t) => t.Detach().Contiguous().ToArray<double>();
}
