using Nabla.Tests.Support;

namespace Nabla.Tests.Ops;

/// <summary>Reductions given bad or awkward input: clear errors naming the op and shape, and PyTorch's edge values.</summary>
public class ReductionBadInputTests
{
    static readonly Tensor M = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);

    public static IEnumerable<object[]> DimOps => new (string Op, Action<Tensor, int> Call)[]
    {
        ("max", (x, d) => x.Max(d)),
        ("min", (x, d) => x.Min(d, keepDim: true)),
        ("argmax", (x, d) => x.ArgMax(d)),
        ("argmin", (x, d) => x.ArgMin(d)),
        ("prod", (x, d) => x.Prod(d)),
        ("var", (x, d) => x.Var(d)),
        ("std", (x, d) => x.Std([0, d])),
        ("logsumexp", (x, d) => x.LogSumExp(d)),
    }.Select(p => new object[] { p.Op, p.Call });

    [Theory]
    [MemberData(nameof(DimOps))]
    public void DimOutOfRangeNamesOpAndShape(string op, Action<Tensor, int> call)
    {
        foreach (int dim in new[] { 2, -3, 7 })
        {
            var e = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => call(M, dim));
            Assert.Contains($"{op}: dimension {dim} is out of range", e.Message);
            Assert.Contains("shape [2, 3]", e.Message);
        }
    }

    [Fact]
    public void RepeatedDimNamesOpAndShape()
    {
        var e = Assert.Throws<ArgumentException>(() => M.Var([1, -1]));
        Assert.Contains("var: dimension 1 appears more than once", e.Message);
        Assert.Contains("shape [2, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => M.LogSumExp([0, 0]));
        Assert.StartsWith("logsumexp:", e.Message);
    }

    [Theory]
    [InlineData("max")]
    [InlineData("min")]
    [InlineData("argmax")]
    [InlineData("argmin")]
    public void EmptyTensorOverAllElementsThrows(string op)
    {
        var empty = Tensor.Zeros(0, 3);
        Action call = op switch
        {
            "max" => () => empty.Max(),
            "min" => () => empty.Min(),
            "argmax" => () => empty.ArgMax(),
            _ => () => empty.ArgMin(),
        };
        var e = Assert.Throws<ArgumentException>(call);
        Assert.StartsWith($"{op}: cannot reduce the empty tensor of shape [0, 3]", e.Message);
    }

    [Fact]
    public void ReducingAnEmptyDimThrowsButOtherEmptyDimsAreFine()
    {
        var empty = Tensor.Zeros(0, 3);
        var e = Assert.Throws<ArgumentException>(() => empty.Max(0));
        Assert.Equal("max: cannot reduce dimension 0 of size 0 in the tensor of shape [0, 3].", e.Message);
        e = Assert.Throws<ArgumentException>(() => empty.ArgMin(-2));
        Assert.StartsWith("argmin: cannot reduce dimension 0 of size 0 in the tensor of shape [0, 3]", e.Message);

        var (values, indices) = empty.Max(1);
        Assert.Equal([0], values.Shape);
        Assert.Equal(DType.Int64, indices.DType);
    }

    [Fact]
    public void EmptyReductionsWithAnIdentityFollowPyTorch()
    {
        var empty = Tensor.Zeros(0, 3);
        Assert.Equal(1.0, empty.Prod().Item());
        Assert.Equal([1.0, 1.0, 1.0], TensorAssert.Flat(empty.Prod(0)));
        Assert.True(double.IsNaN(empty.Var().Item()));
        Assert.Equal(double.NegativeInfinity, empty.LogSumExp(0).Select(0, 1).Item());
        Assert.True(double.IsNaN(empty.Mean().Item()));
    }

    [Fact]
    public void MeanOfIntegersThrows()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.From([1L, 2L], 2).Mean());
        Assert.Equal("mean: needs a floating tensor, got int64 of shape [2]; convert with Float() first.", e.Message);
    }

    [Theory]
    [InlineData("var")]
    [InlineData("std")]
    public void VarAndStdOfIntegersThrow(string op)
    {
        var ints = Tensor.From([1L, 2L, 3L], 3);
        var e = Assert.Throws<ArgumentException>(() => op == "var" ? ints.Var() : ints.Std(0));
        Assert.Equal($"{op}: needs a floating tensor, got int64 of shape [3]; convert with Float() first.", e.Message);
    }

    [Fact]
    public void NegativeCorrectionThrows()
    {
        var e = Assert.Throws<ArgumentException>(() => M.Var([0], correction: -1));
        Assert.Contains("var: correction must be a non-negative number, got -1", e.Message);
        Assert.Contains("shape [2, 3]", e.Message);
    }

    [Fact]
    public void ArgMaxOfBoolThrowsAsInPyTorch()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.From([true, false], 2).ArgMax());
        Assert.Equal("argmax: not implemented for bool tensors (shape [2]), as in PyTorch; convert with Long() first.", e.Message);
    }

    [Fact]
    public void MaxOfBoolStaysBool()
    {
        var b = Tensor.From([false, true, false, false], 2, 2);
        Assert.Equal(DType.Bool, b.Max().DType);
        Assert.True(b.Max().Item<bool>());
        var (values, indices) = b.Min(1);
        Assert.Equal([false, false], values.ToArray<bool>());
        Assert.Equal([0L, 0L], indices.ToArray<long>());
    }

    [Fact]
    public void NaNWinsMaxAndMinWithTheFirstNaNIndex()
    {
        var x = Tensor.From([1f, float.NaN, 3f, float.NaN, 0f, 2f], 2, 3);
        Assert.True(float.IsNaN(x.Max().Item<float>()));
        Assert.True(float.IsNaN(x.Min().Item<float>()));
        Assert.Equal(1L, x.ArgMax().Item<long>());
        Assert.Equal(1L, x.ArgMin().Item<long>());
        var (values, indices) = x.Max(1);
        Assert.True(float.IsNaN(values.ToArray<float>()[0]) && float.IsNaN(values.ToArray<float>()[1]));
        Assert.Equal([1L, 0L], indices.ToArray<long>());
    }

    [Fact]
    public void MaxAllSharesTheGradientAmongNaNs()
    {
        var x = Tensor.From([1.0, double.NaN, 3.0, double.NaN], 4).RequiresGrad_();
        x.Max().Backward();
        Assert.Equal([0.0, 0.5, 0.0, 0.5], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void LogSumExpHandlesInfinities()
    {
        double inf = double.PositiveInfinity;
        var x = Tensor.From([-inf, -inf, inf, 1.0, inf, -inf, double.NaN, 1.0], 4, 2);
        var y = x.LogSumExp(1).ToArray<double>();
        Assert.Equal(-inf, y[0]);
        Assert.Equal(inf, y[1]);
        Assert.Equal(inf, y[2]);
        Assert.True(double.IsNaN(y[3]));
    }

    [Fact]
    public void VarOfOneElementIsNaNUnlessBiased()
    {
        var one = Tensor.From([3.0], 1);
        Assert.True(double.IsNaN(one.Var().Item()));
        Assert.Equal(0.0, one.Var(unbiased: false).Item());
        Assert.Equal(double.PositiveInfinity, M.Var([1], correction: 3).ToArray<float>()[0]);
    }

    [Fact]
    public void StdGradientIsZeroWhereStdIsZero()
    {
        var x = Tensor.From([2.0, 2.0, 2.0], 3).RequiresGrad_();
        x.Std().Backward();
        Assert.Equal([0.0, 0.0, 0.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void IndicesNeverRequireGrad()
    {
        var x = Tensor.From([1.0, 4.0, 2.0], 3).RequiresGrad_();
        var (values, indices) = x.Max(0);
        Assert.True(values.RequiresGrad);
        Assert.Equal("MaxBackward", values.GradFnName);
        Assert.False(indices.RequiresGrad);
        Assert.False(x.ArgMin().RequiresGrad);
    }

    [Fact]
    public void ScalarTensorsReduceOverDimZero()
    {
        var s = Tensor.Scalar(2.5);
        var (v, i) = s.Max(-1, keepDim: true);
        Assert.Equal([], v.Shape);
        Assert.Equal(0L, i.Item<long>());
        Assert.Equal(0L, s.ArgMax(0).Item<long>());
        Assert.Equal(2.5, s.Prod(0).Item(), 6);
        Assert.Equal(2.5, s.LogSumExp(0).Item(), 6);
        var e = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => s.Max(1));
        Assert.Contains("max: dimension 1 is out of range for a tensor of shape []", e.Message);
    }
}
