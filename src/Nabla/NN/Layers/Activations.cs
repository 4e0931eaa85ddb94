namespace Nabla.NN;

// The activation modules: thin wrappers over Functional with PyTorch's class names and reprs. Only PReLU has a
// parameter. None of them cares about train/eval mode.

public sealed class Sigmoid : Module
{
    public override Tensor Forward(Tensor input) => Functional.Sigmoid(input);
}

public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor input) => Functional.Tanh(input);
}

public sealed class ReLU : Module
{
    public override Tensor Forward(Tensor input) => Functional.Relu(input);
}

public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    public double NegativeSlope { get; } = negativeSlope;
    public override Tensor Forward(Tensor input) => Functional.LeakyRelu(input, NegativeSlope);
    public override string ExtraRepr() => $"negative_slope={PyNumberText.Float(NegativeSlope)}";
}

/// <summary>
/// Parametric ReLU with a learnable slope: one shared (numParameters = 1) or one per channel (dim 1 of the input).
/// PyTorch's default initial slope is 0.25.
/// </summary>
public sealed class PReLU : Module
{
    public PReLU(int numParameters = 1, double init = 0.25, DType dtype = DType.Float32)
    {
        if (numParameters < 1)
            throw new ArgumentException($"PReLU: num_parameters must be at least 1, got {numParameters}.");
        NumParameters = numParameters;
        RegisterParameter("weight", Tensor.Full([numParameters], init, dtype));
    }

    public new int NumParameters { get; }
    public Tensor Weight => Param("weight")!;

    public override Tensor Forward(Tensor input) => Functional.Prelu(input, Weight);
    public override string ExtraRepr() => $"num_parameters={NumParameters}";
}

public sealed class ELU(double alpha = 1.0) : Module
{
    public double Alpha { get; } = alpha;
    public override Tensor Forward(Tensor input) => Functional.Elu(input, Alpha);
    public override string ExtraRepr() => $"alpha={PyNumberText.Float(Alpha)}";
}

public sealed class SELU : Module
{
    public override Tensor Forward(Tensor input) => Functional.Selu(input);
}

/// <summary>GELU; <c>approximate</c> is "none" (exact, through erf) or "tanh", as in PyTorch.</summary>
public sealed class GELU : Module
{
    public GELU(string approximate = "none")
    {
        if (approximate is not ("none" or "tanh"))
            throw new ArgumentException($"GELU: approximate must be 'none' or 'tanh', got '{approximate}'.");
        Approximate = approximate;
    }

    public string Approximate { get; }
    public override Tensor Forward(Tensor input) => Functional.Gelu(input, Approximate);
    public override string ExtraRepr() => $"approximate='{Approximate}'";
}

public sealed class SiLU : Module
{
    public override Tensor Forward(Tensor input) => Functional.Silu(input);
}

public sealed class Softplus(double beta = 1, double threshold = 20) : Module
{
    public double Beta { get; } = beta;
    public double Threshold { get; } = threshold;
    public override Tensor Forward(Tensor input) => Functional.Softplus(input, Beta, Threshold);
    public override string ExtraRepr() => $"beta={PyNumberText.IntOrFloat(Beta)}, threshold={PyNumberText.IntOrFloat(Threshold)}";
}

/// <summary>Softmax along a fixed dim (PyTorch's implicit-dim guess is not offered: the dim is required).</summary>
public sealed class Softmax(int dim) : Module
{
    public int Dim { get; } = dim;
    public override Tensor Forward(Tensor input) => Functional.Softmax(input, Dim);
    public override string ExtraRepr() => $"dim={Dim}";
}

public sealed class LogSoftmax(int dim) : Module
{
    public int Dim { get; } = dim;
    public override Tensor Forward(Tensor input) => Functional.LogSoftmax(input, Dim);
    public override string ExtraRepr() => $"dim={Dim}";
}

/// <summary>
/// The perceptron's step function. By default the Heaviside 0/1 form (1 for x ≥ 0, else 0); with
/// <c>signed: true</c> the ±1 form (+1 for x &gt; 0, else −1) used with labels in {−1, +1}. Not differentiable:
/// backward through it throws (see <see cref="Functional.Heaviside"/>). PyTorch has no such module.
/// </summary>
public sealed class Step(bool signed = false) : Module
{
    public bool Signed { get; } = signed;
    public override Tensor Forward(Tensor input) => Signed ? Functional.PerceptronSign(input) : Functional.Heaviside(input);
    public override string ExtraRepr() => $"signed={PyNumberText.Bool(Signed)}";
}
