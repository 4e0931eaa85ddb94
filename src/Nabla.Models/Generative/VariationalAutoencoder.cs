using Nabla.Models.Vision;

namespace Nabla.Models.Generative;

/// <summary>
/// A variational autoencoder (Kingma and Welling 2014) over flattened inputs in [0, 1]: the encoder gives the mean μ
/// and log-variance log σ² of a Gaussian q(z | x); a code z = μ + σ · ε (ε ~ N(0, 1), the reparameterisation that
/// lets gradients reach μ and σ) is decoded into one logit per input value. <see cref="Loss"/> is the negative ELBO:
/// reconstruction cross-entropy plus KL(q(z | x) ‖ N(0, I)). New inputs come from decoding z ~ N(0, I)
/// (<see cref="Sample"/>). State-dict names as in PyTorch: encoder.*, mean, log_var, decoder.*.
/// </summary>
/// <remarks>
/// In training mode the forward pass draws ε from the model's generator; in evaluation mode it decodes μ itself, so
/// a reconstruction is deterministic. <see cref="Forward(Tensor, Tensor)"/> takes ε explicitly.
/// </remarks>
public sealed class VariationalAutoencoder : Module
{
    readonly Sequential _encoder, _decoder;
    readonly Linear _mean, _logVar;
    readonly Generator? _generator;

    /// <param name="inputSize">values per input (flattened).</param>
    /// <param name="hidden">widths of the encoder's hidden layers, input side first; the decoder uses them reversed.</param>
    /// <param name="latent">width of z.</param>
    /// <param name="generator">draws the initial weights and the ε of training-mode forward passes and of <see cref="Sample"/>.</param>
    public VariationalAutoencoder(int inputSize = 784, int[]? hidden = null, int latent = 16, DType dtype = DType.Float32, Generator? generator = null)
    {
        hidden ??= [256];
        if (inputSize < 1 || latent < 1 || hidden.Length == 0 || hidden.Any(h => h < 1))
            throw new ArgumentException($"VariationalAutoencoder: input size, latent size and at least one hidden size must be positive, got {inputSize}, [{string.Join(", ", hidden)}], {latent}.");
        var kit = new LayerKit(dtype, generator);
        _encoder = RegisterModule("encoder", Mirror.Layers(kit, [inputSize, .. hidden], reluAfterLast: true));
        _mean = RegisterModule("mean", kit.Linear(hidden[^1], latent));
        _logVar = RegisterModule("log_var", kit.Linear(hidden[^1], latent));
        _decoder = RegisterModule("decoder", Mirror.Layers(kit, [latent, .. hidden.Reverse(), inputSize], reluAfterLast: false));
        _generator = generator;
        (InputSize, Latent, DType) = (inputSize, latent, dtype);
    }

    public int InputSize { get; }
    public int Latent { get; }
    public DType DType { get; }

    /// <summary>μ and log σ² [N, latent] of q(z | x) for inputs [N, …] with <see cref="InputSize"/> values each.</summary>
    public (Tensor Mean, Tensor LogVar) Encode(Tensor input)
    {
        var h = _encoder.Forward(Mirror.Flatten(input, InputSize, "VariationalAutoencoder"));
        return (_mean.Forward(h), _logVar.Forward(h));
    }

    /// <summary>Reconstruction logits [N, inputSize] of codes [N, latent].</summary>
    public Tensor Decode(Tensor z) => _decoder.Forward(z);

    /// <summary>Reconstruction logits only (see the class remarks for ε).</summary>
    public override Tensor Forward(Tensor input) => Run(input).Logits;

    /// <summary>The whole pass: ε drawn in training mode, z = μ in evaluation mode.</summary>
    public VaeOutput Run(Tensor input)
    {
        var (mean, logVar) = Encode(input);
        var z = IsTraining ? Reparameterize(mean, logVar, Tensor.Randn(mean.Shape, mean.DType, _generator)) : mean;
        return new VaeOutput(Decode(z), mean, logVar);
    }

    /// <summary>The whole pass with the given <paramref name="noise"/> ε [N, latent].</summary>
    public VaeOutput Forward(Tensor input, Tensor noise)
    {
        var (mean, logVar) = Encode(input);
        if (!noise.Shape.SequenceEqual(mean.Shape))
            throw new ArgumentException($"VariationalAutoencoder: the noise must have the codes' shape [{string.Join(", ", mean.Shape)}], got [{string.Join(", ", noise.Shape)}].", nameof(noise));
        return new VaeOutput(Decode(Reparameterize(mean, logVar, noise)), mean, logVar);
    }

    /// <summary>Logits [count, inputSize] of new inputs decoded from z ~ N(0, I).</summary>
    public Tensor Sample(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return Decode(Tensor.Randn([count, Latent], DType, _generator));
    }

    static Tensor Reparameterize(Tensor mean, Tensor logVar, Tensor noise) => mean + (logVar * 0.5).Exp() * noise;

    /// <summary>
    /// The negative ELBO per input, averaged over the batch: Σ binary cross-entropy of the logits against
    /// <paramref name="target"/> (values in [0, 1]) plus KL(N(μ, σ²) ‖ N(0, 1)) = −½ Σ (1 + log σ² − μ² − σ²).
    /// </summary>
    public static (Tensor Total, Tensor Reconstruction, Tensor Kl) Loss(VaeOutput output, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(output);
        int n = output.Logits.Size(0);
        var flat = Mirror.Flatten(target, output.Logits.Size(1), "VAE loss");
        if (flat.Size(0) != n)
            throw new ArgumentException($"VAE loss: {n} reconstructions but {flat.Size(0)} targets.", nameof(target));
        var reconstruction = Functional.BinaryCrossEntropyWithLogits(output.Logits, flat, reduction: Reduction.Sum) / n;
        var kl = ((output.LogVar + 1) - output.Mean.Pow(2) - output.LogVar.Exp()).Sum() * (-0.5 / n);
        return (reconstruction + kl, reconstruction, kl);
    }
}
