using Nabla.Optim;
using Nabla.Optim.Schedules;

namespace Nabla.Cli.Runs;

/// <summary>
/// The learning-rate schedules `nabla train --schedule` offers, each stepped once per epoch by the trainer:
/// <c>cosine</c> anneals from the initial rate to 0 over the run (CosineAnnealingLR with T_max = epochs), <c>step</c>
/// divides it by 10 after each third of the run (StepLR), <c>none</c> keeps it constant as the notes' recipes do.
/// </summary>
public static class EpochSchedule
{
    public static readonly IReadOnlyList<string> Names = ["none", "cosine", "step"];

    public static bool IsKnown(string name) => Names.Contains(name.ToLowerInvariant());

    public static LRScheduler? Create(string name, Optimizer optimizer, int epochs) => name.ToLowerInvariant() switch
    {
        "none" => null,
        "cosine" => new CosineAnnealingLR(optimizer, tMax: epochs),
        "step" => new StepLR(optimizer, stepSize: Math.Max(1, epochs / 3), gamma: 0.1),
        _ => throw new ArgumentException($"train: unknown schedule '{name}'; the schedules are {string.Join(", ", Names)}.", nameof(name)),
    };
}
