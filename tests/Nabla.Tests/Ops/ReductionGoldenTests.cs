using Nabla.Tests.Support;

namespace Nabla.Tests.Ops;

/// <summary>Max/min, argmax/argmin, prod, var/std and logsumexp against PyTorch (fixture: tools/golden/reductions.py).</summary>
public class ReductionGoldenTests
{
    const string Fixture = "reductions";

    static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["max_all"] = x => x[0].Max(),
        ["min_all"] = x => x[0].Min(),
        ["max_all_float64"] = x => x[0].Max(),
        ["min_all_float64"] = x => x[0].Min(),
        ["max_all_ties"] = x => x[0].Max(),
        ["min_all_ties"] = x => x[0].Min(),
        ["max_all_noncontiguous"] = x => x[0].T().Slice(0, 1, int.MaxValue).Max(),
        ["max_all_int"] = x => x[0].Max(),
        ["min_all_int"] = x => x[0].Min(),
        ["max_all_scalar"] = x => x[0].Max(),

        ["argmax_all"] = x => x[0].ArgMax(),
        ["argmin_all"] = x => x[0].ArgMin(),
        ["argmax_all_keepdim"] = x => x[0].ArgMax(keepDim: true),
        ["argmax_all_noncontiguous"] = x => x[0].T().ArgMax(),
        ["argmax_all_ties"] = x => x[0].ArgMax(),
        ["argmax_dim"] = x => x[0].ArgMax(1),
        ["argmax_dim_negative_keepdim"] = x => x[0].ArgMax(-1, keepDim: true),
        ["argmin_dim"] = x => x[0].ArgMin(0),
        ["argmin_dim_noncontiguous"] = x => x[0].Permute(1, 0, 2).ArgMin(2),
        ["argmax_int"] = x => x[0].ArgMax(),
        ["argmax_dim_int"] = x => x[0].ArgMax(0),
        ["argmin_dim_ties"] = x => x[0].ArgMin(1),

        ["prod_all"] = x => x[0].Prod(),
        ["prod_dim"] = x => x[0].Prod(1),
        ["prod_dim_negative_keepdim"] = x => x[0].Prod(-1, keepDim: true),
        ["prod_dim0_float64"] = x => x[0].Prod(0),
        ["prod_noncontiguous"] = x => x[0].T().Prod(0),
        ["prod_all_one_zero"] = x => x[0].Prod(),
        ["prod_all_two_zeros"] = x => x[0].Prod(),
        ["prod_dim_zeros"] = x => x[0].Prod(1),
        ["prod_dim_keepdim_zeros"] = x => x[0].Prod(0, keepDim: true),
        ["prod_int"] = x => x[0].Prod(),
        ["prod_dim_int"] = x => x[0].Prod(1),
        ["prod_bool"] = x => x[0].Prod(0),
        ["sum_all_int"] = x => x[0].Sum(),

        ["var_all"] = x => x[0].Var(),
        ["var_all_biased"] = x => x[0].Var(unbiased: false),
        ["var_dim"] = x => x[0].Var(1),
        ["var_dim_negative_keepdim"] = x => x[0].Var(-1, keepDim: true),
        ["var_dims_keepdim"] = x => x[0].Var([0, 2], keepDim: true),
        ["var_dims_biased"] = x => x[0].Var([-1, 0], unbiased: false),
        ["var_correction"] = x => x[0].Var([1], correction: 2),
        ["var_float64"] = x => x[0].Var(0),
        ["var_noncontiguous"] = x => x[0].Permute(2, 0, 1).Var(1),
        ["std_all"] = x => x[0].Std(),
        ["std_all_biased"] = x => x[0].Std(unbiased: false),
        ["std_dim"] = x => x[0].Std(0),
        ["std_dim_negative_keepdim"] = x => x[0].Std(-2, keepDim: true),
        ["std_dims_correction"] = x => x[0].Std([0, 1], correction: 0, keepDim: true),
        ["std_float64"] = x => x[0].Std(1),
        ["std_noncontiguous"] = x => x[0].T().Std(1),

        ["logsumexp_dim"] = x => x[0].LogSumExp(1),
        ["logsumexp_dim_negative_keepdim"] = x => x[0].LogSumExp(-1, keepDim: true),
        ["logsumexp_dims"] = x => x[0].LogSumExp([0, 2]),
        ["logsumexp_dims_keepdim"] = x => x[0].LogSumExp([-1, 1], keepDim: true),
        ["logsumexp_large"] = x => x[0].LogSumExp(1),
        ["logsumexp_float64"] = x => x[0].LogSumExp(0),
        ["logsumexp_noncontiguous"] = x => x[0].T().LogSumExp(0),
        ["logsumexp_int"] = x => x[0].LogSumExp(1),
    };

    /// <summary>Ops returning (values, indices): each is recorded as NAME_values and NAME_indices.</summary>
    static readonly Dictionary<string, Func<Tensor, (Tensor Values, Tensor Indices)>> Pairs = new()
    {
        ["max_dim"] = x => x.Max(1),
        ["max_dim_keepdim"] = x => x.Max(-1, keepDim: true),
        ["max_dim0"] = x => x.Max(0),
        ["min_dim"] = x => x.Min(2),
        ["min_dim_negative_keepdim"] = x => x.Min(-2, keepDim: true),
        ["max_dim_float64"] = x => x.Max(0),
        ["max_dim_noncontiguous"] = x => x.Permute(2, 0, 1).Max(1),
        ["min_dim_noncontiguous"] = x => x.T().Min(-1, keepDim: true),
        ["max_dim_ties"] = x => x.Max(1),
        ["min_dim_ties"] = x => x.Min(0, keepDim: true),
        ["max_dim_int"] = x => x.Max(1),
        ["min_dim_int"] = x => x.Min(0),
        ["max_dim_scalar"] = x => x.Max(0),
        ["max_dim_empty_other"] = x => x.Max(1),
    };

    static Func<Tensor[], Tensor> Resolve(string name)
    {
        if (Ops.TryGetValue(name, out var op)) return op;
        if (name.EndsWith("_values")) return x => Pairs[name[..^"_values".Length]](x[0]).Values;
        return x => Pairs[name[..^"_indices".Length]](x[0]).Indices;
    }

    static IEnumerable<string> AllNames =>
        Ops.Keys.Concat(Pairs.Keys.SelectMany(k => new[] { k + "_values", k + "_indices" }));

    public static IEnumerable<object[]> Cases => GoldenFixture.Names(Fixture);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name) => GoldenRunner.Check(GoldenFixture.Get(Fixture, name), Resolve(name));

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, AllNames);
}
