using Nabla.Autograd;
using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.Optim;

public class RegularizationTests
{
    [Fact]
    public void L1IsTheSumOfMagnitudesWithSignGradient()
    {
        var a = Tensor.From(new float[] { -1.5f, 0, 2 }).RequiresGrad_();
        var b = Tensor.From(new float[] { 3, -0.25f, 1, -1 }, 2, 2).RequiresGrad_();
        var l1 = Regularization.L1([a, b]);
        Assert.Equal(8.75, l1.Item(), 6);
        (l1 * 2.0).Backward();
        TensorAssert.Equal(Tensor.From(new float[] { -2, 0, 2 }), a.Grad!); // |x|' at 0 is 0, as in PyTorch
        TensorAssert.Equal(Tensor.From(new float[] { 2, -2, 2, -2 }, 2, 2), b.Grad!);
    }

    [Fact]
    public void L2IsTheSumOfSquares()
    {
        var a = Tensor.From(new double[] { -1.5, 0.5 }).RequiresGrad_();
        var b = Tensor.From(new double[] { 3 }).RequiresGrad_();
        var l2 = Regularization.L2([a, b]);
        Assert.Equal(11.5, l2.Item(), 12);
        l2.Backward();
        TensorAssert.Equal(Tensor.From(new double[] { -3, 1 }), a.Grad!);
        TensorAssert.Equal(Tensor.From(new double[] { 6 }), b.Grad!);
    }

    [Fact]
    public void L1GradCheckOnANonContiguousView()
    {
        // Values away from 0, where |x| is differentiable.
        var x = Tensor.From(new double[] { 0.5, -1.25, 2, -0.75, 1.5, -2.5 }, 2, 3);
        GradCheck.Assert(xs => Regularization.L1([xs[0].T(), xs[0] * xs[0]]) * 0.3, x);
        GradCheck.Assert(xs => Regularization.L2([xs[0].T()]), x);
    }

    [Fact]
    public void PenaltyAddsToALoss()
    {
        var w = Tensor.From(new float[] { 1, -2 }).RequiresGrad_();
        var loss = (w * w).Sum() + Regularization.L1([w]) * 0.5;
        Assert.Equal("AddBackward", loss.GradFnName);
        loss.Backward();
        TensorAssert.Close(Tensor.From(new float[] { 2.5f, -4.5f }), w.Grad!);
    }

    [Fact]
    public void EmptyAndBadInputs()
    {
        Assert.Equal(0.0, Regularization.L2([]).Item());
        Assert.Contains("l1: parameter 0 of shape [2] is int64", Assert.Throws<ArgumentException>(() => Regularization.L1([Tensor.Zeros([2], DType.Int64)])).Message);
        Assert.Contains("l2: parameter 1 is null", Assert.Throws<ArgumentException>(() => Regularization.L2([Tensor.Zeros(1), null!])).Message);
    }
}
