using Nabla.Models.Vision;
using Nabla.NN;

namespace Nabla.Tests.Models;

/// <summary>
/// Every zoo configuration of the fixture has exactly PyTorch's parameter count and state-dict layout (names,
/// shapes, order, buffers included), so checkpoints map one to one onto the notes' PyTorch models.
/// </summary>
public class ZooStructureTests
{
    public static IEnumerable<object[]> Names => ZooFixture.Configurations.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Names))]
    public void StateDictAndParameterCountMatchPyTorch(string name)
    {
        var expected = ZooFixture.Model(name);
        var model = ZooFixture.Configurations[name]();
        Assert.Equal(ZooFixture.Lines(expected.Keys), ZooFixture.Lines(model));
        Assert.Equal(expected.Params, model.NumParameters());
    }

    [Fact]
    public void EveryFixtureConfigurationIsBuilt()
    {
        Assert.Equal(ZooFixture.ModelNames().Order(), ZooFixture.Configurations.Keys.Order());
        Assert.Equal(ZooFixture.Logits().Select(c => c.Name).Order(), ZooFixture.LogitModels.Keys.Order());
    }

    [Fact]
    public void Vgg11MatchesTorchvisionVgg11()
    {
        // The notes' VGG-11 at 3 channels, 224×224 and 1000 classes is torchvision's vgg11 up to names: same count,
        // same parameter shapes in the same order (torchvision's AdaptiveAvgPool2d(7) is the identity at 224).
        var torchvision = ZooFixture.Torchvision("vgg11");
        var ours = ZooFixture.Model("vgg11_rgb224_1000");
        Assert.Equal(torchvision.Params, ours.Params);
        Assert.Equal(torchvision.Keys.Select(k => string.Join(",", k.Shape)), ours.Keys.Select(k => string.Join(",", k.Shape)));
    }

    [Fact]
    public void NotesNetworksDifferFromTorchvisionWhereDocumented()
    {
        // docs/MODELS.md states these differences; keep the numbers honest.
        Assert.Equal(11_689_512, ZooFixture.Torchvision("resnet18").Params);
        Assert.Equal(61_100_840, ZooFixture.Torchvision("alexnet").Params);
        Assert.Equal(11_178_378, ZooFixture.Model("resnet18_96").Params);
        Assert.Equal(46_764_746, ZooFixture.Model("alexnet_224").Params);
    }

    [Fact]
    public void ReprOfABlockReadsLikeThePyTorchOne()
    {
        var block = Vgg.Block(2, 3, 8);
        Assert.Equal("""
            Sequential(
              (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
              (1): ReLU()
              (2): Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
              (3): ReLU()
              (4): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
            )
            """, block.ToString());
    }

    [Fact]
    public void SameGeneratorSeedGivesTheSameWeights()
    {
        var a = ResNet.ResNet18(baseWidth: 4, generator: new Generator(5)).StateDict();
        var b = ResNet.ResNet18(baseWidth: 4, generator: new Generator(5)).StateDict();
        var c = ResNet.ResNet18(baseWidth: 4, generator: new Generator(6)).StateDict();
        foreach (var (key, t) in a) Support.TensorAssert.Equal(t, b[key], key);
        Assert.NotEqual(Support.TensorAssert.Flat(a["0.0.weight"]), Support.TensorAssert.Flat(c["0.0.weight"]));
    }
}
