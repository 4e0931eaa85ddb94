using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN.Recurrent;

/// <summary>The Jordan network (GradCheck and a hand-unrolled twin) and variational dropout (one mask per sequence).</summary>
public class JordanAndVariationalDropoutTests
{
    static Tensor U(int seed, params int[] shape) => GradCheckInputs.Uniform(seed, shape);

    static readonly string[] JordanNames = ["weight_ih", "weight_yh", "bias_h", "weight_ho", "bias_o"];

    [Fact]
    public void JordanGradCheck()
    {
        var m = new JordanRNN(3, 4, 2, outputActivation: "tanh", dtype: DType.Float64);
        GradCheckInputs.AssertPasses(x =>
        {
            for (int i = 0; i < JordanNames.Length; i++) m.RegisterParameter(JordanNames[i], x[2 + i]);
            var r = m.Forward(x[0], x[1]);
            return Tensor.Cat([r.Output.Reshape(-1), r.State.H.Reshape(-1)]);
        }, U(1, 3, 2, 3), U(2, 2, 2), U(3, 4, 3), U(4, 4, 2), U(5, 4), U(6, 2, 4), U(7, 2));
    }

    [Fact]
    public void JordanMatchesHandUnrolledSteps()
    {
        var m = new JordanRNN(3, 5, 2, outputActivation: "sigmoid", dtype: DType.Float64, generator: new Generator(1));
        var x = U(8, 3, 2, 3);
        var y = m.Forward(x);
        // y_t = σ(V·tanh(W·x_t + U·y_{t−1} + b) + c), y_0 = 0, written out with matmuls.
        Tensor W = m.WeightIh, Uy = m.WeightYh, b = m.BiasH, V = m.WeightHo, c = m.BiasO;
        var prev = Tensor.Zeros([2, 2], DType.Float64);
        for (int t = 0; t < 3; t++)
        {
            var h = (x.Select(0, t).MatMul(W.T()) + prev.MatMul(Uy.T()) + b).Tanh();
            prev = (h.MatMul(V.T()) + c).Sigmoid();
            TensorAssert.Close(prev, y.Select(0, t), 1e-12, 1e-12, $"step {t}");
        }
        // The output feeds back: changing U changes later steps but not the first.
        using (new Nabla.Autograd.NoGrad()) m.WeightYh.FillInPlace(0.5);
        var changed = m.Forward(x);
        TensorAssert.Close(y.Select(0, 0), changed.Select(0, 0), 1e-12, 1e-12, "first step ignores y_0 = 0 feedback");
        Assert.NotEqual(TensorAssert.Flat(y.Select(0, 2)), TensorAssert.Flat(changed.Select(0, 2)));
    }

    [Fact]
    public void JordanBadInput()
    {
        var m = new JordanRNN(3, 4, 2);
        Assert.Equal("JordanRNN: expected input of shape [T, N, 3], got [5, 4].", Assert.Throws<ArgumentException>(() => m.Forward(Tensor.Zeros(5, 4))).Message);
        Assert.Equal("JordanRNN: expected y0 of shape [2, 2], got [2, 4].", Assert.Throws<ArgumentException>(() => m.Forward(Tensor.Zeros(5, 2, 3), Tensor.Zeros(2, 4))).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VariationalMaskIsConstantAcrossTime(bool batchFirst)
    {
        var drop = new VariationalDropout(0.5, batchFirst, new Generator(2));
        int[] shape = batchFirst ? [4, 7, 6] : [7, 4, 6];
        var y = drop.Forward(Tensor.Ones(shape));
        var values = TensorAssert.Flat(y.Transpose(0, batchFirst ? 1 : 0).Contiguous());  // now [T, N, F]
        int perStep = 4 * 6;
        for (int t = 1; t < 7; t++)
            Assert.Equal(values.Take(perStep), values.Skip(t * perStep).Take(perStep));
        Assert.All(values, v => Assert.True(v == 0 || v == 2));
        Assert.Contains(0.0, values);
        Assert.Contains(2.0, values);
    }

    [Fact]
    public void VariationalDropoutPreservesTheMean()
    {
        var drop = new VariationalDropout(0.3, generator: new Generator(3));
        var y = drop.Forward(Tensor.Ones(2, 400, 50));
        Assert.InRange(y.Mean().Item(), 0.97, 1.03);   // 20,000 independent mask entries: σ of the mean ≈ 0.005
        Assert.Equal(20_000, TensorAssert.Flat(y.Select(0, 0)).Zip(TensorAssert.Flat(y.Select(0, 1))).Count(p => p.First == p.Second));
    }

    [Fact]
    public void VariationalDropoutIsIdentityInEvalAndChecksRank()
    {
        var drop = new VariationalDropout(0.5);
        drop.Eval();
        var x = Tensor.Randn([3, 2, 4], generator: new Generator(4));
        Assert.Same(x, drop.Forward(x));
        Assert.Equal("VariationalDropout(p=0.5)", drop.ToString());
        Assert.Equal("VariationalDropout: expected input [T, N, F] or unbatched [T, F], got shape [4].",
            Assert.Throws<ArgumentException>(() => new VariationalDropout().Forward(Tensor.Zeros(4))).Message);
    }
}
