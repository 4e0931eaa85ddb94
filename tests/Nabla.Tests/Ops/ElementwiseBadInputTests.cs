namespace Nabla.Tests.Ops;

/// <summary>Wrong shapes and dtypes must fail with a message naming the op and the shapes; NaN and empty tensors must behave.</summary>
public class ElementwiseBadInputTests
{
    static readonly Tensor A23 = Tensor.Ones(2, 3), B4 = Tensor.Ones(4);

    static void Throws<TException>(Func<object> action, params string[] fragments) where TException : Exception
    {
        var e = Assert.Throws<TException>(action);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
    }

    [Fact] public void PowShapeMismatch() => Throws<ArgumentException>(() => A23.Pow(B4), "pow", "[2, 3]", "[4]");
    [Fact] public void MaximumShapeMismatch() => Throws<ArgumentException>(() => Tensor.Maximum(A23, B4), "maximum", "[2, 3]", "[4]");
    [Fact] public void MinimumShapeMismatch() => Throws<ArgumentException>(() => A23.Minimum(B4), "minimum", "[2, 3]", "[4]");

    [Theory]
    [InlineData("eq")]
    [InlineData("ne")]
    [InlineData("lt")]
    [InlineData("le")]
    [InlineData("gt")]
    [InlineData("ge")]
    public void CompareShapeMismatch(string op)
    {
        Func<Tensor> f = op switch
        {
            "eq" => () => A23.Eq(B4),
            "ne" => () => A23.Ne(B4),
            "lt" => () => A23 < B4,
            "le" => () => A23 <= B4,
            "gt" => () => A23 > B4,
            _ => () => A23 >= B4,
        };
        Throws<ArgumentException>(() => f(), op + ":", "[2, 3]", "[4]");
    }

    [Fact]
    public void IntegerToNegativeIntegerPowerIsRefused() =>
        Throws<ArgumentException>(() => Tensor.From(new long[] { 1, 2 }).Pow(-1), "pow", "negative", "[2]");

    [Fact]
    public void PowOfTwoMasksIsRefused()
    {
        var m = Tensor.Ones([3], DType.Bool);
        Throws<ArgumentException>(() => m.Pow(m), "pow", "bool", "[3]");
    }

    [Fact] public void AbsOfBool() => Throws<ArgumentException>(() => Tensor.Ones([2, 2], DType.Bool).Abs(), "abs", "bool", "[2, 2]");
    [Fact] public void ReluOfBool() => Throws<ArgumentException>(() => Tensor.Ones([5], DType.Bool).Relu(), "relu", "bool", "[5]");
    [Fact] public void ClampOfBool() => Throws<ArgumentException>(() => Tensor.Ones([5], DType.Bool).Clamp(0, 1), "clamp", "bool", "[5]");
    [Fact] public void ClampWithoutBounds() => Throws<ArgumentException>(() => A23.Clamp(min: (double?)null), "clamp", "min", "[2, 3]");

    [Fact] public void LogicalNotOfFloat() => Throws<ArgumentException>(() => A23.LogicalNot(), "logical_not", "float32", "[2, 3]");
    [Fact] public void TildeOfInt() => Throws<ArgumentException>(() => ~Tensor.Ones([4], DType.Int64), "logical_not", "int64", "[4]");
    [Fact] public void LogicalAndOfFloat() => Throws<ArgumentException>(() => A23.LogicalAnd(A23 > 0.0), "logical_and", "float32", "[2, 3]");
    [Fact] public void LogicalOrOfInt() => Throws<ArgumentException>(() => (A23 > 0.0) | Tensor.Ones([3], DType.Int64), "logical_or", "int64", "[3]");

    [Fact]
    public void LogicalShapeMismatch() =>
        Throws<ArgumentException>(() => (A23 > 0.0) & (B4 > 0.0), "logical_and", "[2, 3]", "[4]");

    [Fact]
    public void WhereWithNonBoolCondition() =>
        Throws<ArgumentException>(() => Tensor.Where(Tensor.Ones([2, 3], DType.Int64), A23, A23), "where", "condition", "int64", "[2, 3]");

    [Fact]
    public void WhereShapeMismatchNamesAllThreeShapes() =>
        Throws<ArgumentException>(() => Tensor.Where(A23 > 0.0, Tensor.Ones(3), B4), "where", "[2, 3]", "[3]", "[4]");

    [Fact]
    public void MaskedFillWithNonBoolMask() =>
        Throws<ArgumentException>(() => A23.MaskedFill(Tensor.Ones(2, 3), 0), "masked_fill", "bool", "float32", "[2, 3]");

    [Fact]
    public void MaskedFillShapeMismatch() =>
        Throws<ArgumentException>(() => A23.MaskedFill(B4 > 0.0, 0), "masked_fill", "[4]", "[2, 3]");

    [Fact]
    public void NaNPropagatesLikePyTorch()
    {
        var x = Tensor.From(new[] { float.NaN, 1f, -1f });
        var other = Tensor.From(new[] { 0f, float.NaN, 0f });
        Assert.True(float.IsNaN(x.Relu().ToArray<float>()[0]));
        Assert.True(float.IsNaN(x.Clamp(-0.5, 0.5).ToArray<float>()[0]));
        Assert.True(float.IsNaN(x.Clamp(min: 0.0).ToArray<float>()[0]));
        Assert.True(float.IsNaN(x.Sqrt().ToArray<float>()[2]));
        Assert.Equal([float.NaN, float.NaN, 0f], Tensor.Maximum(x, other).ToArray<float>());
        Assert.Equal([float.NaN, float.NaN, -1f], Tensor.Minimum(x, other).ToArray<float>());
        Assert.Equal([0f, 1f, -1f], x.Sign().ToArray<float>()); // PyTorch 1.13 CPU: sign(NaN) = 0
        Assert.Equal([false, true, true], x.Eq(x).ToArray<bool>()); // NaN is unequal even to itself
        Assert.Equal([true, false, false], x.Ne(x).ToArray<bool>());
        Assert.Equal([false, false, false], x.Lt(x).ToArray<bool>());
    }

    [Fact]
    public void EmptyTensorsGiveEmptyResults()
    {
        var e = Tensor.Zeros(0, 3);
        e.RequiresGrad = true;
        var y = (e.Sqrt() + e.Sigmoid() + e.Tanh().Relu() + e.Pow(e) + e.Clamp(0, 1) + Tensor.Maximum(e, Tensor.Ones(3))).Sum();
        y.Backward();
        Assert.Equal([0, 3], e.Grad!.Shape);
        Assert.Equal([0, 3], Tensor.Where(e > 0.0, e, 1.0).Shape);
        Assert.Equal([0, 3], e.MaskedFill(Tensor.Ones([3], DType.Bool), 1).Shape);
        Assert.Equal([0, 3], (~(e > 0.0) | (e < 1.0)).Shape);
    }

    [Fact]
    public void ComparisonsAreNotRecorded()
    {
        var x = Tensor.Ones(3).RequiresGrad_();
        var m = x > 0.5;
        Assert.False(m.RequiresGrad);
        Assert.Null(m.GradFnName);
        Assert.Equal(DType.Bool, m.DType);
    }

    [Fact]
    public void EqualityOperatorsKeepReferenceMeaning()
    {
        // == is not overloaded: two tensors with equal values are still different objects; Eq compares values.
        var a = Tensor.Ones(2);
        var b = Tensor.Ones(2);
        Assert.False(a == b);
        Assert.Equal([true, true], a.Eq(b).ToArray<bool>());
    }
}
