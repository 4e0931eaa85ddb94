namespace Nabla.Models.Generative;

/// <summary>What a <see cref="VariationalAutoencoder"/> returns for a batch: reconstruction logits [N, inputSize], and the mean and log-variance [N, latent] of q(z | x).</summary>
public sealed record VaeOutput(Tensor Logits, Tensor Mean, Tensor LogVar);
