using Nabla.Autograd;
using Nabla.NN;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.NN;

/// <summary>
/// Float64 finite-difference checks for every differentiable activation (functional and module forms). Inputs
/// keep away from the kinks at 0 (leaky relu, PReLU, ELU) where the derivative jumps.
/// </summary>
public class ActivationGradCheckTests
{
    internal static Tensor Rand(int seed, double low, double high, params int[] shape)
    {
        var rng = new System.Random(seed);
        var data = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = low + (high - low) * rng.NextDouble();
        return Tensor.From(data, shape);
    }

    /// <summary>Values in ±[0.1, max], never near zero.</summary>
    static Tensor AwayFromZero(int seed, double max, params int[] shape)
    {
        var magnitude = Rand(seed, 0.1, max, shape);
        var sign = Rand(seed + 1000, -1, 1, shape).Sign();
        return magnitude * Tensor.Where(sign.Eq(0.0), 1.0, sign);
    }

    [Fact] public void Erf() => GradCheck.Assert(x => x[0].Erf(), Rand(1, -3, 3, 3, 4));
    [Fact] public void LeakyRelu() => GradCheck.Assert(x => F.LeakyRelu(x[0], 0.2), AwayFromZero(2, 2, 3, 4));
    [Fact] public void LeakyReluModule() => GradCheck.Assert(x => new LeakyReLU().Forward(x[0]), AwayFromZero(3, 2, 3, 4));
    [Fact] public void Elu() => GradCheck.Assert(x => F.Elu(x[0], 0.7), AwayFromZero(4, 3, 3, 4));
    [Fact] public void Selu() => GradCheck.Assert(x => new SELU().Forward(x[0]), AwayFromZero(5, 3, 3, 4));
    [Fact] public void Gelu() => GradCheck.Assert(x => new GELU().Forward(x[0]), Rand(6, -4, 4, 3, 4));
    [Fact] public void GeluTanh() => GradCheck.Assert(x => F.Gelu(x[0], "tanh"), Rand(7, -4, 4, 3, 4));
    [Fact] public void Silu() => GradCheck.Assert(x => new SiLU().Forward(x[0]), Rand(8, -5, 5, 3, 4));
    [Fact] public void Softplus() => GradCheck.Assert(x => new Softplus(2, 5).Forward(x[0]), Rand(9, -4, 4, 3, 4));
    [Fact] public void SoftplusAboveThreshold() => GradCheck.Assert(x => F.Softplus(x[0], 1, 3), Rand(10, 3.5, 6, 5));
    [Fact] public void Softmax() => GradCheck.Assert(x => x[0].Softmax(1), Rand(11, -3, 3, 2, 4, 3));
    [Fact] public void SoftmaxModuleLastDim() => GradCheck.Assert(x => new Softmax(-1).Forward(x[0]), Rand(12, -3, 3, 3, 5));
    [Fact] public void LogSoftmax() => GradCheck.Assert(x => x[0].LogSoftmax(0), Rand(13, -3, 3, 4, 3));
    [Fact] public void LogSoftmaxOfAView() => GradCheck.Assert(x => new LogSoftmax(-1).Forward(x[0].T()), Rand(14, -3, 3, 5, 3));
    [Fact] public void Sigmoid() => GradCheck.Assert(x => new Sigmoid().Forward(x[0]), Rand(15, -4, 4, 3, 4));
    [Fact] public void Tanh() => GradCheck.Assert(x => new Tanh().Forward(x[0]), Rand(16, -3, 3, 3, 4));
    [Fact] public void Relu() => GradCheck.Assert(x => new ReLU().Forward(x[0]), AwayFromZero(17, 2, 3, 4));

    [Fact] public void PreluShared() => GradCheck.Assert(x => F.Prelu(x[0], x[1]), AwayFromZero(18, 2, 2, 3, 4), Tensor.From([0.3]));
    [Fact] public void PreluPerChannel() => GradCheck.Assert(x => F.Prelu(x[0], x[1]), AwayFromZero(19, 2, 2, 3, 2, 2), Rand(20, 0.1, 0.5, 3));

    [Fact]
    public void PreluModuleWeight()
    {
        var m = new PReLU(3, dtype: DType.Float64);
        GradCheck.Assert(x => { m.RegisterParameter("weight", x[1]); return m.Forward(x[0]); }, AwayFromZero(21, 2, 4, 3), Rand(22, 0.1, 0.5, 3));
    }

    [Fact] public void Maxout() => GradCheck.Assert(x => F.Maxout(x[0], pieces: 3, dim: 1), Rand(23, -3, 3, 2, 6));

    [Fact]
    public void MaxoutModule()
    {
        var m = new Maxout(4, 3, 2, dtype: DType.Float64, generator: new Generator(5));
        GradCheck.Assert(x =>
        {
            m.RegisterParameter("weight", x[1]);
            m.RegisterParameter("bias", x[2]);
            return m.Forward(x[0]);
        }, Rand(24, -2, 2, 5, 4), m.Weight.Detach().Clone(), m.Bias!.Detach().Clone());
    }
}
