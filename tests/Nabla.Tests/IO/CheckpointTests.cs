using System.Text.Json;
using Nabla.IO;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.IO;

public class CheckpointTests
{
    static readonly Tensor X = Tensor.From(Enumerable.Range(0, 20).Select(i => (float)Math.Cos(0.7 * i)).ToArray(), 5, 4);
    static readonly Tensor Y = Tensor.From(Enumerable.Range(0, 10).Select(i => (float)Math.Sin(1.3 * i)).ToArray(), 5, 2);

    static void TrainStep(TinyNet net, Optimizer optimizer)
    {
        optimizer.ZeroGrad();
        var d = net.Forward(X) - Y;
        (d * d).Sum().Backward();
        optimizer.Step();
    }

    static Module Fc(TinyNet net, string name) => net.GetSubmodule(name);

    static readonly Dictionary<string, Func<TinyNet, Optimizer>> Optimizers = new()
    {
        ["sgd_nesterov"] = n => new SGD(n.Parameters(), lr: 0.05, momentum: 0.9, weightDecay: 1e-3, nesterov: true),
        ["sgd_two_groups"] = n => new SGD([new ParamGroup(Fc(n, "fc1").Parameters()) { Lr = 0.01 }, new ParamGroup(Fc(n, "fc2").Parameters())],
            lr: 0.05, momentum: 0.5, dampening: 0.1),
        ["adam"] = n => new Adam(n.Parameters(), lr: 0.01),
        ["adam_amsgrad"] = n => new Adam(n.Parameters(), lr: 0.02, amsgrad: true, weightDecay: 0.01),
        ["adamw"] = n => new AdamW(n.Parameters(), lr: 0.01),
        ["rmsprop_centered"] = n => new RMSprop(n.Parameters(), lr: 0.01, momentum: 0.5, centered: true),
    };

    public static IEnumerable<object[]> OptimizerNames => Optimizers.Keys.Select(k => new object[] { k });

