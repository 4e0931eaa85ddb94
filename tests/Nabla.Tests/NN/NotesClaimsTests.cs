using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>
/// The notes' claims about initialisation and dropout, as tests: an MLP whose layers start from constant weights
/// keeps its hidden units identical however long it trains (symmetry is never broken) while a randomly
/// initialised one does not; inverted dropout is the identity in eval mode, preserves the expectation in train
/// mode, and back-propagates mask / (1 − p).
/// </summary>
public class NotesClaimsTests
{
    /// <summary>x → Linear(3, 4) → activation → Linear(4, 1).</summary>
    sealed class Mlp : Module
    {
        readonly Func<Tensor, Tensor> _activation;
        public Linear Hidden { get; }
        public Linear Output { get; }

        public Mlp(Func<Tensor, Tensor> activation, Generator generator)
        {
            _activation = activation;
            Hidden = RegisterModule("hidden", new Linear(3, 4, generator: generator));
            Output = RegisterModule("output", new Linear(4, 1, generator: generator));
        }

        public override Tensor Forward(Tensor input) => Output.Forward(_activation(Hidden.Forward(input)));
    }

    static Func<Tensor, Tensor> Activation(string name) => name == "tanh" ? t => t.Tanh() : t => t.Sigmoid();

    /// <summary>Trains with SGD on MSE composed from ops, ((y − t)²).mean(); returns the first and the last loss.</summary>
    static (double First, double Last) Train(Mlp mlp, int steps)
    {
        var g = new Generator(21);
        var x = Tensor.Randn([32, 3], DType.Float32, g);
        var target = (x.Narrow(1, 0, 1) * 0.8 - x.Narrow(1, 2, 1) * x.Narrow(1, 1, 1)).Tanh();
        var sgd = new SGD(mlp.Parameters(), lr: 0.5);
        double first = 0, last = 0;
        for (int step = 0; step < steps; step++)
        {
            sgd.ZeroGrad();
            var loss = (mlp.Forward(x) - target).Pow(2).Mean();
            loss.Backward();
            sgd.Step();
            if (step == 0) first = loss.Item();
            last = loss.Item();
        }
        return (first, last);
    }

    /// <summary>The largest difference between any hidden unit's incoming weights and bias and those of unit 0.</summary>
    static double HiddenUnitSpread(Mlp mlp)
    {
        var w = mlp.Hidden.Weight;
        var rows = Tensor.Cat([w, mlp.Hidden.Bias!.Unsqueeze(1), mlp.Output.Weight.T()], dim: 1);
        return TensorAssert.Flat((rows - rows.Narrow(0, 0, 1)).Abs()).Max();
    }

