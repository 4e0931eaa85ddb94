using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>Initialisers: bounds and spreads from torch.nn.init's formulas, orthogonality, and bad shapes.</summary>
public class InitTests
{
    static readonly Generator Gen = new(42);

    [Fact]
    public void FansCountTheReceptiveField()
    {
        Assert.Equal((3 * 25, 6 * 25), Init.Fans(Tensor.Zeros(6, 3, 5, 5)));
        Assert.Equal((784, 256), Init.Fans(Tensor.Zeros(256, 784)));
    }

    [Theory]
    [InlineData("linear", 0, 1.0)]
    [InlineData("sigmoid", 0, 1.0)]
    [InlineData("tanh", 0, 5.0 / 3)]
    [InlineData("relu", 0, 1.4142135623730951)]
    [InlineData("leaky_relu", 0.01, 1.4141428569978354)]
    [InlineData("selu", 0, 0.75)]
    public void GainsMatchCalculateGain(string nonlinearity, double param, double expected) =>
        Assert.Equal(expected, Init.Gain(nonlinearity, param), 12);

    [Fact]
    public void XavierUniformStaysWithinItsBoundAndFillsIt()
    {
        var w = Init.XavierUniform(Tensor.Zeros(200, 300), generator: Gen);
        double a = Math.Sqrt(6.0 / 500);
        Assert.True(w.Abs().Max().Item() <= a);
        Assert.True(w.Abs().Max().Item() > 0.95 * a);
        Assert.Equal(a / Math.Sqrt(3), w.Std().Item(), 2);
    }

    [Fact]
    public void XavierNormalHasTheGlorotSpread()
    {
        var w = Init.XavierNormal(Tensor.Zeros(400, 600), generator: Gen);
        Assert.Equal(Math.Sqrt(2.0 / 1000), w.Std().Item(), 3);
        Assert.Equal(0, w.Mean().Item(), 3);
    }

    [Fact]
    public void KaimingUniformWithSqrt5IsPyTorchsLinearDefault()
    {
        // For a = √5 the bound is 1/√fan_in, the bound PyTorch's Linear and Conv weights use.
        var w = Init.KaimingUniform(Tensor.Zeros(300, 100), a: Math.Sqrt(5), generator: Gen);
        Assert.True(w.Abs().Max().Item() <= 1 / Math.Sqrt(100) + 1e-7);
        Assert.True(w.Abs().Max().Item() > 0.95 / Math.Sqrt(100));
    }

    [Fact]
    public void KaimingNormalForReluUsesFanOutWhenAsked()
    {
        var w = Init.KaimingNormal(Tensor.Zeros(64, 32, 3, 3), mode: FanMode.FanOut, nonlinearity: "relu", generator: Gen);
        Assert.Equal(Math.Sqrt(2.0 / (64 * 9)), w.Std().Item(), 3);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(8, 3)]
    [InlineData(3, 8)]
    public void OrthogonalRowsOrColumnsAreOrthonormal(int rows, int cols)
    {
        var w = Init.Orthogonal(Tensor.Zeros([rows, cols], DType.Float64), generator: Gen);
        var gram = rows >= cols ? w.T().MatMul(w) : w.MatMul(w.T());
        int n = Math.Min(rows, cols);
        Assert.True((gram - Tensor.Eye(n).Double()).Abs().Max().Item() < 1e-10);
    }

    [Fact]
    public void ConstantZerosOnesAndEye()
    {
        Assert.Equal(6.0, Init.Constant(Tensor.Zeros(2, 3), 1.0).Sum().Item());
        Assert.Equal(0.0, Init.Zeros(Tensor.Ones(4)).Sum().Item());
        Assert.Equal(4.0, Init.Ones(Tensor.Zeros(2, 2)).Sum().Item());
        Assert.Equal(new float[] { 1, 0, 0, 0, 1, 0 }, Init.Eye(Tensor.Zeros(2, 3)).ToArray<float>());
    }

    [Fact]
    public void InitialisersWorkOnParametersThatRequireGrad()
    {
        var w = Tensor.Zeros(3, 4).RequiresGrad_();
        Init.Normal(w, 0, 1, Gen);
        Assert.True(w.RequiresGrad);
        Assert.True(w.Abs().Sum().Item() > 0);
    }

    [Fact]
    public void FansOfAVectorAreAnError()
    {
        var e = Assert.Throws<ArgumentException>(() => Init.XavierUniform(Tensor.Zeros(5)));
        Assert.Contains("xavier_uniform", e.Message);
        Assert.Contains("[5]", e.Message);
    }

    [Fact]
    public void UnknownNonlinearityIsAnError()
    {
        var e = Assert.Throws<ArgumentException>(() => Init.Gain("swish"));
        Assert.Contains("swish", e.Message);
    }
}
