using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Training;

/// <summary>The losses of one <see cref="GanTrainer.Step"/>: the discriminator's before its update, the generator's before its own.</summary>
public readonly record struct GanLosses(double Discriminator, double Generator);

/// <summary>
/// The two updates of a generative adversarial network per batch (the notes' 20.1). First the discriminator D learns
/// to score real data 1 and generated data 0: binary cross-entropy on its logits, the mean of the real and the fake
/// halves, with the generated batch detached so only D moves. Then the generator G learns to make D score a freshly
/// generated batch 1 (the notes' form of the generator loss: cross-entropy against 1, which keeps its gradient
/// large while D still wins easily, rather than minimising log(1 − D(G(z)))). Both losses use the mean over the batch.
/// </summary>
/// <remarks>
/// With a condition (a conditional GAN, Mirza and Osindero 2014) G reads [z, c] and D reads [x flattened, c], both
/// concatenated along the features: c is typically a one-hot class, so G learns to draw a chosen class.
/// </remarks>
public sealed class GanTrainer
{
    readonly Module _generator, _discriminator;
    readonly Optimizer _generatorOptimizer, _discriminatorOptimizer;

    public GanTrainer(Module generator, Module discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(discriminator);
        ArgumentNullException.ThrowIfNull(generatorOptimizer);
        ArgumentNullException.ThrowIfNull(discriminatorOptimizer);
        (_generator, _discriminator, _generatorOptimizer, _discriminatorOptimizer) = (generator, discriminator, generatorOptimizer, discriminatorOptimizer);
    }

    /// <summary>G's output for <paramref name="noise"/> [N, z] (and <paramref name="condition"/> [N, c]).</summary>
    public Tensor Generate(Tensor noise, Tensor? condition = null) => _generator.Forward(condition is null ? noise : Tensor.Cat([noise, condition], 1));

    /// <summary>D's logits [N, 1] for a batch [N, …] (and <paramref name="condition"/> [N, c]).</summary>
    public Tensor Discriminate(Tensor batch, Tensor? condition = null) =>
        _discriminator.Forward(condition is null ? batch : Tensor.Cat([batch.Reshape(batch.Size(0), -1), condition], 1));

    /// <summary>One update of D, then one of G, on a batch of <paramref name="real"/> data and as many <paramref name="noise"/> rows.</summary>
    public GanLosses Step(Tensor real, Tensor noise, Tensor? condition = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(noise);
        int n = real.Size(0);
        if (noise.Rank != 2 || noise.Size(0) != n || (condition is not null && (condition.Rank != 2 || condition.Size(0) != n)))
            throw new ArgumentException($"gan step: real [{string.Join(", ", real.Shape)}], noise [{string.Join(", ", noise.Shape)}]" +
                (condition is null ? "" : $" and condition [{string.Join(", ", condition.Shape)}]") + " must be batches of the same size, noise and condition 2-D.");

        _discriminatorOptimizer.ZeroGrad();
        var realScore = Discriminate(real, condition);
        var fakeScore = Discriminate(Generate(noise, condition).Detach(), condition);
        var discriminatorLoss = (Functional.BinaryCrossEntropyWithLogits(realScore, Tensor.OnesLike(realScore))
            + Functional.BinaryCrossEntropyWithLogits(fakeScore, Tensor.ZerosLike(fakeScore))) / 2;
        discriminatorLoss.Backward();
        _discriminatorOptimizer.Step();

        _generatorOptimizer.ZeroGrad();
        var score = Discriminate(Generate(noise, condition), condition);
        var generatorLoss = Functional.BinaryCrossEntropyWithLogits(score, Tensor.OnesLike(score));
        generatorLoss.Backward();
        _generatorOptimizer.Step();
        // D's parameters got gradients from G's loss too; they are cleared at the start of the next step.
        return new GanLosses(discriminatorLoss.Item(), generatorLoss.Item());
    }
}
