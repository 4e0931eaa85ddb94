using Nabla.Models.Text;
using Nabla.Models.Vision;

namespace Nabla.Models;

/// <summary>
/// Options shared by every zoo factory. <see cref="InputSize"/> null means the entry's native size (the size the
/// notes train it at). <see cref="WidthDivisor"/> divides every hidden width — convolution channels and hidden
/// fully connected layers — for quick runs; 1 is the notes' network. <see cref="VocabSize"/> is for text models.
/// </summary>
public sealed record ZooOptions
{
    public int InChannels { get; init; } = 1;
    public int? InputSize { get; init; }
    public int NumClasses { get; init; } = 10;
    public int WidthDivisor { get; init; } = 1;
    public int VocabSize { get; init; } = 10_000;
    public DType DType { get; init; } = DType.Float32;
    public Generator? Generator { get; init; }
}

/// <summary>The kind of input a zoo model takes: images [N, C, S, S] (float) or token ids [N, L] (int64).</summary>
public enum ZooInput { Image, Tokens }

/// <summary>One model of the zoo: its name (as typed after <c>nabla train</c>), what it is, and how to build it.</summary>
public sealed class ZooEntry(string name, string description, ZooInput input, int nativeSize, Func<ZooOptions, int, Module> build)
{
    public string Name { get; } = name;
    public string Description { get; } = description;
    public ZooInput Input { get; } = input;
    /// <summary>The input side (images) or sequence length (tokens) the notes use; the default of <see cref="ZooOptions.InputSize"/>.</summary>
    public int NativeSize { get; } = nativeSize;

    public Module Create(ZooOptions? options = null)
    {
        options ??= new ZooOptions();
        return build(options, options.InputSize ?? NativeSize);
    }

    /// <summary>The shape of one example (without the batch axis) under <paramref name="options"/>.</summary>
    public int[] ExampleShape(ZooOptions? options = null)
    {
        options ??= new ZooOptions();
        int size = options.InputSize ?? NativeSize;
        return Input == ZooInput.Image ? [options.InChannels, size, size] : [size];
    }
}

/// <summary>
/// The registry of the model zoo: name → factory, used by <c>nabla models</c> and <c>nabla train &lt;model&gt;</c>.
/// Every model is built from the public NN API with the parameter names of the notes' PyTorch code, so a state dict
/// maps one to one onto the PyTorch model (see docs/MODELS.md for sources, input sizes and parameter counts).
/// </summary>
public static class ModelZoo
{
    static int W(int width, ZooOptions o) => Shapes.Scale(width, o.WidthDivisor);

    public static IReadOnlyList<ZooEntry> Entries { get; } =
    [
        new("softmax", "Softmax regression: Flatten, Linear (notes 3.7)", ZooInput.Image, 28,
            (o, s) => SoftmaxRegression.Create(o.InChannels, s, o.NumClasses, o.DType, o.Generator)),
        new("mlp", "MLP: Flatten, Linear(784,256), ReLU, Linear(256,10) (notes 4.3)", ZooInput.Image, 28,
            (o, s) => Mlp.Create(o.InChannels, s, o.NumClasses, [W(256, o)], 0, o.DType, o.Generator)),
        new("lenet", "LeNet-5 original: sigmoid, average pooling (notes 6.6)", ZooInput.Image, 28,
            (o, s) => LeNet.Original(o.InChannels, s, o.NumClasses, o.DType, o.Generator)),
        new("lenet-modern", "LeNet-5 with BatchNorm, ReLU, max pooling (notes 7.5)", ZooInput.Image, 28,
            (o, s) => LeNet.Modern(o.InChannels, s, o.NumClasses, o.DType, o.Generator)),
        new("alexnet", "AlexNet for 224×224 inputs (notes 7.1)", ZooInput.Image, 224,
            (o, s) => AlexNet.Create(o.InChannels, s, o.NumClasses, o.WidthDivisor, W(4096, o), 0.5, o.DType, o.Generator)),
        new("alexnet-small", "AlexNet with a 3×3 stride-1 stem for 28×28 inputs", ZooInput.Image, 28,
            (o, s) => AlexNet.Small(o.InChannels, s, o.NumClasses, o.WidthDivisor, W(4096, o), 0.5, o.DType, o.Generator)),
        new("vgg11", "VGG-11 from vgg_block (notes 7.2)", ZooInput.Image, 224,
            (o, s) => Vgg.Vgg11(o.InChannels, s, o.NumClasses, o.WidthDivisor, W(4096, o), 0.5, o.DType, o.Generator)),
        new("vgg11-small", "VGG-11 with channels / 4, as the notes train it (notes 7.2)", ZooInput.Image, 224,
            (o, s) => Vgg.Vgg11(o.InChannels, s, o.NumClasses, 4 * o.WidthDivisor, W(4096, o), 0.5, o.DType, o.Generator)),
        new("nin", "Network in Network: nin_block, global average pooling (notes 7.3)", ZooInput.Image, 224,
            (o, s) => NiN.Create(o.InChannels, s, o.NumClasses, o.WidthDivisor, 0.5, o.DType, o.Generator)),
        new("googlenet", "GoogLeNet: Inception blocks b1..b5 (notes 7.4)", ZooInput.Image, 96,
            (o, s) => GoogLeNet.Create(o.InChannels, s, o.NumClasses, o.WidthDivisor, o.DType, o.Generator)),
        new("resnet18", "ResNet-18: residual blocks with 1×1 shortcuts (notes 7.6)", ZooInput.Image, 96,
            (o, s) => ResNet.ResNet18(o.InChannels, s, o.NumClasses, W(64, o), false, o.DType, o.Generator)),
        new("resnet18-small", "ResNet-18 for 28×28: 3×3 stem, no max pool, width 16", ZooInput.Image, 28,
            (o, s) => ResNet.ResNet18(o.InChannels, s, o.NumClasses, W(16, o), true, o.DType, o.Generator)),
        new("densenet", "DenseNet: 4 dense blocks of 4 convs, growth 32, transitions (notes 7.7)", ZooInput.Image, 96,
            (o, s) => DenseNet.Create(o.InChannels, s, o.NumClasses, W(64, o), W(32, o), null, o.DType, o.Generator)),
        new("textcnn", "textCNN: embeddings, Conv1d widths 3/4/5, max-over-time pooling (notes 15.3)", ZooInput.Tokens, 64,
            (o, _) => new TextCnn(o.VocabSize, W(100, o), [3, 4, 5], [W(100, o), W(100, o), W(100, o)], o.NumClasses, 0.5, o.DType, o.Generator)),
        new("sentiment-bilstm", "BiRNN: embedding, 2-layer bidirectional LSTM, first + last valid step, linear; pad id 1 (notes 15.2)", ZooInput.Tokens, 64,
            (o, _) => new SentimentBiRnn(o.VocabSize, W(100, o), W(100, o), 2, o.NumClasses, padId: 1, dtype: o.DType, generator: o.Generator)),
    ];

    public static IEnumerable<string> Names => Entries.Select(e => e.Name);

    /// <summary>The entry named <paramref name="name"/> (case-insensitive); an unknown name lists the known ones.</summary>
    public static ZooEntry Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"ModelZoo: unknown model '{name}'; known models: {string.Join(", ", Names)}.");
    }

    public static Module Create(string name, ZooOptions? options = null) => Get(name).Create(options);
}
