using System.Text.Json;
using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>
/// The module trees of tools/golden/modules.py rebuilt from the test modules: repr strings, names, orders,
/// parameter counts and (for "chain") a PyTorch state dict loaded and run must match PyTorch exactly.
/// </summary>
public class ModuleGoldenTests
{
    static readonly Dictionary<string, Func<Module>> Builders = new()
    {
        ["chain"] = () => new Sequential(new Affine(4), new Block(4), new Wrapper(new Normalize(4)), new Exp(), new Affine(4, bias: false)),
        ["containers"] = () => new Sequential(
            new ModuleDict(("right", new Affine(3)), ("left", new ModuleList(new Normalize(3), new Sequential()))),
            new ModuleList(),
            new Affine(3, bias: false)),
        ["named_sequential"] = () => new Sequential(("encoder", new Block(2)), ("head", new Wrapper(new Wrapper(new Affine(2))))),
        ["shared"] = () =>
        {
            var leaf = new Affine(2);
            var tied = new Affine(2);
            var model = new Sequential(leaf, tied, leaf);
            tied.TieWeight(leaf.Weight);
            return model;
        },
    };

    static readonly Lazy<Dictionary<string, JsonElement>> Structures = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "modules.json");
        var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("structures").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s);
    });

    public static IEnumerable<object[]> Names() => Structures.Value.Keys.Select(k => new object[] { k });

    [Fact]
    public void EveryStructureHasATwin() =>
        Assert.Equal(Structures.Value.Keys.Order(), Builders.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void ReprMatchesPyTorch(string name) =>
        Assert.Equal(Structures.Value[name].GetProperty("repr").GetString(), Builders[name]().ToString());

    [Theory]
    [MemberData(nameof(Names))]
    public void NamesAndOrderMatchPyTorch(string name)
    {
        var s = Structures.Value[name];
        var model = Builders[name]();
        Assert.Equal(NamesWithShapes(s, "named_parameters"), model.NamedParameters().Select(p => p.Name + " " + Fmt(p.Tensor.Shape)));
        Assert.Equal(NamesWithShapes(s, "named_buffers"), model.NamedBuffers().Select(b => b.Name + " " + Fmt(b.Tensor.Shape)));
        Assert.Equal(Pairs(s, "named_modules"), model.NamedModules().Select(m => m.Name + " " + m.Module.TypeName));
        Assert.Equal(Pairs(s, "named_children"), model.NamedChildren().Select(m => m.Name + " " + m.Module.TypeName));
        var expectedState = s.GetProperty("state_dict").EnumerateArray()
            .Select(e => $"{e[0].GetString()} {Fmt(e[1])} {e[2].GetString()}");
        Assert.Equal(expectedState, model.StateDict().Select(kv => $"{kv.Key} {Fmt(kv.Value.Shape)} {kv.Value.DType.TorchName()}"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ParameterCountsMatchPyTorch(string name)
    {
        var s = Structures.Value[name];
        var model = Builders[name]();
        Assert.Equal(s.GetProperty("num_parameters").GetInt64(), model.NumParameters());
        Assert.Equal(model.NumParameters(), model.NumParameters(trainableOnly: true));
        model.GetSubmodule(s.GetProperty("freeze").GetString()!).RequiresGrad(false);
        Assert.Equal(s.GetProperty("num_trainable").GetInt64(), model.NumParameters(trainableOnly: true));
        Assert.Equal(s.GetProperty("num_parameters").GetInt64(), model.NumParameters());
    }

    [Fact]
    public void PyTorchStateDictLoadsAndRunsTheSame()
    {
        var s = Structures.Value["chain"];
        var model = Builders["chain"]();
        var state = new Dictionary<string, Tensor>();
        foreach (var e in s.GetProperty("state_values").EnumerateArray())
            state[e[0].GetString()!] = GoldenFixture.ReadTensor(e[1]);
        var result = model.LoadStateDict(state);
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);

        var input = GoldenFixture.ReadTensor(s.GetProperty("input"));
        var expected = GoldenFixture.ReadTensor(s.GetProperty("output"));
        TensorAssert.Close(expected, model.Forward(input), 1e-5, 1e-5, "chain output");
        Assert.Equal(7L, model.GetBuffer("1.norm.num_batches_tracked").Item<long>());
    }

    static IEnumerable<string> NamesWithShapes(JsonElement s, string property) =>
        s.GetProperty(property).EnumerateArray().Select(e => e[0].GetString() + " " + Fmt(e[1]));

    static IEnumerable<string> Pairs(JsonElement s, string property) =>
        s.GetProperty(property).EnumerateArray().Select(e => e[0].GetString() + " " + e[1].GetString());

    static string Fmt(JsonElement shape) => Fmt(shape.EnumerateArray().Select(d => d.GetInt32()).ToArray());

    static string Fmt(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