    [Theory]
    [InlineData("sigmoid", 0.0)]
    [InlineData("sigmoid", 0.3)]
    [InlineData("tanh", 0.3)]
    public void ConstantInitialisationNeverBreaksTheSymmetryOfHiddenUnits(string activation, double hiddenValue)
    {
        var mlp = new Mlp(Activation(activation), new Generator(22));
        // Every hidden weight and bias the same constant; the output layer all zero.
        Init.Constant(mlp.Hidden.Weight, hiddenValue);
        Init.Constant(mlp.Hidden.Bias!, hiddenValue);
        Init.Zeros(mlp.Output.Weight);
        Init.Zeros(mlp.Output.Bias!);
        var before = mlp.Hidden.Weight.Clone();

        var (first, last) = Train(mlp, 30);

        // Training really happened: the loss fell and the hidden weights moved...
        Assert.True(last < first, $"loss went from {first} to {last}");
        Assert.True(TensorAssert.Flat((mlp.Hidden.Weight - before).Abs()).Max() > 1e-3, "the hidden weights did not move");
        // ...yet every hidden unit still has exactly the same weights as every other (to float rounding).
        Assert.True(HiddenUnitSpread(mlp) < 1e-6, $"hidden units differ by {HiddenUnitSpread(mlp)}");
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void RandomInitialisationGivesDistinctHiddenUnits(string activation)
    {
        var mlp = new Mlp(Activation(activation), new Generator(23));
        var (first, last) = Train(mlp, 30);
        Assert.True(last < first, $"loss went from {first} to {last}");
        Assert.True(HiddenUnitSpread(mlp) > 1e-2, $"hidden units differ by only {HiddenUnitSpread(mlp)}");
    }

    [Fact]
    public void DropoutIsTheIdentityInEvalMode()
    {
        var x = Tensor.Randn([64, 32], DType.Float32, new Generator(24));
        var dropout = new Dropout(0.5, new Generator(25));
        dropout.Eval();
        Assert.Same(x, dropout.Forward(x));
        Assert.Same(x, Functional.Dropout(x, 0.9, training: false));
        // Back in training mode it does change the input.
        dropout.Train();
        Assert.Contains(0.0, TensorAssert.Flat(dropout.Forward(x)));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void DropoutPreservesTheExpectationInTrainMode(double p)
    {
        const int n = 200_000;
        const double value = 2.0;
        var y = TensorAssert.Flat(new Dropout(p, new Generator(26)).Forward(Tensor.Full([n], value)));

        // Each element is value/(1−p) with probability 1−p, else 0: mean value, variance value²·p/(1−p).
        double mean = y.Average();
        double sigma = value * Math.Sqrt(p / (1 - p) / n);
        Assert.True(Math.Abs(mean - value) < 5 * sigma, $"mean {mean}, expected {value} ± {5 * sigma}");

        double dropped = y.Count(v => v == 0) / (double)n;
        Assert.True(Math.Abs(dropped - p) < 5 * Math.Sqrt(p * (1 - p) / n), $"dropped fraction {dropped}, expected {p}");
        int odd = y.Count(v => v != 0 && Math.Abs(v - value / (1 - p)) > 1e-5);
        Assert.True(odd == 0, $"{odd} elements are neither 0 nor {value / (1 - p)}");
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.6)]
    public void DropoutGradientIsTheMaskOverOneMinusP(double p)
    {
        var x = Tensor.Randn([40, 25], DType.Float64, new Generator(27)).RequiresGrad_();
        var y = Functional.Dropout(x, p, training: true, generator: new Generator(28));
        var upstream = Tensor.Randn([40, 25], DType.Float64, new Generator(29));
        y.Backward(upstream);

        // The same generator state draws the same mask: 1/(1−p) where kept, 0 where dropped.
        var mask = Functional.DropoutMask([40, 25], p, DType.Float64, new Generator(28));
        Assert.All(TensorAssert.Flat(mask), m => Assert.True(m == 0 || m == 1 / (1 - p)));
        TensorAssert.Equal(upstream * mask, x.Grad!);
        TensorAssert.Equal(x.Detach() * mask, y);
    }

    [Fact]
    public void DropoutEdgeCasesAndDeterminism()
    {
        var x = Tensor.Randn([10, 10], DType.Float32, new Generator(30)).RequiresGrad_();
        Assert.Same(x, Functional.Dropout(x, 0.0));
        var zeros = Functional.Dropout(x, 1.0);
        TensorAssert.Equal(Tensor.Zeros(10, 10), zeros);
        zeros.Sum().Backward();
        TensorAssert.Equal(Tensor.Zeros(10, 10), x.Grad!);

        // A seeded generator reproduces a mask; a module's generator moves on, so successive calls differ.
        TensorAssert.Equal(Functional.Dropout(x, 0.5, generator: new Generator(31)), Functional.Dropout(x, 0.5, generator: new Generator(31)));
        var layer = new Dropout(0.5, new Generator(32));
        Assert.NotEqual(TensorAssert.Flat(layer.Forward(x)), TensorAssert.Flat(layer.Forward(x)));
    }
}
