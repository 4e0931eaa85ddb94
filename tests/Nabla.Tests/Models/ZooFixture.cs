using System.Text.Json;
using Nabla.Models.Vision;
using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.Models;

/// <summary>
/// Reads Golden/zoo.json (tools/golden/zoo.py) and builds the C# side of each configuration it names: the same
/// architecture, options and class count as the PyTorch mirror of the notes' code.
/// </summary>
public static class ZooFixture
{
    /// <summary>Configuration name → the zoo call that must produce PyTorch's state dict (names, shapes, count).</summary>
    public static readonly IReadOnlyDictionary<string, Func<Module>> Configurations = new Dictionary<string, Func<Module>>
    {
        ["softmax_28"] = () => SoftmaxRegression.Create(),
        ["softmax_rgb32_100"] = () => SoftmaxRegression.Create(3, 32, 100),
        ["mlp_28"] = () => Mlp.Create(),
        ["mlp_two_hidden_dropout"] = () => Mlp.Create(hidden: [256, 128], dropout: 0.5),
        ["lenet_28"] = () => LeNet.Original(),
        ["lenet_rgb32_100"] = () => LeNet.Original(3, 32, 100),
        ["lenet_modern_28"] = () => LeNet.Modern(),
        ["alexnet_224"] = () => AlexNet.Create(),
        ["alexnet_small_28"] = () => AlexNet.Small(),
        ["alexnet_rgb100_div4_h512"] = () => AlexNet.Create(3, 100, 7, widthDivisor: 4, hidden: 512),
        ["vgg11_small_224"] = () => Vgg.Vgg11(widthDivisor: 4),
        ["vgg_custom_64_div8_h256"] = () => Vgg.Create([(1, 32), (2, 64), (3, 128)], 3, 64, 5, widthDivisor: 8, hidden: 256),
        ["vgg11_rgb224_1000"] = () => Vgg.Vgg11(3, 224, 1000),
        ["nin_224"] = () => NiN.Create(),
        ["nin_div4_rgb"] = () => NiN.Create(3, 224, 20, widthDivisor: 4),
        ["googlenet_96"] = () => GoogLeNet.Create(),
        ["googlenet_div4_rgb"] = () => GoogLeNet.Create(3, 96, 100, widthDivisor: 4),
        ["resnet18_96"] = () => ResNet.ResNet18(),
        ["resnet18_small_w16"] = () => ResNet.ResNet18(inputSize: 28, baseWidth: 16, smallInput: true),
        ["resnet18_rgb_w32"] = () => ResNet.ResNet18(3, 96, 100, baseWidth: 32),
        ["densenet_96"] = () => DenseNet.Create(),
        ["densenet_rgb_c16_g8_333"] = () => DenseNet.Create(3, 96, 7, initChannels: 16, growthRate: 8, blockConvs: [3, 3, 3]),
        ["textcnn_notes"] = () => new TextCnn(5000),
        ["textcnn_small"] = () => new TextCnn(50, 8, [2, 3], [4, 5], numClasses: 3),
    };

    /// <summary>Logit case name → the configuration PyTorch ran (small widths and inputs).</summary>
    public static readonly IReadOnlyDictionary<string, Func<Module>> LogitModels = new Dictionary<string, Func<Module>>
    {
        ["lenet_16"] = () => LeNet.Original(1, 16, 10),
        ["lenet_modern_16"] = () => LeNet.Modern(1, 16, 10),
        ["resnet18_small_w3"] = () => ResNet.ResNet18(1, 12, 10, baseWidth: 3, smallInput: true),
        ["resnet18_w2_rgb"] = () => ResNet.ResNet18(3, 32, 5, baseWidth: 2),
        ["googlenet_div32"] = () => GoogLeNet.Create(1, 20, 10, widthDivisor: 32),
        ["densenet_c8_g4"] = () => DenseNet.Create(1, 24, 10, initChannels: 8, growthRate: 4, blockConvs: [2, 2, 2]),
        ["nin_div16"] = () => NiN.Create(1, 67, 10, widthDivisor: 16),
        ["textcnn_small"] = () => new TextCnn(50, 8, [2, 3], [4, 5], numClasses: 3),
    };

    public sealed record Structure(long Params, (string Key, int[] Shape)[] Keys);

    public sealed record LogitCase(string Name, Tensor Input, Dictionary<string, Tensor> State, Dictionary<string, Tensor> Outputs)
    {
        public override string ToString() => Name;
    }

    static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "zoo.json"))));

    public static Structure Model(string name) => ReadStructure(Doc.Value.RootElement.GetProperty("models").GetProperty(name));

    public static Structure Torchvision(string name) =>
        ReadStructure(Doc.Value.RootElement.GetProperty("torchvision_models").GetProperty(name));

    public static IEnumerable<string> ModelNames() =>
        Doc.Value.RootElement.GetProperty("models").EnumerateObject().Select(p => p.Name);

    public static IEnumerable<LogitCase> Logits() =>
        Doc.Value.RootElement.GetProperty("logits").EnumerateArray().Select(e => new LogitCase(
            e.GetProperty("name").GetString()!,
            GoldenFixture.ReadTensor(e.GetProperty("input")),
            e.GetProperty("state").EnumerateObject().ToDictionary(p => p.Name, p => GoldenFixture.ReadTensor(p.Value)),
            e.GetProperty("outputs").EnumerateObject().ToDictionary(p => p.Name, p => GoldenFixture.ReadTensor(p.Value))));

    static Structure ReadStructure(JsonElement e) => new(
        e.GetProperty("params").GetInt64(),
        e.GetProperty("keys").EnumerateArray()
            .Select(k => (k[0].GetString()!, k[1].EnumerateArray().Select(x => x.GetInt32()).ToArray())).ToArray());

    /// <summary>The state dict's keys and shapes, in order, as "key [d0, d1]" lines (readable in a failed assertion).</summary>
    public static string[] Lines(IEnumerable<(string Key, int[] Shape)> keys) =>
        keys.Select(k => $"{k.Key} [{string.Join(", ", k.Shape)}]").ToArray();

    public static string[] Lines(Module model) => Lines(model.StateDict().Select(kv => (kv.Key, kv.Value.Shape)));
}
