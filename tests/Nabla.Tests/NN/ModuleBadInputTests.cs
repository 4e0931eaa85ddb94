using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>Wrong names, wrong tensors and wrong state dicts answer with exceptions that say what and where.</summary>
public class ModuleBadInputTests
{
    static TException ThrowsNaming<TException>(Action act, params string[] fragments) where TException : Exception
    {
        var e = Assert.ThrowsAny<TException>(act);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
        return e;
    }

    // Ordered, so that the order of unexpected keys in the message is known.
    static OrderedDictionary<string, Tensor> StateOf(Module m) =>
        new(m.StateDict().Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Clone())));

    [Fact]
    public void StrictLoadListsEveryProblemAtOnce()
    {
        var model = new Sequential(new Affine(3), new Normalize(3));
        var state = StateOf(model);
        state.Remove("0.bias");
        state.Remove("1.running_mean");
        state["0.weight"] = Tensor.Zeros(4);
        state["1.num_batches_tracked"] = Tensor.Zeros([2, 1], DType.Int64);
        state["2.weight"] = Tensor.Zeros(3);
        state["1.gamma"] = Tensor.Zeros(3);

        var e = ThrowsNaming<StateDictException>(() => model.LoadStateDict(state),
            "load_state_dict", "Sequential",
            "missing keys (2): \"0.bias\", \"1.running_mean\"",
            "unexpected keys (2): \"2.weight\", \"1.gamma\"",
            "size mismatch for \"0.weight\": the checkpoint has shape [4], the model has shape [3]",
            "size mismatch for \"1.num_batches_tracked\": the checkpoint has shape [2, 1], the model has shape []");
        Assert.Equal(["0.bias", "1.running_mean"], e.MissingKeys);
        Assert.Equal(["2.weight", "1.gamma"], e.UnexpectedKeys);
        Assert.Equal(["0.weight", "1.num_batches_tracked"], e.ShapeMismatches.Select(m => m.Key));
        Assert.Equal("Sequential", e.ModuleType);
    }

    [Fact]
    public void AFailedLoadChangesNothing()
    {
        var model = new Sequential(new Affine(2), new Affine(2));
        var before = StateOf(model);
        var state = StateOf(model);
        foreach (var t in state.Values) t.FillInPlace(42);
        state["1.bias"] = Tensor.Zeros(5);
        Assert.Throws<StateDictException>(() => model.LoadStateDict(state));
        foreach (var (key, value) in before)
            Assert.Equal(value.ToArray<float>(), model.StateDict()[key].ToArray<float>());
    }

    [Fact]
    public void NonStrictLoadStillRejectsShapeMismatches()
    {
        var model = new Affine(2);
        var e = ThrowsNaming<StateDictException>(
            () => model.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Tensor.Zeros(2, 2), ["other"] = Tensor.Zeros(1) }, strict: false),
            "Affine", "size mismatch for \"weight\"", "[2, 2]", "[2]");
        Assert.Empty(e.MissingKeys);
        Assert.Empty(e.UnexpectedKeys);
        Assert.DoesNotContain("missing", e.Message);
    }

    [Fact]
    public void StrictLoadWithOnlyMissingKeys() =>
        ThrowsNaming<StateDictException>(() => new Affine(2).LoadStateDict(new Dictionary<string, Tensor>()),
            "Affine", "missing keys (2): \"weight\", \"bias\"");

    [Fact]
    public void NullStateDictValue() =>
        ThrowsNaming<ArgumentException>(() => new Affine(2).LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = null!, ["bias"] = Tensor.Zeros(2) }),
            "load_state_dict", "'weight'", "null", "Affine");

    [Fact]
    public void NullStateDict() =>
        Assert.Throws<ArgumentNullException>(() => new Affine(2).LoadStateDict(null!));

    [Fact]
    public void NonLeafParameter()
    {
        var x = Tensor.Ones(2, 3).RequiresGrad_();
        ThrowsNaming<ArgumentException>(() => new Exp().RegisterParameter("weight", x * 2.0),
            "register_parameter", "'weight'", "Exp", "leaf", "[2, 3]", "Detach");
    }

    [Fact]
    public void IntegerParameterThatRequiresGrad() =>
        ThrowsNaming<ArgumentException>(() => new Exp().RegisterParameter("index", Tensor.Zeros([4], DType.Int64)),
            "register_parameter", "'index'", "Exp", "int64", "[4]", "floating");

    [Fact]
    public void ParameterCreateFromIntegers() =>
        ThrowsNaming<ArgumentException>(() => Parameter.Create(Tensor.Zeros([2], DType.Bool)), "parameter", "bool", "[2]");

    [Theory]
    [InlineData("", "cannot be empty")]
    [InlineData("a.b", "'a.b'", "cannot contain '.'")]
    public void BadNames(string name, params string[] fragments)
    {
        ThrowsNaming<ArgumentException>(() => new Exp().RegisterParameter(name, Tensor.Zeros(1)), ["register_parameter", "Exp", .. fragments]);
        ThrowsNaming<ArgumentException>(() => new Exp().RegisterBuffer(name, Tensor.Zeros(1)), ["register_buffer", "Exp", .. fragments]);
        ThrowsNaming<ArgumentException>(() => new Exp().RegisterModule(name, new Exp()), ["register_module", "Exp", .. fragments]);
        ThrowsNaming<ArgumentException>(() => new ModuleDict().Add(name, new Exp()), [.. fragments]);
    }

    [Fact]
    public void NullNameOrModule()
    {
        Assert.Throws<ArgumentNullException>(() => new Exp().RegisterParameter(null!, Tensor.Zeros(1)));
        Assert.Throws<ArgumentNullException>(() => new Exp().RegisterModule<Module>("m", null!));
        Assert.Throws<ArgumentNullException>(() => new Sequential().Add(null!));
        Assert.Throws<ArgumentNullException>(() => new Exp().Apply(null!));
    }

    [Fact]
    public void ANameBelongsToOneKind()
    {
        var m = new Normalize(2);
        ThrowsNaming<ArgumentException>(() => m.RegisterParameter("running_mean", Tensor.Zeros(2)),
            "register_parameter", "'running_mean'", "Normalize", "already has a buffer");
        ThrowsNaming<ArgumentException>(() => m.RegisterBuffer("scale", Tensor.Zeros(2)),
            "register_buffer", "'scale'", "already has a parameter");
        var w = new Wrapper(new Exp());
        ThrowsNaming<ArgumentException>(() => w.RegisterParameter("inner", Tensor.Zeros(2)), "'inner'", "already has a child module");
        ThrowsNaming<ArgumentException>(() => m.RegisterModule("scale", new Exp()), "register_module", "'scale'", "already has a parameter");
    }

    [Fact]
    public void CyclesAreRejected()
    {
        var inner = new Sequential();
        var outer = new Sequential(new Wrapper(inner));
        ThrowsNaming<ArgumentException>(() => inner.Add(outer), "register_module", "cycle");
        ThrowsNaming<ArgumentException>(() => inner.Add(inner), "cycle");
        Assert.Empty(inner);
    }

    [Fact]
    public void SequentialIndexOutOfRange()
    {
        var s = new Sequential(new Exp(), new Exp());
        ThrowsNaming<IndexOutOfRangeException>(() => _ = s[2], "Sequential", "index 2", "2 modules");
        ThrowsNaming<IndexOutOfRangeException>(() => s[-3] = new Exp(), "Sequential", "index -3");
    }

    [Fact]
    public void SequentialDuplicateName()
    {
        var s = new Sequential(("1", new Exp()));
        ThrowsNaming<ArgumentException>(() => s.Add(new Exp()).Add(new Exp()), "Sequential", "'1'");
    }

    [Fact]
    public void ModuleListIndexOutOfRange()
    {
        var list = new ModuleList(new Exp());
        ThrowsNaming<IndexOutOfRangeException>(() => _ = list[1], "ModuleList", "index 1", "1 modules");
        ThrowsNaming<IndexOutOfRangeException>(() => list.Insert(3, new Exp()), "ModuleList", "insert index 3");
        ThrowsNaming<IndexOutOfRangeException>(() => list.RemoveAt(-2), "ModuleList", "index -2");
    }

    [Fact]
    public void ContainersHaveNoForward()
    {
        ThrowsNaming<NotSupportedException>(() => new ModuleList().Forward(Tensor.Zeros(1)), "ModuleList", "Forward");
        ThrowsNaming<NotSupportedException>(() => new ModuleDict().Forward(Tensor.Zeros(1)), "ModuleDict", "Forward");
    }

    [Fact]
    public void ModuleDictMissingAndDuplicateKeys()
    {
        var d = new ModuleDict(("enc", new Exp()), ("dec", new Exp()));
        ThrowsNaming<KeyNotFoundException>(() => _ = d["head"], "ModuleDict", "'head'", "[enc, dec]");
        ThrowsNaming<ArgumentException>(() => d.Add("enc", new Exp()), "ModuleDict", "'enc'", "already present");
    }

    [Fact]
    public void DottedLookupsNameThePath()
    {
        var model = new Sequential(new Wrapper(new Affine(2, bias: false)));
        ThrowsNaming<ArgumentException>(() => model.GetSubmodule("0.outer"), "get_submodule", "Wrapper at '0'", "'outer'", "'0.outer'");
        ThrowsNaming<ArgumentException>(() => model.GetSubmodule("3"), "get_submodule", "Sequential", "'3'");
        ThrowsNaming<ArgumentException>(() => model.GetParameter("0.inner.gamma"), "get_parameter", "Affine", "'gamma'", "'0.inner.gamma'");
        ThrowsNaming<ArgumentException>(() => model.GetParameter("0.inner.bias"), "get_parameter", "'0.inner.bias'", "absent");
        ThrowsNaming<ArgumentException>(() => model.GetBuffer("0.inner.weight"), "get_buffer", "no buffer", "'weight'");
    }

    [Fact]
    public void UnfreezingIntegerParametersIsRefused()
    {
        var m = new Exp();
        m.RegisterParameter("steps", Tensor.Zeros([1], DType.Int64), requiresGrad: false);
        ThrowsNaming<InvalidOperationException>(() => m.RequiresGrad(true), "requires_grad", "int64");
    }
}
