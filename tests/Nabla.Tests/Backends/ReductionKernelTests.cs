using Nabla.Tests.Support;

namespace Nabla.Tests.Backends;

/// <summary>
/// The vectorised reduction kernels against plain scalar loops, for every block length 0–256 (so each SIMD
/// width, remainder and the empty case are hit) and for strided views, in float32, float64 and int64.
/// </summary>
public class ReductionKernelTests
{
    static double[] Values(int n, int seed, double low, double high)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => low + (high - low) * rng.NextDouble()).ToArray();
    }

    static Tensor Make(double[] v, DType dtype, params int[] shape) => Tensor.From(v, shape).To(dtype);

    static double Lse(IEnumerable<double> v) { var m = v.Max(); return m + Math.Log(v.Sum(x => Math.Exp(x - m))); }

    static double Variance(double[] v, double correction) { var mean = v.Sum() / v.Length; return v.Sum(x => (x - mean) * (x - mean)) / Math.Max(0, v.Length - correction); }

    public static IEnumerable<object[]> Floating => [[DType.Float32], [DType.Float64]];

    [Theory]
    [MemberData(nameof(Floating))]
    [InlineData(DType.Int64)]
    public void MaxMinAndIndicesMatchScalarLoops(DType dtype)
    {
        for (int n = 1; n <= 256; n++)
        {
            // Integer-valued data so int64 sees the same values and ties occur.
            var v = Values(n, n, -40, 40).Select(a => Math.Round(a)).ToArray();
            var x = Make(v, dtype, n);
            Assert.Equal(v.Max(), x.Max().Item());
            Assert.Equal(v.Min(), x.Min().Item());
            Assert.Equal(Array.IndexOf(v, v.Max()), x.ArgMax().Item<long>());
            Assert.Equal(Array.IndexOf(v, v.Min()), x.ArgMin().Item<long>());
            var (values, indices) = x.Max(0);
            Assert.Equal(v.Max(), values.Item());
            Assert.Equal(Array.IndexOf(v, v.Max()), indices.Item<long>());
        }
    }

    [Theory]
    [MemberData(nameof(Floating))]
    public void ProdVarStdLogSumExpMatchScalarLoops(DType dtype)
    {
        for (int n = 0; n <= 256; n++)
        {
            var v = Values(n, 1000 + n, 0.9, 1.1);
            var x = Make(v, dtype, n);
            string at = $"n = {n}";
            TensorAssert.Close(Tensor.Scalar(v.Aggregate(1.0, (a, b) => a * b), dtype), x.Prod(), what: $"prod, {at}");
            var w = Values(n, 2000 + n, -3, 3);
            var xw = Make(w, dtype, n);
            TensorAssert.Close(Tensor.Scalar(Variance(w, 1), dtype), xw.Var(), what: $"var, {at}");
            TensorAssert.Close(Tensor.Scalar(Math.Sqrt(Variance(w, 0)), dtype), xw.Std(unbiased: false), what: $"std, {at}");
            TensorAssert.Close(Tensor.Scalar(n == 0 ? double.NegativeInfinity : Lse(w), dtype), xw.LogSumExp(0), what: $"logsumexp, {at}");
        }
    }

    [Theory]
    [MemberData(nameof(Floating))]
    public void StridedViewsMatchTheirDenseCopies(DType dtype)
    {
        // An odd-shaped 3-D tensor read through a permuted, sliced view: every kernel must give the same
        // answer as on a dense copy, for each dim and for several dims at once.
        var baseTensor = Make(Values(7 * 5 * 9, 7, -2, 2), dtype, 7, 5, 9);
        var view = baseTensor.Permute(2, 0, 1).Slice(0, 1, 8, 2);
        Assert.False(view.IsContiguous);
        var dense = view.Contiguous();
        for (int d = -3; d < 3; d++)
        {
            TensorAssert.Equal(dense.Max(d).Values, view.Max(d).Values, $"max dim {d}");
            TensorAssert.Equal(dense.Min(d, keepDim: true).Indices, view.Min(d, keepDim: true).Indices, $"min dim {d}");
            TensorAssert.Equal(dense.ArgMax(d), view.ArgMax(d), $"argmax dim {d}");
            TensorAssert.Equal(dense.Prod(d), view.Prod(d), $"prod dim {d}");
            TensorAssert.Equal(dense.LogSumExp(d), view.LogSumExp(d), $"logsumexp dim {d}");
        }
        TensorAssert.Equal(dense.Var([0, 2], keepDim: true), view.Var([0, 2], keepDim: true), "var dims 0, 2");
        TensorAssert.Equal(dense.Std([2, 1]), view.Std([2, 1]), "std dims 2, 1");
        TensorAssert.Equal(dense.ArgMin(), view.ArgMin(), "argmin all");
    }
}
