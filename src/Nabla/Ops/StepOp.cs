using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// The perceptron's threshold unit (see <see cref="StepMap"/>). Its derivative is 0 wherever it exists and
/// undefined at 0, so gradient descent through it cannot learn. Rather than hand back silent zeros, backward
/// refuses with an explanation: the perceptron is trained by its own rule, not by backpropagation.
/// </summary>
internal sealed class StepOp : Node
{
    bool _signed;
    int[] _shape = [];

    public override string Name => _signed ? "PerceptronSignBackward" : "HeavisideBackward";

    public static Tensor Forward(Tensor x, bool signed)
    {
        string op = signed ? "perceptron_sign" : "heaviside";
        ActivationArgs.RequireFloating(x, op);
        var y = Pointwise.Map(x, new StepMap(signed));
        return Graph.Wants(x) ? Graph.Attach(y, new StepOp { _signed = signed, _shape = x._shape }, x) : y;
    }

    internal override Tensor?[] Backward(Tensor g) =>
        throw new InvalidOperationException(
            $"{(_signed ? "perceptron_sign" : "heaviside")}: the step function of shape {Layout.Format(_shape)} has no useful gradient " +
            "(0 almost everywhere, undefined at 0). Train a perceptron with the perceptron rule, or use a smooth activation " +
            "(Sigmoid, Tanh) for gradient descent; call Detach() on its input to use the step inside a differentiable graph.");
}
