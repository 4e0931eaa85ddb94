using Nabla.Models;

namespace Nabla.Cli.Runs;

/// <summary>
/// The hyperparameters the notes train each zoo model with on Fashion-MNIST (Dive into Deep Learning, chapters 3–7:
/// SGD, batch 256 or 128, 10 epochs), so <c>nabla train lenet</c> with no options is the notes' run. Every value can
/// be overridden on the command line. Models the notes do not train on Fashion-MNIST get the recipe of their family.
/// </summary>
/// <remarks>
/// <see cref="Init"/> is the notes' weight initialisation (<see cref="WeightInit"/>): N(0, 0.01²) for softmax
/// regression and the MLP (3.7, 4.3), Xavier uniform for everything trained with train_ch6 (6.6 onwards).
/// </remarks>
public sealed record Recipe(string Optimizer, double Lr, int BatchSize, int Epochs, string Init)
{
    public static Recipe For(string model) => model.ToLowerInvariant() switch
    {
        "softmax" => new("sgd", 0.1, 256, 10, "normal"),
        "mlp" => new("sgd", 0.1, 256, 10, "normal"),
        "lenet" => new("sgd", 0.9, 256, 10, "xavier"),
        "lenet-modern" => new("sgd", 1.0, 256, 10, "xavier"),      // the notes' BatchNorm LeNet
        "alexnet" or "alexnet-small" => new("sgd", 0.01, 128, 10, "xavier"),
        "vgg11" or "vgg11-small" => new("sgd", 0.05, 128, 10, "xavier"),
        "nin" => new("sgd", 0.1, 128, 10, "xavier"),
        "googlenet" => new("sgd", 0.1, 128, 10, "xavier"),
        "resnet18" or "resnet18-small" => new("sgd", 0.05, 256, 10, "xavier"),
        "densenet" => new("sgd", 0.1, 256, 10, "xavier"),
        _ => new("sgd", 0.1, 256, 10, "xavier"),
    };

    /// <summary>The zoo entry for <paramref name="model"/> when it is an image classifier `nabla train` can fit to Fashion-MNIST.</summary>
    public static ZooEntry? ImageModel(string model) =>
        ModelZoo.Entries.FirstOrDefault(e => e.Input == ZooInput.Image && string.Equals(e.Name, model, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why <paramref name="model"/> cannot be trained here, or null when it can.</summary>
    public static string? Problem(string command, string model)
    {
        if (ImageModel(model) is not null) return null;
        var images = string.Join(", ", ModelZoo.Entries.Where(e => e.Input == ZooInput.Image).Select(e => e.Name));
        var entry = ModelZoo.Entries.FirstOrDefault(e => string.Equals(e.Name, model, StringComparison.OrdinalIgnoreCase));
        return entry is null
            ? $"{command}: unknown model '{model}'; the image models are {images}" +
                (command == "train" ? $"; the language models are {string.Join(", ", LanguageModelRecipe.Names)}; the generative models are {string.Join(", ", GenerativeRun.Models)}" : "") +
                " (`nabla models` lists them)."
            : $"{command}: {entry.Name} reads token ids, not images; `nabla {command}` works with the Fashion-MNIST image models: {images}.";
    }
}
