using Nabla.Autograd;

namespace Nabla.Tests.Autograd;

/// <summary>Float64 finite-difference checks of the core ops' hand-written gradients.</summary>
public class CoreGradCheckTests
{
    static Tensor R(params int[] shape) => Tensor.From(Values(shape), shape);

    static Tensor Positive(params int[] shape)
    {
        var v = Values(shape);
        return Tensor.From(v.Select(x => Math.Abs(x) + 0.5).ToArray(), shape);
    }

    static double[] Values(int[] shape)
    {
        var rng = new System.Random(shape.Aggregate(17, (h, d) => h * 31 + d));
        int n = shape.Aggregate(1, (a, b) => a * b);
        return Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
    }

    public static IEnumerable<object[]> Ops =>
        new (string, Func<Tensor[], Tensor>, Tensor[])[]
        {
            ("add_broadcast", x => x[0] + x[1], [R(2, 3), R(3)]),
            ("sub_broadcast", x => x[0] - x[1], [R(2, 1), R(1, 3)]),
            ("mul_broadcast", x => x[0] * x[1], [R(2, 3, 4), R(3, 1)]),
            ("div_broadcast", x => x[0] / x[1], [R(2, 3), Positive(3)]),
            ("neg", x => -x[0], [R(4)]),
            ("exp", x => x[0].Exp(), [R(2, 3)]),
            ("log", x => x[0].Log(), [Positive(2, 3)]),
            ("sum_dims", x => x[0].Sum([0, 2], keepDim: true), [R(2, 3, 4)]),
            ("mean_dim", x => x[0].Mean(1), [R(3, 4)]),
            ("reshape", x => x[0].Reshape(3, -1), [R(2, 3, 2)]),
            ("permute", x => x[0].Permute(1, 2, 0), [R(2, 3, 2)]),
            ("expand", x => x[0].Expand(2, 3, 4), [R(3, 1)]),
            ("slice_step", x => x[0].Slice(1, 0, 5, 2), [R(2, 6)]),
            ("select", x => x[0].Select(0, 1), [R(3, 2)]),
            ("squeeze_unsqueeze", x => x[0].Squeeze(1).Unsqueeze(-1), [R(3, 1, 2)]),
            ("contiguous_transposed", x => x[0].T().Contiguous() * x[0].T(), [R(3, 4)]),
            ("cast_roundtrip", x => x[0].Float().Double() * 1.0, [R(3)]),
        }.Select(c => new object[] { c.Item1, c.Item2, c.Item3 });

    [Theory]
    [MemberData(nameof(Ops))]
    public void AnalyticGradientMatchesFiniteDifferences(string name, Func<Tensor[], Tensor> op, Tensor[] inputs)
    {
        // Casting through float32 loses precision, so that case only needs the looser float32 tolerance.
        var result = name == "cast_roundtrip"
            ? GradCheck.Run(op, inputs, eps: 1e-3, atol: 1e-4, rtol: 1e-3)
            : GradCheck.Run(op, inputs);
        Assert.True(result.Passed, $"{name}: {result}");
    }

    [Fact]
    public void GradCheckDetectsAWrongGradient()
    {
        // x·x computed as x·detach(x) has half the true gradient: the check must notice.
        var result = GradCheck.Run(x => x[0] * x[0].Detach(), [R(3)]);
        Assert.False(result.Passed);
    }

    [Fact]
    public void GradCheckReportsANaNGradientWhereverItIs()
    {
        // sqrt's gradient at a negative input is NaN in the unused branch of Where, so element 0 gets NaN.
        var x = Tensor.From(new double[] { -1, 2, 3 });
        var result = GradCheck.Run(t => Tensor.Where(t[0] > 0.0, t[0].Sqrt(), t[0]), [x]);
        Assert.False(result.Passed);
        Assert.Equal(0, result.Element);
    }

    [Fact]
    public void GradCheckRejectsFloat32Inputs()
    {
        var e = Assert.Throws<ArgumentException>(() => GradCheck.Run(x => x[0], [Tensor.Ones(2)]));
        Assert.Contains("float64", e.Message);
    }
}
