using System.Text.Json;
using Nabla.Tests.Support;
using static Nabla.Tests.Cli.CliHarness;

namespace Nabla.Tests.Cli;

/// <summary>
/// One short real training run shared by the train and eval tests: lenet-modern on 1000 images of the shipped
/// sample for one epoch (20 steps of 50), about a second. The two test classes share a collection, so they also run
/// one after the other (one of them changes the data-folder environment variable).
/// </summary>
public sealed class TrainedRunFixture : IDisposable
{
    public const string Model = "lenet-modern";
    public const int Limit = 1000;

    public TrainedRunFixture()
    {
        Out = Path.Combine(Folder.Path, "run");
        Run = CliHarness.Run("train", Model, "--data", Sample, "--out", Out, "--epochs", "1", "--batch-size", "50",
            "--limit", Limit.ToString(), "--seed", "3", "--json");
        if (Run.ExitCode == 0) Json = JsonDocument.Parse(Run.Out).RootElement.Clone();
    }

    public TempFolder Folder { get; } = new();
    public string Out { get; }
    public CliRun Run { get; }
    public JsonElement Json { get; }
    public string Checkpoint => Path.Combine(Out, Model + ".safetensors");

    public void Dispose() => Folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CliTrainingCollection : ICollectionFixture<TrainedRunFixture>
{
    public const string Name = "CliTraining";
}
