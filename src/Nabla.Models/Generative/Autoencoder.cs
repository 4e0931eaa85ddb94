using Nabla.Models.Vision;

namespace Nabla.Models.Generative;

/// <summary>
/// A fully connected autoencoder: the encoder squeezes a flattened input (a 28×28 image is 784 values) through ReLU
/// layers into a small code, the decoder mirrors it back to one logit per input value. Trained to reproduce its input
/// with <see cref="Functional.BinaryCrossEntropyWithLogits"/> against inputs in [0, 1] (pixels), the code has to keep
/// what matters about the input. State-dict names as in PyTorch: encoder.0, encoder.2, …, decoder.0, ….
/// </summary>
public sealed class Autoencoder : Module
{
    readonly Sequential _encoder, _decoder;

    /// <param name="inputSize">values per input (flattened).</param>
    /// <param name="hidden">widths of the encoder's hidden layers, input side first; the decoder uses them reversed.</param>
    /// <param name="latent">width of the code.</param>
    public Autoencoder(int inputSize = 784, int[]? hidden = null, int latent = 32, DType dtype = DType.Float32, Generator? generator = null)
    {
        hidden ??= [256];
        if (inputSize < 1 || latent < 1 || hidden.Any(h => h < 1))
            throw new ArgumentException($"Autoencoder: input size, hidden sizes and latent size must be positive, got {inputSize}, [{string.Join(", ", hidden)}], {latent}.");
        var kit = new LayerKit(dtype, generator);
        _encoder = RegisterModule("encoder", Mirror.Layers(kit, [inputSize, .. hidden, latent], reluAfterLast: false));
        _decoder = RegisterModule("decoder", Mirror.Layers(kit, [latent, .. hidden.Reverse(), inputSize], reluAfterLast: false));
        InputSize = inputSize;
        Latent = latent;
    }

    public int InputSize { get; }
    public int Latent { get; }

    /// <summary>The code [N, latent] of inputs [N, …] with <see cref="InputSize"/> values each.</summary>
    public Tensor Encode(Tensor input) => _encoder.Forward(Mirror.Flatten(input, InputSize, "Autoencoder"));

    /// <summary>Logits [N, inputSize] of the reconstruction of codes [N, latent] (sigmoid of them for pixel values).</summary>
    public Tensor Decode(Tensor code) => _decoder.Forward(code);

    /// <summary>Reconstruction logits [N, inputSize].</summary>
    public override Tensor Forward(Tensor input) => Decode(Encode(input));
}
