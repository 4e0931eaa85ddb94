using Nabla.Autograd;

namespace Nabla.Tests.Ops;

/// <summary>Float64 finite-difference checks of every differentiable reduction (inputs without ties).</summary>
public class ReductionGradCheckTests
{
    /// <summary>Distinct values in (-2, 2): a random permutation of evenly spaced points plus small jitter, so no ties.</summary>
    static Tensor Distinct(int seed, params int[] shape)
    {
        var rng = new System.Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        var values = Enumerable.Range(0, n).Select(i => -2 + 4.0 * (i + 0.5) / n + (rng.NextDouble() - 0.5) * 0.5 / n)
            .OrderBy(_ => rng.Next()).ToArray();
        return Tensor.From(values, shape);
    }

    static void Check(Func<Tensor, Tensor> f, Tensor x) => GradCheck.Assert(xs => f(xs[0]), x);

    [Fact] public void MaxAll() => Check(x => x.Max(), Distinct(1, 3, 4));
    [Fact] public void MinAll() => Check(x => x.Min(), Distinct(2, 3, 4));
    [Fact] public void MaxDim() => Check(x => x.Max(1).Values, Distinct(3, 3, 4, 2));
    [Fact] public void MaxDimNegativeKeepDim() => Check(x => x.Max(-1, keepDim: true).Values, Distinct(4, 3, 4));
    [Fact] public void MinDim() => Check(x => x.Min(0).Values, Distinct(5, 4, 3));
    [Fact] public void MinDimNonContiguous() => Check(x => x.T().Min(1, keepDim: true).Values, Distinct(6, 4, 3));

    [Fact] public void ProdAll() => Check(x => x.Prod(), Distinct(7, 2, 3));
    [Fact] public void ProdDim() => Check(x => x.Prod(1), Distinct(8, 3, 4));
    [Fact] public void ProdDimKeepDimNonContiguous() => Check(x => x.T().Prod(-1, keepDim: true), Distinct(9, 4, 3));

    [Fact]
    public void ProdWithOneZero()
    {
        var x = Distinct(10, 3, 4);
        x.Select(0, 2).Select(0, 1).FillInPlace(0);  // one zero, in row 2
        Check(t => t.Prod(1), x);
        Check(t => t.Prod(), x);
    }

    [Fact]
    public void ProdWithTwoZeros()
    {
        var x = Distinct(11, 2, 4);
        x.Select(1, 0).FillInPlace(0);  // columns 0 and 3: two zeros in every row
        x.Select(1, 3).FillInPlace(0);
        Check(t => t.Prod(1), x);
    }

    [Fact] public void VarAll() => Check(x => x.Var(), Distinct(12, 3, 4));
    [Fact] public void VarDimBiased() => Check(x => x.Var(1, unbiased: false), Distinct(13, 3, 4));
    [Fact] public void VarDimsKeepDim() => Check(x => x.Var([0, -1], keepDim: true), Distinct(14, 3, 2, 4));
    [Fact] public void VarCorrection() => Check(x => x.Var([1], correction: 2), Distinct(15, 2, 5));
    [Fact] public void StdAll() => Check(x => x.Std(), Distinct(16, 3, 4));
    [Fact] public void StdDimKeepDim() => Check(x => x.Std(-2, keepDim: true), Distinct(17, 3, 4, 2));
    [Fact] public void StdDimsCorrectionNonContiguous() => Check(x => x.Permute(2, 0, 1).Std([0, 2], correction: 0), Distinct(18, 3, 2, 4));

    [Fact] public void LogSumExpDim() => Check(x => x.LogSumExp(1), Distinct(19, 3, 4));
    [Fact] public void LogSumExpDimsKeepDim() => Check(x => x.LogSumExp([0, 2], keepDim: true), Distinct(20, 2, 3, 4));
    [Fact] public void LogSumExpLargeValues() => Check(x => (x * 400.0).LogSumExp(-1), Distinct(21, 3, 5));
    [Fact] public void LogSumExpNonContiguous() => Check(x => x.T().LogSumExp(0), Distinct(22, 4, 3));
}
