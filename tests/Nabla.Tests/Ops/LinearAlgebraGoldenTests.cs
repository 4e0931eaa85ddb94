using Nabla.Tests.Support;

namespace Nabla.Tests.Ops;

/// <summary>matmul (all rank combinations, broadcast batches, views), mm, bmm and outer against PyTorch (fixture: tools/golden/linalg.py).</summary>
public class LinearAlgebraGoldenTests
{
    const string Fixture = "linalg";

    static Tensor Mm(Tensor[] x) => x[0].MatMul(x[1]);

    static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["dot_1d_1d"] = Mm,
        ["mv_2d_1d"] = Mm,
        ["vm_1d_2d"] = Mm,
        ["mm_2d_2d"] = Mm,
        ["mm_tile_edges"] = Mm,
        ["vm_1d_3d"] = Mm,
        ["mv_3d_1d"] = Mm,
        ["batched_3d_3d"] = Mm,
        ["batched_3d_2d"] = Mm,
        ["batched_2d_3d"] = Mm,
        ["batched_4d_2d"] = Mm,
        ["batched_2d_4d"] = Mm,
        ["broadcast_batch_4d_3d"] = Mm,
        ["broadcast_batch_both_ones"] = Mm,
        ["many_small_products"] = Mm,
        ["mm_transposed_a"] = x => x[0].T().MatMul(x[1]),
        ["mm_transposed_b"] = x => x[0].MatMul(x[1].T()),
        ["mm_transposed_both"] = x => x[0].T().MatMul(x[1].T()),
        ["batched_transposed"] = x => x[0].Transpose(-1, -2).MatMul(x[1]),
        ["batched_permuted_batch"] = x => x[0].Permute(1, 0, 2).MatMul(x[1]),
        ["transposed_batched_2d"] = x => x[0].MatMul(x[1].T()),
        ["strided_both_dims"] = x => x[0].Slice(0, 0, 6, 2).Slice(1, 0, 8, 2).MatMul(x[1]),
        ["expanded_rows"] = x => x[0].Expand(3, 4).MatMul(x[1]),
        ["vector_from_column"] = x => x[0].Select(1, 1).MatMul(x[1]),
        ["mm_float64"] = Mm,
        ["mm_int64"] = Mm,
        ["batched_int64"] = Mm,
        ["empty_inner"] = Mm,
        ["empty_rows"] = Mm,
        ["empty_batch"] = Mm,
        ["mm"] = x => Tensor.Mm(x[0], x[1]),
        ["bmm"] = x => Tensor.Bmm(x[0], x[1]),
        ["bmm_transposed"] = x => Tensor.Bmm(x[0], x[1].Transpose(1, 2)),
        ["outer"] = x => Tensor.Outer(x[0], x[1]),
        ["outer_promotes"] = x => Tensor.Outer(x[0], x[1]),
        ["outer_noncontiguous"] = x => Tensor.Outer(x[0].Slice(0, 0, 6, 2), x[1]),
        ["chain_linear_layer"] = x => (x[0].MatMul(x[1].T()) + x[2]).Exp().Sum(-1),
    };

    public static IEnumerable<object[]> Cases => GoldenFixture.Names(Fixture);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name) => GoldenRunner.Check(GoldenFixture.Get(Fixture, name), Ops[name]);

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Ops.Keys);
}
