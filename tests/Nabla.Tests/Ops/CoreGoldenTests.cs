using Nabla.Tests.Support;

namespace Nabla.Tests.Ops;

/// <summary>Arithmetic, views and sum/mean against PyTorch (fixture: tools/golden/core.py).</summary>
public class CoreGoldenTests
{
    const string Fixture = "core";

    static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["add"] = x => x[0] + x[1],
        ["add_broadcast"] = x => x[0] + x[1],
        ["add_scalar"] = x => x[0] + 2.5,
        ["add_noncontiguous"] = x => x[0].T() + x[1],
        ["sub_broadcast"] = x => x[0] - x[1],
        ["rsub_scalar"] = x => 1.5 - x[0],
        ["mul_broadcast"] = x => x[0] * x[1],
        ["mul_noncontiguous"] = x => x[0].Permute(2, 0, 1) * x[1],
        ["div"] = x => x[0] / x[1],
        ["div_broadcast"] = x => x[0] / x[1],
        ["rdiv_scalar"] = x => 2.0 / x[0],
        ["neg"] = x => -x[0],
        ["exp"] = x => x[0].Exp(),
        ["log"] = x => x[0].Log(),
        ["exp_float64"] = x => x[0].Exp(),
        ["add_int_float_promotes"] = x => x[0] + x[1],
        ["sum_all"] = x => x[0].Sum(),
        ["sum_dim"] = x => x[0].Sum(1),
        ["sum_dims_keepdim"] = x => x[0].Sum([0, 2], keepDim: true),
        ["sum_leading"] = x => x[0].Sum(0),
        ["sum_noncontiguous"] = x => x[0].T().Sum(1),
        ["sum_int"] = x => x[0].Sum(0),
        ["mean_all"] = x => x[0].Mean(),
        ["mean_dim_keepdim"] = x => x[0].Mean(-1, keepDim: true),
        ["reshape"] = x => x[0].Reshape(4, -1) * 1.0,
        ["reshape_noncontiguous"] = x => x[0].T().Reshape(-1),
        ["permute"] = x => x[0].Permute(2, 0, 1),
        ["transpose"] = x => x[0].Transpose(0, 2),
        ["expand"] = x => x[0].Expand(3, 2, 4),
        ["squeeze_unsqueeze"] = x => x[0].Squeeze(1).Unsqueeze(0),
        ["slice_step"] = x => x[0].Slice(1, 1, 7, 2),
        ["slice_negative"] = x => x[0].Slice(0, -3, int.MaxValue).Slice(1, 0, -1),
        ["narrow"] = x => x[0].Narrow(1, 1, 2),
        ["select"] = x => x[0].Select(1, 2),
        ["flatten"] = x => x[0].Flatten(1),
        ["contiguous_of_view"] = x => x[0].T().Contiguous(),
        ["chain_rule"] = x => ((x[0] * x[1]).Exp() + x[0] / (x[1] * x[1] + 1.0)).Sum(0),
        ["to_float64"] = x => x[0].Double() * 2.0,
    };

    public static IEnumerable<object[]> Cases => GoldenFixture.Names(Fixture);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name) => GoldenRunner.Check(GoldenFixture.Get(Fixture, name), Ops[name]);

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Ops.Keys);
}
