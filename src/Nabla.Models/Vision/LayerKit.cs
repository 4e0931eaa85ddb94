namespace Nabla.Models.Vision;

/// <summary>
/// Builds the zoo's layers with one dtype and one generator, so that an architecture reads like the notes' code
/// (<c>kit.Conv(1, 6, 5, padding: 2)</c>) while every parameter is drawn from the same seeded source. Only public
/// layer constructors are called; the defaults are PyTorch's (biased convolutions, default initialisation).
/// </summary>
public sealed class LayerKit(DType dtype = DType.Float32, Generator? generator = null)
{
    public DType DType { get; } = dtype;
    public Generator? Generator { get; } = generator;

    public Conv2d Conv(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, ConvPadding? padding = null) =>
        new(inChannels, outChannels, kernelSize, stride, padding, dtype: DType, generator: Generator);

    public Conv1d Conv1d(int inChannels, int outChannels, int kernelSize) =>
        new(inChannels, outChannels, kernelSize, dtype: DType, generator: Generator);

    public Linear Linear(int inFeatures, int outFeatures) => new(inFeatures, outFeatures, dtype: DType, generator: Generator);

    public BatchNorm2d BatchNorm2d(int channels) => new(channels, dtype: DType);

    public BatchNorm1d BatchNorm1d(int features) => new(features, dtype: DType);

    public Dropout Dropout(double p) => new(p, Generator);

    public Embedding Embedding(int count, int dim) => new(count, dim, dtype: DType, generator: Generator);
}

/// <summary>Size arithmetic shared by the builders: how convolutions and poolings shrink a square input, and width scaling.</summary>
public static class Shapes
{
    /// <summary>
    /// Output side of a convolution or pooling window (floor mode): ⌊(n + 2p − k) / s⌋ + 1, or 0 when the window does
    /// not fit (then every later window is 0 too, so one check at the end of a chain catches a too-small input).
    /// </summary>
    public static int Window(int size, int kernel, int stride = 1, int padding = 0) =>
        size < 1 || size + 2 * padding < kernel ? 0 : (size + 2 * padding - kernel) / stride + 1;

    /// <summary>A width divided by <paramref name="divisor"/>, never below 1 (the notes' "ratio" for small runs).</summary>
    public static int Scale(int width, int divisor)
    {
        if (divisor < 1) throw new ArgumentException($"width divisor must be at least 1, got {divisor}.");
        return Math.Max(1, width / divisor);
    }

    /// <summary>Throws when a feature map has shrunk to nothing: the input is too small for the architecture.</summary>
    public static void RequirePositive(string model, int inputSize, int size, string hint)
    {
        if (size < 1)
            throw new ArgumentException($"{model}: input size {inputSize}×{inputSize} is too small, the feature map shrinks to nothing ({hint}).");
    }

    internal static void CheckCommon(string model, int inChannels, int inputSize, int numClasses)
    {
        if (inChannels < 1) throw new ArgumentException($"{model}: input channels must be positive, got {inChannels}.");
        if (inputSize < 1) throw new ArgumentException($"{model}: input size must be positive, got {inputSize}.");
        if (numClasses < 1) throw new ArgumentException($"{model}: number of classes must be positive, got {numClasses}.");
    }
}
