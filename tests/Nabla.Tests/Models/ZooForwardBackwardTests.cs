using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.Models;

/// <summary>
/// Every registry entry builds, runs forward and backward at a small size (batch 2, reduced widths), returns
/// [batch, classes] logits and gives every parameter a finite gradient of its own shape.
/// </summary>
public class ZooForwardBackwardTests
{
    /// <summary>Small but valid options per entry: each model stays well under a second.</summary>
    static readonly Dictionary<string, ZooOptions> Small = new()
    {
        ["softmax"] = new() { InputSize = 28 },
        ["mlp"] = new() { InputSize = 28, WidthDivisor = 4 },
        ["lenet"] = new() { InputSize = 28 },
        ["lenet-modern"] = new() { InputSize = 28, InChannels = 3, NumClasses = 7 },
        ["alexnet"] = new() { InputSize = 65, WidthDivisor = 16 },
        ["alexnet-small"] = new() { InputSize = 28, WidthDivisor = 16 },
        ["vgg11"] = new() { InputSize = 32, WidthDivisor = 16 },
        ["vgg11-small"] = new() { InputSize = 32, WidthDivisor = 16 },
        ["nin"] = new() { InputSize = 67, WidthDivisor = 16 },
        ["googlenet"] = new() { InputSize = 16, WidthDivisor = 16 },
        ["resnet18"] = new() { InputSize = 32, WidthDivisor = 16, InChannels = 3 },
        ["resnet18-small"] = new() { InputSize = 12, WidthDivisor = 4 },
        ["densenet"] = new() { InputSize = 32, WidthDivisor = 8 },
        ["textcnn"] = new() { InputSize = 9, WidthDivisor = 10, VocabSize = 40, NumClasses = 2 },
        ["sentiment-bilstm"] = new() { InputSize = 7, WidthDivisor = 20, VocabSize = 40, NumClasses = 2 },
    };

    public static IEnumerable<object[]> Entries => ModelZoo.Names.Select(n => new object[] { n });

    [Fact]
    public void EveryEntryHasASmallConfiguration() => Assert.Equal(ModelZoo.Names.Order(), Small.Keys.Order());

    [Theory]
    [MemberData(nameof(Entries))]
    public void ForwardAndBackwardAtASmallSize(string name)
    {
        var entry = ModelZoo.Get(name);
        var options = Small[name] with { Generator = new Generator(11) };
        var model = entry.Create(options);
        var gen = new Generator(12);
        int[] shape = [2, .. entry.ExampleShape(options)];
        var x = entry.Input == ZooInput.Image
            ? Tensor.Randn(shape, generator: gen)
            : Tensor.Randint(options.VocabSize, shape, generator: gen);
        model.Train();
        var logits = model.Forward(x);
        Assert.Equal([2, options.NumClasses], logits.Shape);

        var upstream = Tensor.Randn(logits.Shape, generator: gen);
        (logits * upstream).Sum().Backward();
        double total = 0;
        foreach (var (key, p) in model.NamedParameters())
        {
            Assert.True(p.Grad is not null, $"{name}: parameter {key} has no gradient");
            Assert.Equal(p.Shape, p.Grad!.Shape);
            foreach (var g in Support.TensorAssert.Flat(p.Grad)) Assert.True(double.IsFinite(g), $"{name}: {key} has a non-finite gradient");
            total += Support.TensorAssert.Flat(p.Grad).Sum(Math.Abs);
        }
        Assert.True(total > 0, $"{name}: every gradient is zero");
    }

    [Fact]
    public void EvalModeIsDeterministicAndKeepsTheRunningStatistics()
    {
        var model = ModelZoo.Create("resnet18-small", new ZooOptions { WidthDivisor = 4, Generator = new Generator(3) });
        var x = Tensor.Randn([2, 1, 10, 10], generator: new Generator(4));
        model.Eval();
        var before = Support.TensorAssert.Flat(model.StateDict()["0.1.running_var"]);
        var a = model.Forward(x);
        var b = model.Forward(x);
        Support.TensorAssert.Equal(a, b);
        Assert.Equal(before, Support.TensorAssert.Flat(model.StateDict()["0.1.running_var"]));
    }

    [Fact]
    public void NativeSizesAndShapesAreThoseOfTheNotes()
    {
        Assert.Equal([1, 28, 28], ModelZoo.Get("lenet").ExampleShape());
        Assert.Equal([1, 224, 224], ModelZoo.Get("alexnet").ExampleShape());
        Assert.Equal([1, 96, 96], ModelZoo.Get("resnet18").ExampleShape());
        Assert.Equal([3, 32, 32], ModelZoo.Get("resnet18").ExampleShape(new ZooOptions { InChannels = 3, InputSize = 32 }));
        Assert.Equal([64], ModelZoo.Get("textcnn").ExampleShape());
        Assert.Equal(203_530, ModelZoo.Create("mlp").NumParameters());
        Assert.Equal(61_706, ModelZoo.Create("LeNet").NumParameters());
        Assert.Equal(2_243_310, ModelZoo.Create("textcnn").NumParameters());
    }
}

/// <summary>The registry's defaults are the notes' configurations: the same layouts as the fixture's (cheap ones only).</summary>
public class ZooRegistryDefaultsTests
{
    [Theory]
    [InlineData("softmax", "softmax_28")]
    [InlineData("mlp", "mlp_28")]
    [InlineData("lenet", "lenet_28")]
    [InlineData("lenet-modern", "lenet_modern_28")]
    [InlineData("nin", "nin_224")]
    [InlineData("googlenet", "googlenet_96")]
    [InlineData("resnet18", "resnet18_96")]
    [InlineData("resnet18-small", "resnet18_small_w16")]
    [InlineData("densenet", "densenet_96")]
    public void DefaultEntryHasTheNotesLayout(string entry, string configuration)
    {
        var model = ModelZoo.Create(entry);
        var expected = ZooFixture.Model(configuration);
        Assert.Equal(ZooFixture.Lines(expected.Keys), ZooFixture.Lines(model));
        Assert.Equal(expected.Params, model.NumParameters());
    }
}
