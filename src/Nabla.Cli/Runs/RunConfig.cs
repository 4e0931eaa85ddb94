using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.IO;
using Nabla.Models;

namespace Nabla.Cli.Runs;

/// <summary>
/// The JSON sidecar `nabla train` writes next to its checkpoint (<c>lenet.safetensors</c> → <c>lenet.json</c>): the
/// zoo model and the options it was built with, so `nabla eval` can rebuild the same architecture before loading the
/// weights, plus how it was trained and how it scored. Keys are snake_case; unknown keys are ignored on reading.
/// </summary>
public sealed record RunConfig
{
    public const string CurrentFormat = "nabla-train/1";

    public string Format { get; init; } = CurrentFormat;

    // What eval needs to rebuild the model.
    public required string Model { get; init; }
    public required int InputSize { get; init; }
    public int InChannels { get; init; } = 1;
    public int NumClasses { get; init; } = 10;
    public int WidthDivisor { get; init; } = 1;
    public IReadOnlyList<string> Classes { get; init; } = [];
    public long Parameters { get; init; }

    // How it was trained.
    public string Dataset { get; init; } = "fashion-mnist";
    public string Data { get; init; } = "";
    public bool Sample { get; init; }
    public string Init { get; init; } = "";
    public string Optimizer { get; init; } = "";
    public double Lr { get; init; }
    public double Momentum { get; init; }
    public double? WeightDecay { get; init; }
    public string Schedule { get; init; } = "none";
    public int BatchSize { get; init; }
    public int Epochs { get; init; }
    public int Seed { get; init; }
    public bool Augment { get; init; }
    public int? Limit { get; init; }
    public int? Threads { get; init; }
    public string Checkpoint { get; init; } = "";

    // How it scored after the last epoch.
    public double? TrainLoss { get; init; }
    public double? TrainAccuracy { get; init; }
    public double? TestLoss { get; init; }
    public double? TestAccuracy { get; init; }
    public double Seconds { get; init; }

    static JsonSerializerOptions Options => SidecarJson.Options;

    /// <summary>The sidecar of a checkpoint: the same path with the extension .json.</summary>
    public static string SidecarPath(string checkpoint) => Path.ChangeExtension(checkpoint, ".json");

    public string ToJson() => SidecarJson.Serialize(this);

    public void Save(string path) => SidecarJson.Save(path, this);

    /// <summary>Reads and checks a sidecar; every problem is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static RunConfig Load(string path, string command)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{command}: the checkpoint's sidecar '{path}' is missing; `nabla train` writes it next to the " +
                "checkpoint and it names the model to rebuild. Keep the .json with its .safetensors file.", path);
        RunConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<RunConfig>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{command}: the sidecar '{path}' is not a valid run description: {e.Message}", e);
        }
        if (config is null) throw new InvalidDataException($"{command}: the sidecar '{path}' holds null, not a run description.");
        if (config.Format != CurrentFormat)
            throw new InvalidDataException($"{command}: the sidecar '{path}' has format '{config.Format}', expected '{CurrentFormat}'.");
        if (Recipe.ImageModel(config.Model) is null)
            throw new InvalidDataException($"{command}: the sidecar '{path}' names the model '{config.Model}', which is not an image model of the zoo ({string.Join(", ", ModelZoo.Names)}).");
        if (config.InputSize < 1 || config.InChannels < 1 || config.NumClasses < 2 || config.WidthDivisor < 1)
            throw new InvalidDataException($"{command}: the sidecar '{path}' has an impossible configuration (input_size {config.InputSize}, " +
                $"in_channels {config.InChannels}, num_classes {config.NumClasses}, width_divisor {config.WidthDivisor}).");
        return config;
    }

    /// <summary>The zoo options that rebuild this run's architecture.</summary>
    public ZooOptions ZooOptions(Generator? generator = null) => new()
    {
        InChannels = InChannels,
        InputSize = InputSize,
        NumClasses = NumClasses,
        WidthDivisor = WidthDivisor,
        Generator = generator,
    };
}