    static OrderedDictionary<string, Tensor> Snapshot(Module m)
    {
        var copy = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in m.StateDict()) copy.Add(k, v.Clone());
        return copy;
    }

    static void AssertStateEqual(IReadOnlyDictionary<string, Tensor> expected, Module actual, string what)
    {
        var state = actual.StateDict();
        Assert.Equal(expected.Keys, state.Keys);
        foreach (var (k, v) in expected) TensorAssert.Equal(v, state[k], $"{what}: {k}");
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void ThreeStepsSavedLoadedIntoFreshModelAndOptimizerThenThreeMoreEqualsSixStraight(string name)
    {
        using var tmp = new TempFolder();
        string path = tmp.File("ckpt.safetensors");
        var make = Optimizers[name];
        var straight = new TinyNet(seed: 2);
        var a = make(straight);
        for (int i = 0; i < 3; i++) TrainStep(straight, a);
        Checkpoint.Save(path, straight, a, new Dictionary<string, string> { ["epoch"] = "3" });
        for (int i = 0; i < 3; i++) TrainStep(straight, a);

        var resumed = new TinyNet(seed: 9); // other values everywhere: the load must overwrite all of them
        var b = make(resumed);
        var info = Checkpoint.Load(path, resumed, b);
        Assert.Equal("3", info.Metadata["epoch"]);
        Assert.True(info.HasOptimizerState);
        for (int i = 0; i < 3; i++) TrainStep(resumed, b);

        AssertStateEqual(straight.StateDict(), resumed, $"{name} after 3 + 3 steps"); // bit-exact
        var pa = straight.Parameters().ToList();
        var pb = resumed.Parameters().ToList();
        for (int i = 0; i < pa.Count; i++)
        {
            var sa = a.GetState(pa[i])!;
            var sb = b.GetState(pb[i])!;
            Assert.Equal(sa.Step, sb.Step);
            Assert.Equal(sa.Buffers.Keys.Order(), sb.Buffers.Keys.Order());
            foreach (var (k, v) in sa.Buffers) TensorAssert.Equal(v, sb.Buffers[k], $"{name}: state {k} of parameter {i}");
        }
    }

    [Fact]
    public void LoadingRestoresGroupOptionsAndStepCounts()
    {
        using var tmp = new TempFolder();
        var net = new TinyNet(seed: 2);
        var adam = new Adam([new ParamGroup(Fc(net, "fc1").Parameters()) { Lr = 0.003 }, new ParamGroup(Fc(net, "fc2").Parameters())],
            lr: 0.01, betas: (0.8, 0.99), eps: 1e-7);
        for (int i = 0; i < 3; i++) TrainStep(net, adam);
        Checkpoint.Save(tmp.File("c.safetensors"), net, adam);

        var other = new TinyNet(seed: 4);
        var fresh = new Adam([new ParamGroup(Fc(other, "fc1").Parameters()), new ParamGroup(Fc(other, "fc2").Parameters())], lr: 0.5);
        Checkpoint.Load(tmp.File("c.safetensors"), other, fresh);
        Assert.Equal(0.003, fresh.ParamGroups[0].Lr);
        Assert.Equal(0.01, fresh.ParamGroups[1].Lr);
        Assert.Equal((0.8, 0.99), fresh.ParamGroups[1].Betas);
        Assert.Equal(1e-7, fresh.ParamGroups[0].Eps);
        Assert.All(other.Parameters(), p => Assert.Equal(3, fresh.GetState(p)!.Step));
    }

    [Fact]
    public void TheFileHoldsPyTorchNamesThenTheOptimizerStateUnderItsPrefix()
    {
        using var tmp = new TempFolder();
        var net = new TinyNet(seed: 2);
        var adam = new Adam(net.Parameters(), lr: 0.01);
        TrainStep(net, adam);
        Checkpoint.Save(tmp.File("c.safetensors"), net, adam);

        var parsed = MinimalSafetensorsParser.Parse(File.ReadAllBytes(tmp.File("c.safetensors")));
        var expected = TinyNet.Keys.Concat(Enumerable.Range(0, 4).SelectMany(i => new[] { $"__optimizer__.state.{i}.exp_avg", $"__optimizer__.state.{i}.exp_avg_sq" }));
        Assert.Equal(expected, parsed.Entries.Select(e => e.Name));
        Assert.Equal("pt", parsed.Metadata["format"]);
        using var doc = JsonDocument.Parse(parsed.Metadata["__optimizer__"]);
        var root = doc.RootElement;
        Assert.Equal("Adam", root.GetProperty("optimizer").GetString());
        var group = root.GetProperty("param_groups")[0];
        Assert.Equal(0.01, group.GetProperty("lr").GetDouble());
        Assert.Equal(0.999, group.GetProperty("beta2").GetDouble());
        Assert.Equal([0, 1, 2, 3], group.GetProperty("params").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(1, root.GetProperty("state").GetProperty("3").GetProperty("step").GetInt64());
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], root.GetProperty("param_names").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public void AnotherArchitectureGivesAStateDictExceptionAndChangesNothing()
    {
        using var tmp = new TempFolder();
        var net = new TinyNet(seed: 2);
        var adam = new Adam(net.Parameters(), lr: 0.01);
        TrainStep(net, adam);
        Checkpoint.Save(tmp.File("c.safetensors"), net, adam);

        var wider = new TinyNet(seed: 5, hidden: 4);
        var opt = new Adam(wider.Parameters(), lr: 0.2);
        TrainStep(wider, opt);
        var before = Snapshot(wider);
        var stateBefore = opt.GetState(wider.Parameters().First())!.Clone();

        var e = Assert.Throws<StateDictException>(() => Checkpoint.Load(tmp.File("c.safetensors"), wider, opt));
        Assert.Contains("size mismatch for \"fc1.weight\": the checkpoint has shape [3, 4], the model has shape [4, 4]", e.Message);
        Assert.Contains("size mismatch for \"fc2.weight\": the checkpoint has shape [2, 3], the model has shape [2, 4]", e.Message);
        Assert.Contains("size mismatch for \"mask\"", e.Message);
        AssertStateEqual(before, wider, "model after the failed load");
        Assert.Equal(0.2, opt.ParamGroups[0].Lr);
        TensorAssert.Equal(stateBefore.Buffers["exp_avg"], opt.GetState(wider.Parameters().First())!.Buffers["exp_avg"]);
    }

    sealed class Encoder : Module
    {
        public Encoder() => RegisterModule("encoder", new TinyLinear(4, 3, seed: 1));
        public override Tensor Forward(Tensor input) => GetSubmodule("encoder").Forward(input);
    }

    [Fact]
    public void OtherKeysAreListedAsMissingAndUnexpected()
    {
        using var tmp = new TempFolder();
        Checkpoint.Save(tmp.File("c.safetensors"), new TinyNet());
        var model = new Encoder();
        var before = Snapshot(model);
        var e = Assert.Throws<StateDictException>(() => Checkpoint.Load(tmp.File("c.safetensors"), model));
        Assert.Contains("missing keys (2): \"encoder.weight\", \"encoder.bias\"", e.Message);
        Assert.Contains("unexpected keys (8): \"shift\", \"mask\"", e.Message);
        AssertStateEqual(before, model, "model after the failed load");
    }

    [Fact]
    public void NonStrictLoadReportsMissingKeys()
    {
        using var tmp = new TempFolder();
        var state = new TinyNet(seed: 2).StateDict();
        state.Remove("calibration");
        Safetensors.Save(tmp.File("partial.safetensors"), state);
        var net = new TinyNet(seed: 7);
        var e = Assert.Throws<StateDictException>(() => Checkpoint.Load(tmp.File("partial.safetensors"), net));
        Assert.Contains("missing keys (1): \"calibration\"", e.Message);
        var info = Checkpoint.Load(tmp.File("partial.safetensors"), net, strict: false);
        Assert.Equal(["calibration"], info.MissingKeys);
        Assert.False(info.HasOptimizerState);
        TensorAssert.Equal(state["fc2.bias"], net.StateDict()["fc2.bias"]);
        Assert.Equal(new[] { 0.25 * 7, -1.5 }, net.StateDict()["calibration"].ToArray<double>());
    }

    [Fact]
    public void AnOptimizerOfAnotherKindFailsAndTheModelIsRolledBack()
    {
        using var tmp = new TempFolder();
        var net = new TinyNet(seed: 2);
        var adam = new Adam(net.Parameters(), lr: 0.01);
        TrainStep(net, adam);
        Checkpoint.Save(tmp.File("c.safetensors"), net, adam);

        var other = new TinyNet(seed: 6);
        var sgd = new SGD(other.Parameters(), lr: 0.1);
        var before = Snapshot(other);
        var e = Assert.Throws<ArgumentException>(() => Checkpoint.Load(tmp.File("c.safetensors"), other, sgd));
        Assert.Contains("SGD: cannot load a state dict saved by Adam", e.Message);
        AssertStateEqual(before, other, "model after the failed optimizer load");
    }

    [Fact]
    public void AnOptimizerOverTheParametersInAnotherOrderIsRefused()
    {
        using var tmp = new TempFolder();
        var net = new TinyNet(seed: 2);
        var adam = new Adam(net.Parameters(), lr: 0.01);
        TrainStep(net, adam);
        Checkpoint.Save(tmp.File("c.safetensors"), net, adam);

        var other = new TinyNet(seed: 6);
        var reversed = new Adam(other.Parameters().Reverse(), lr: 0.01);
        var before = Snapshot(other);
        var e = Assert.Throws<ArgumentException>(() => Checkpoint.Load(tmp.File("c.safetensors"), other, reversed));
        Assert.Contains("Adam parameter 0 was the model's 'fc1.weight' when saved but is 'fc2.bias' now", e.Message);
        AssertStateEqual(before, other, "model after the refused load");
        Assert.Null(reversed.GetState(other.Parameters().First()));
    }

    [Fact]
    public void AModelOnlyLoadIgnoresTheOptimizerStateAndAnOptimizerNeedsIt()
    {
        using var tmp = new TempFolder();
        var net = new TinyNet(seed: 2);
        var adam = new Adam(net.Parameters());
        TrainStep(net, adam);
        Checkpoint.Save(tmp.File("full.safetensors"), net, adam);
        Checkpoint.Save(tmp.File("model.safetensors"), net, metadata: new Dictionary<string, string> { ["format"] = "custom" });

        var other = new TinyNet(seed: 3);
        var info = Checkpoint.Load(tmp.File("full.safetensors"), other);
        Assert.True(info.HasOptimizerState);
        Assert.Empty(info.UnexpectedKeys);
        Assert.False(info.Metadata.ContainsKey("__optimizer__"));
        AssertStateEqual(net.StateDict(), other, "model-only load");

        var fresh = new TinyNet(seed: 4);
        var before = Snapshot(fresh);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(tmp.File("model.safetensors"), fresh, new Adam(fresh.Parameters())));
        Assert.Contains("model.safetensors' holds no optimizer state (it was saved without an optimizer), so Adam cannot be restored", e.Message);
        AssertStateEqual(before, fresh, "model after the refused load");
        Assert.Equal("custom", Checkpoint.Load(tmp.File("model.safetensors"), fresh).Metadata["format"]);
    }

    [Theory]
    [InlineData("json", "the '__optimizer__' metadata is not valid JSON")]
    [InlineData("missing_buffer", "the state of parameter 0 lists buffer 'exp_avg' but the file has no tensor '__optimizer__.state.0.exp_avg'")]
    [InlineData("extra_tensor", "tensor '__optimizer__.state.9.junk' belongs to no parameter state")]
    [InlineData("bad_step", "the step of the state of parameter 0 is -1, not a non-negative integer")]
    [InlineData("bad_option", "option 'lr' of param group 0 is \"fast\", not a number")]
    [InlineData("no_groups", "the '__optimizer__' metadata has no 'param_groups'")]
    public void CorruptOptimizerStateIsInvalidDataAndChangesNothing(string corruption, string expected)
    {
        using var tmp = new TempFolder();
        var net = new TinyNet(seed: 2);
        var adam = new Adam(net.Parameters(), lr: 0.01);
        TrainStep(net, adam);
        Checkpoint.Save(tmp.File("c.safetensors"), net, adam);
        var tensors = Safetensors.Load(tmp.File("c.safetensors"), out var meta);
        var metadata = new Dictionary<string, string>(meta);
        string json = metadata["__optimizer__"];
        switch (corruption)
        {
            case "json": metadata["__optimizer__"] = json[..^1]; break;
            case "missing_buffer": tensors.Remove("__optimizer__.state.0.exp_avg"); break;
            case "extra_tensor": tensors.Add("__optimizer__.state.9.junk", Tensor.Zeros(1)); break;
            case "bad_step": metadata["__optimizer__"] = json.Replace("{\"step\":1,", "{\"step\":-1,", StringComparison.Ordinal); break;
            case "bad_option": metadata["__optimizer__"] = json.Replace("\"lr\":0.01", "\"lr\":\"fast\"", StringComparison.Ordinal); break;
            case "no_groups": metadata["__optimizer__"] = json.Replace("param_groups", "groups", StringComparison.Ordinal); break;
        }
        Assert.NotEqual((json, tensors.Count), (metadata["__optimizer__"], 16)); // the corruption took effect
        Safetensors.Save(tmp.File("bad.safetensors"), tensors, metadata);

        var other = new TinyNet(seed: 6);
        var opt = new Adam(other.Parameters(), lr: 0.3);
        var before = Snapshot(other);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(tmp.File("bad.safetensors"), other, opt));
        Assert.Contains("bad.safetensors' has corrupt optimizer state: " + expected, e.Message);
        AssertStateEqual(before, other, "model after the failed load");
        Assert.Equal(0.3, opt.ParamGroups[0].Lr);
    }

    sealed class Reserved : Module
    {
        public Reserved() => RegisterModule("__optimizer__", new TinyLinear(2, 2, seed: 1));
        public override Tensor Forward(Tensor input) => input;
    }

    [Fact]
    public void ReservedNamesAreRefusedWhenSaving()
    {
        using var tmp = new TempFolder();
        var e = Assert.Throws<ArgumentException>(() => Checkpoint.Save(tmp.File("r.safetensors"), new Reserved()));
        Assert.Contains("the model's state key '__optimizer__.weight' starts with '__optimizer__.', which is reserved", e.Message);
        e = Assert.Throws<ArgumentException>(() => Checkpoint.Save(tmp.File("r.safetensors"), new TinyNet(),
            metadata: new Dictionary<string, string> { ["__optimizer__"] = "{}" }));
        Assert.Contains("the metadata key '__optimizer__' is reserved", e.Message);
        Assert.Empty(Directory.GetFiles(tmp.Dir));
    }

    [Fact]
    public void NonFiniteOptionsRoundTrip()
    {
        using var tmp = new TempFolder();
        var net = new TinyNet(seed: 2);
        var sgd = new SGD(net.Parameters(), lr: 0.1);
        sgd.ParamGroups[0]["custom_limit"] = double.PositiveInfinity;
        Checkpoint.Save(tmp.File("c.safetensors"), net, sgd);
        var other = new TinyNet(seed: 2);
        var sgd2 = new SGD(other.Parameters(), lr: 0.5);
        Checkpoint.Load(tmp.File("c.safetensors"), other, sgd2);
        Assert.Equal(double.PositiveInfinity, sgd2.ParamGroups[0]["custom_limit"]);
        Assert.Equal(0.1, sgd2.ParamGroups[0].Lr);
    }
}
