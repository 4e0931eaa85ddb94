using Nabla.Optim;

namespace Nabla.Cli.Runs;

/// <summary>The optimizers `nabla train --optimizer` knows, by PyTorch's lower-case names, with PyTorch's defaults.</summary>
public static class OptimizerFactory
{
    public static IReadOnlyList<string> Names { get; } = ["sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta"];

    public static bool IsKnown(string name) => Names.Contains(name.ToLowerInvariant());

    /// <summary>torch.optim's default learning rate for <paramref name="name"/> (SGD has none: the recipe's is used).</summary>
    public static double DefaultLr(string name) => name.ToLowerInvariant() switch
    {
        "adam" or "adamw" => 1e-3,
        "rmsprop" or "adagrad" => 1e-2,
        "adadelta" => 1.0,
        _ => 0.1,
    };

    /// <summary>
    /// Builds the optimizer. <paramref name="weightDecay"/> null means the optimizer's own default (0, or 0.01 for
    /// AdamW); <paramref name="momentum"/> applies to SGD and RMSprop, the two that have one.
    /// </summary>
    public static Optimizer Create(string name, IEnumerable<Tensor> parameters, double lr, double momentum, double? weightDecay) =>
        name.ToLowerInvariant() switch
        {
            "sgd" => new SGD(parameters, lr, momentum: momentum, weightDecay: weightDecay ?? 0),
            "adam" => new Adam(parameters, lr, weightDecay: weightDecay ?? 0),
            "adamw" => new AdamW(parameters, lr, weightDecay: weightDecay ?? 1e-2),
            "rmsprop" => new RMSprop(parameters, lr, weightDecay: weightDecay ?? 0, momentum: momentum),
            "adagrad" => new Adagrad(parameters, lr, weightDecay: weightDecay ?? 0),
            "adadelta" => new Adadelta(parameters, lr, weightDecay: weightDecay ?? 0),
            _ => throw new ArgumentException($"unknown optimizer '{name}'; the optimizers are {string.Join(", ", Names)}."),
        };

    /// <summary>Whether <paramref name="name"/> takes a momentum.</summary>
    public static bool HasMomentum(string name) => name.ToLowerInvariant() is "sgd" or "rmsprop";
}
