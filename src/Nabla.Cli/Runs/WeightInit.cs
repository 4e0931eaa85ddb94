using Nabla.NN;

namespace Nabla.Cli.Runs;

/// <summary>
/// The weight initialisations `nabla train --init` offers. The notes do not train with PyTorch's default layer
/// init: their train_ch6 (LeNet and every CNN of chapter 7) applies <c>xavier_uniform_</c> to the weights of every
/// Linear and Conv2d, and the softmax-regression and MLP sections draw weights from N(0, 0.01²). Biases keep the
/// layer default, as there. It matters: the sigmoid LeNet with PyTorch's default init stays at chance accuracy
/// for epochs at lr 0.9, with Xavier it learns in the first epoch.
/// </summary>
public static class WeightInit
{
    public static IReadOnlyList<string> Names { get; } = ["default", "xavier", "normal"];

    public static bool IsKnown(string name) => Names.Contains(name.ToLowerInvariant());

    /// <summary>Re-initialises the weights of <paramref name="model"/>'s Linear and convolution layers in module order.</summary>
    public static void Apply(Module model, string name, Generator generator)
    {
        switch (name.ToLowerInvariant())
        {
            case "default":
                return;
            case "xavier":
                model.Apply(m => { if (WeightOf(m) is { } w) Init.XavierUniform(w, generator: generator); });
                return;
            case "normal":
                model.Apply(m => { if (WeightOf(m) is { } w) Init.Normal(w, 0, 0.01, generator); });
                return;
            default:
                throw new ArgumentException($"unknown init '{name}'; the inits are {string.Join(", ", Names)}.");
        }
    }

    static Tensor? WeightOf(Module m) => m switch
    {
        Linear linear => linear.Weight,
        Conv2d conv => conv.Weight,
        _ => null,
    };
}
