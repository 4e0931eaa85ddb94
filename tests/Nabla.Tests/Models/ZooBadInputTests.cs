using Nabla.Models;
using Nabla.Models.Vision;

namespace Nabla.Tests.Models;

/// <summary>Impossible configurations fail when the model is built, with a message naming the model and the sizes.</summary>
public class ZooBadInputTests
{
    [Fact]
    public void UnknownNameListsTheKnownModels()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Create("resnet50"));
        Assert.Contains("unknown model 'resnet50'", e.Message);
        Assert.Contains("lenet-modern", e.Message);
    }

    [Theory]
    [InlineData("lenet", 11, "LeNet: input size 11×11 is too small")]
    [InlineData("alexnet", 64, "AlexNet: input size 64×64 is too small")]
    [InlineData("vgg11", 16, "VGG: input size 16×16 is too small")]
    [InlineData("nin", 66, "NiN: input size 66×66 is too small")]
    [InlineData("densenet", 28, "DenseNet: input size 28×28 is too small")]
    public void TooSmallInputsAreRefusedAtConstruction(string name, int size, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Create(name, new ZooOptions { InputSize = size, WidthDivisor = 64 }));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void SmallestAcceptedInputsBuild()
    {
        Assert.NotNull(ModelZoo.Create("lenet", new ZooOptions { InputSize = 12 }));
        Assert.NotNull(ModelZoo.Create("alexnet", new ZooOptions { InputSize = 65, WidthDivisor = 64 }));
        Assert.NotNull(ModelZoo.Create("nin", new ZooOptions { InputSize = 67, WidthDivisor = 64 }));
        Assert.NotNull(ModelZoo.Create("densenet", new ZooOptions { InputSize = 29, WidthDivisor = 16 }));
    }

    [Fact]
    public void BadCountsAreRefused()
    {
        Assert.Contains("number of classes must be positive, got 0",
            Assert.Throws<ArgumentException>(() => ModelZoo.Create("mlp", new ZooOptions { NumClasses = 0 })).Message);
        Assert.Contains("width divisor must be at least 1, got 0",
            Assert.Throws<ArgumentException>(() => ModelZoo.Create("vgg11", new ZooOptions { WidthDivisor = 0 })).Message);
        Assert.Contains("Mlp: hidden sizes must be positive, got [256, 0]",
            Assert.Throws<ArgumentException>(() => Mlp.Create(hidden: [256, 0])).Message);
        Assert.Contains("TextCnn: kernel sizes [3, 4] and channel counts [5]",
            Assert.Throws<ArgumentException>(() => new TextCnn(10, 4, [3, 4], [5])).Message);
    }

    [Fact]
    public void WrongInputsNameTheLayerOrModel()
    {
        var text = new TextCnn(20, 4, [2, 5], [3, 3]);
        var e = Assert.Throws<ArgumentException>(() => text.Forward(Tensor.Zeros([2, 4], DType.Int64)));
        Assert.Contains("TextCnn: expected token ids of shape [batch, length] with length ≥ 5", e.Message);
        Assert.Contains("[2, 4]", e.Message);
        var lenet = LeNet.Original();
        var conv = Assert.Throws<ArgumentException>(() => lenet.Forward(Tensor.Zeros([2, 3, 28, 28])));
        Assert.Contains("Conv2d", conv.Message);
    }
}
