using Nabla.Tests.Support;

namespace Nabla.Tests.Ops;

/// <summary>Cat/stack, split/chunk, flip, gather/scatter, index_select/index_add and one_hot against PyTorch (fixture: tools/golden/indexing.py).</summary>
public class IndexingGoldenTests
{
    const string Fixture = "indexing";

    static Tensor Weighted(Tensor[] parts, int dim)
    {
        var scaled = new Tensor[parts.Length];
        for (int i = 0; i < parts.Length; i++) scaled[i] = parts[i] * (double)(i + 1);
        return Tensor.Cat(scaled, dim);
    }

    static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["cat_dim0"] = x => Tensor.Cat([x[0], x[1]], 0),
        ["cat_three_dim1"] = x => Tensor.Cat([x[0], x[1], x[2]], 1),
        ["cat_negative_dim"] = x => Tensor.Cat([x[0], x[1]], -1),
        ["cat_noncontiguous"] = x => Tensor.Cat([x[0].T(), x[1]], 0),
        ["cat_promotes"] = x => Tensor.Cat([x[0], x[1]], 1),
        ["cat_int64"] = x => Tensor.Cat([x[0], x[1]], 0),
        ["cat_skips_legacy_empty"] = x => Tensor.Cat([x[0], x[1]], 1),
        ["stack_dim0"] = x => Tensor.Stack([x[0], x[1], x[2]], 0),
        ["stack_negative_dim"] = x => Tensor.Stack([x[0], x[1]], -1),
        ["stack_noncontiguous"] = x => Tensor.Stack([x[0].T(), x[1]], 1),

        ["split_last_part"] = x => x[0].Split(2, -1)[^1],
        ["split_sizes_part"] = x => x[0].Split([1, 3, 2], 0)[1],
        ["split_weighted"] = x => Weighted(x[0].Split(2, 1), 1),
        ["chunk_weighted"] = x => Weighted(x[0].Chunk(3, 0), 0),
        ["chunk_noncontiguous"] = x => x[0].T().Chunk(2, 1)[1],

        ["flip_one"] = x => x[0].Flip(1),
        ["flip_many_negative"] = x => x[0].Flip(0, -1),
        ["flip_noncontiguous"] = x => x[0].Permute(2, 0, 1).Flip(1),
        ["flip_int64"] = x => x[0].Flip(0),

        ["gather_dim0"] = x => x[0].Gather(0, x[1]),
        ["gather_dim1_smaller_index"] = x => x[0].Gather(1, x[1]),
        ["gather_negative_dim"] = x => x[0].Gather(-1, x[1]),
        ["gather_noncontiguous_input"] = x => x[0].T().Gather(1, x[1]),
        ["gather_noncontiguous_index"] = x => x[0].Gather(0, x[1].T()),
        ["gather_repeated"] = x => x[0].Gather(1, x[1]),
        ["gather_float64"] = x => x[0].Gather(1, x[1]),
        ["gather_int64"] = x => x[0].Gather(0, x[1]),

        ["scatter_dim0"] = x => x[0].Scatter(0, x[1], x[2]),
        ["scatter_dim1_smaller_index"] = x => x[0].Scatter(1, x[1], x[2]),
        ["scatter_negative_dim_noncontiguous"] = x => x[0].T().Scatter(-1, x[1], x[2].T()),
        ["scatter_value"] = x => x[0].Scatter(1, x[1], 2.5),
        ["scatter_float64"] = x => x[0].Scatter(0, x[1], x[2]),
        ["scatter_int64"] = x => x[0].Scatter(0, x[1], x[2]),

        ["scatter_add_repeated"] = x => x[0].ScatterAdd(0, x[1], x[2]),
        ["scatter_add_dim1"] = x => x[0].ScatterAdd(1, x[1], x[2]),
        ["scatter_add_noncontiguous"] = x => x[0].ScatterAdd(-2, x[1], x[2].T()),
        ["scatter_add_float64"] = x => x[0].ScatterAdd(2, x[1], x[2]),
        ["scatter_add_int64"] = x => x[0].ScatterAdd(0, x[1], x[2]),

        ["index_select_dim0"] = x => x[0].IndexSelect(0, x[1]),
        ["index_select_repeated"] = x => x[0].IndexSelect(1, x[1]),
        ["index_select_negative_dim"] = x => x[0].IndexSelect(-1, x[1]),
        ["index_select_noncontiguous"] = x => x[0].T().IndexSelect(0, x[1]),
        ["index_select_float64"] = x => x[0].IndexSelect(0, x[1]),
        ["index_select_int64"] = x => x[0].IndexSelect(1, x[1]),
        ["index_add_repeated"] = x => x[0].IndexAdd(1, x[1], x[2]),
        ["index_add_float64"] = x => x[0].IndexAdd(0, x[1], x[2]),

        ["one_hot"] = x => Tensor.OneHot(x[0], 5),
        ["one_hot_infer"] = x => Tensor.OneHot(x[0]),
    };

    public static IEnumerable<object[]> Cases => GoldenFixture.Names(Fixture);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name) => GoldenRunner.Check(GoldenFixture.Get(Fixture, name), Ops[name]);

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Ops.Keys);
}
