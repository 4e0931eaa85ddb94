using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>
/// Linear, Bilinear, Embedding, Dropout, the shape layers and weight norm against PyTorch
/// (fixture: tools/golden/layers_dense.py), each case twice: through Functional and through the module.
/// </summary>
public class DenseLayerGoldenTests
{
    const string Fixture = "layers_dense";

    static readonly Dictionary<string, Func<Tensor[], Tensor>> Functions = new()
    {
        ["linear_1d"] = x => Functional.Linear(x[0], x[1], x[2]),
        ["linear_2d"] = x => Functional.Linear(x[0], x[1], x[2]),
        ["linear_3d"] = x => Functional.Linear(x[0], x[1], x[2]),
        ["linear_no_bias"] = x => Functional.Linear(x[0], x[1]),
        ["linear_batch1"] = x => Functional.Linear(x[0], x[1], x[2]),
        ["linear_wide"] = x => Functional.Linear(x[0], x[1], x[2]),
        ["linear_float64"] = x => Functional.Linear(x[0], x[1], x[2]),
        ["linear_noncontiguous"] = x => Functional.Linear(x[0].T(), x[1], x[2]),
        ["linear_transposed_weight"] = x => Functional.Linear(x[0], x[1].T(), x[2]),
        ["bilinear"] = x => Functional.Bilinear(x[0], x[1], x[2], x[3]),
        ["bilinear_3d_no_bias"] = x => Functional.Bilinear(x[0], x[1], x[2]),
        ["bilinear_1d"] = x => Functional.Bilinear(x[0], x[1], x[2], x[3]),
        ["bilinear_batch1"] = x => Functional.Bilinear(x[0], x[1], x[2], x[3]),
        ["embedding"] = x => Functional.Embedding(x[0], x[1]),
        ["embedding_padding"] = x => Functional.Embedding(x[0], x[1], paddingIdx: 0),
        ["embedding_padding_negative"] = x => Functional.Embedding(x[0], x[1], paddingIdx: -1),
        ["embedding_scalar_index"] = x => Functional.Embedding(x[0], x[1]),
        ["embedding_3d_index"] = x => Functional.Embedding(x[0], x[1]),
        ["dropout_eval"] = x => Functional.Dropout(x[0], 0.5, training: false),
        ["dropout_train_p0"] = x => Functional.Dropout(x[0], 0.0, training: true),
        ["dropout_train_p1"] = x => Functional.Dropout(x[0], 1.0, training: true),
        ["identity"] = x => new Identity().Forward(x[0]),
        ["flatten_default"] = x => x[0].Flatten(1),
        ["flatten_range"] = x => x[0].Flatten(0, 2),
        ["unflatten"] = x => x[0].Reshape(2, 3, 4),
        ["weight_norm"] = x => Functional.Linear(x[0], WeightNorm.Compute(x[2], x[1], 0), x[3]),
        ["weight_norm_dim1"] = x => Functional.Linear(x[0], WeightNorm.Compute(x[2], x[1], 1), x[3]),
        ["weight_norm_dim_none"] = x => Functional.Linear(x[0], WeightNorm.Compute(x[2], x[1], null), x[3]),
    };

    /// <summary>The module twin of each case: a module, the names its parameters are loaded under, and how to call it.</summary>
    static readonly Dictionary<string, Func<(Module Module, string[] Parameters, Func<Tensor[], Tensor> Forward)>> Modules = new()
    {
        ["linear_1d"] = () => Dense(new Linear(4, 3)),
        ["linear_2d"] = () => Dense(new Linear(4, 3)),
        ["linear_3d"] = () => Dense(new Linear(4, 3)),
        ["linear_no_bias"] = () => Dense(new Linear(4, 3, bias: false), "weight"),
        ["linear_batch1"] = () => Dense(new Linear(4, 3)),
        ["linear_wide"] = () => Dense(new Linear(33, 17)),
        ["linear_float64"] = () => Dense(new Linear(4, 2, dtype: DType.Float64)),
        ["linear_noncontiguous"] = () =>
        {
            var m = new Linear(4, 3);
            return (m, ["weight", "bias"], x => m.Forward(x[0].T()));
        },
        ["bilinear"] = () => Pair(new Bilinear(3, 4, 2)),
        ["bilinear_3d_no_bias"] = () => Pair(new Bilinear(3, 4, 2, bias: false), "weight"),
        ["bilinear_1d"] = () => Pair(new Bilinear(3, 4, 2)),
        ["bilinear_batch1"] = () => Pair(new Bilinear(3, 4, 2)),
        ["embedding"] = () => Dense(new Embedding(10, 3), "weight"),
        ["embedding_padding"] = () => Dense(new Embedding(10, 3, paddingIdx: 0), "weight"),
        ["embedding_padding_negative"] = () => Dense(new Embedding(10, 3, paddingIdx: -1), "weight"),
        ["embedding_scalar_index"] = () => Dense(new Embedding(10, 3), "weight"),
        ["embedding_3d_index"] = () => Dense(new Embedding(10, 3), "weight"),
        ["dropout_eval"] = () => Dense(new Dropout(0.5).Eval()),
        ["dropout_train_p0"] = () => Dense(new Dropout(0.0)),
        ["dropout_train_p1"] = () => Dense(new Dropout(1.0)),
        ["identity"] = () => Dense(new Identity()),
        ["flatten_default"] = () => Dense(new Flatten()),
        ["flatten_range"] = () => Dense(new Flatten(0, 2)),
        ["unflatten"] = () => Dense(new Unflatten(1, 3, -1)),
        ["weight_norm"] = () => Dense(WeightNorm.Apply(new Linear(4, 3)), "weight_g", "weight_v", "bias"),
        ["weight_norm_dim1"] = () => Dense(WeightNorm.Apply(new Linear(4, 3), dim: 1), "weight_g", "weight_v", "bias"),
        ["weight_norm_dim_none"] = () => Dense(WeightNorm.Apply(new Linear(4, 3), dim: null), "weight_g", "weight_v", "bias"),
    };

    /// <summary>Cases about a functional argument no module takes (a module owns its weight, so it is never a view).</summary>
    static readonly string[] FunctionalOnly = ["linear_transposed_weight"];

    static (Module, string[], Func<Tensor[], Tensor>) Dense(Module m, params string[] names) =>
        (m, names.Length > 0 || m.StateDict().Count == 0 ? names : ["weight", "bias"], x => m.Forward(x[0]));

    static (Module, string[], Func<Tensor[], Tensor>) Pair(Bilinear m, params string[] names) =>
        (m, names.Length > 0 ? names : ["weight", "bias"], x => m.Forward(x[0], x[1]));

    public static IEnumerable<object[]> Cases => GoldenFixture.Names(Fixture);

    [Theory]
    [MemberData(nameof(Cases))]
    public void FunctionalMatchesPyTorch(string name) => GoldenRunner.Check(GoldenFixture.Get(Fixture, name), Functions[name]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ModuleMatchesPyTorch(string name)
    {
        if (FunctionalOnly.Contains(name)) return;
        var (module, parameters, forward) = Modules[name]();
        DenseLayerGoldenRunner.Check(GoldenFixture.Get(Fixture, name), module, parameters, forward);
    }

    [Fact]
    public void EveryCaseHasAFunctionalTwin() => GoldenRunner.CheckCoverage(Fixture, Functions.Keys);

    [Fact]
    public void EveryCaseHasAModuleTwin()
    {
        Assert.Empty(Modules.Keys.Intersect(FunctionalOnly));
        GoldenRunner.CheckCoverage(Fixture, Modules.Keys.Concat(FunctionalOnly));
    }
}
