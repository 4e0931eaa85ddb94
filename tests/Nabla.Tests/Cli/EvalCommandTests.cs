using System.Text.Json;
using Nabla.IO;
using Nabla.Models;
using Nabla.Tests.Support;
using static Nabla.Tests.Cli.CliHarness;

namespace Nabla.Tests.Cli;

/// <summary>`nabla eval` on the checkpoint of the shared training run, and on checkpoints it must refuse.</summary>
[Collection(CliTrainingCollection.Name)]
public class EvalCommandTests(TrainedRunFixture run)
{
    /// <summary>A copy of the trained run's checkpoint and sidecar in a fresh folder.</summary>
    static string CopyRun(TrainedRunFixture run, TempFolder temp)
    {
        Assert.True(run.Run.ExitCode == 0, run.Run.ToString());
        string checkpoint = temp.File("lenet-modern.safetensors");
        File.Copy(run.Checkpoint, checkpoint);
        File.Copy(Path.ChangeExtension(run.Checkpoint, ".json"), temp.File("lenet-modern.json"));
        return checkpoint;
    }

    [Fact]
    public void EvalReproducesTheTrainedAccuracyAndDrawsTheMistakes()
    {
        using var temp = new TempFolder();
        string checkpoint = CopyRun(run, temp);
        // The same 1000 test images the run measured (the limit's choice follows the run's seed).
        var r = Run("eval", checkpoint, "--data", Sample, "--limit", TrainedRunFixture.Limit.ToString(), "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Single(r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("lenet-modern", j.GetProperty("model").GetString());
        Assert.Equal(checkpoint, j.GetProperty("checkpoint").GetString());
        Assert.Equal(run.Json.GetProperty("test_accuracy").GetDouble(), j.GetProperty("test_accuracy").GetDouble(), 12);

        long samples = j.GetProperty("samples").GetInt64();
        Assert.Equal(1000, samples);
        var matrix = j.GetProperty("confusion_matrix").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        Assert.Equal(10, matrix.Length);
        Assert.Equal(samples, matrix.Sum(row => row.Sum()));
        long correct = Enumerable.Range(0, 10).Sum(i => matrix[i][i]);
        Assert.Equal(samples - correct, j.GetProperty("misclassified").GetInt64());
        Assert.Equal(j.GetProperty("test_accuracy").GetDouble(), (double)correct / samples, 12);

        string grid = j.GetProperty("grid").GetString()!;
        Assert.Equal(temp.File("lenet-modern-misclassified.png"), grid);
        var (width, height) = PngSize(grid);
        Assert.Equal(8 * 128 + 8, width);                             // 8 columns of 112-px images with captions
        Assert.Equal(5 * (112 + 34 + 8) + 8, height);                 // 40 images
    }

    [Fact]
    public void HumanOutputShowsAccuracyAndConfusionMatrix()
    {
        using var temp = new TempFolder();
        string checkpoint = CopyRun(run, temp);
        var r = Run("eval", checkpoint, "--data", Sample, "--limit", "300", "--out", temp.File("grid.png"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("test accuracy", r.Out);
        Assert.Contains("Confusion matrix", r.Out);
        foreach (var name in new[] { "T-shirt/top", "Trouser", "Ankle boot", "recall" }) Assert.Contains(name, r.Out);
        Assert.True(File.Exists(temp.File("grid.png")));
    }

    [Fact]
    public void CheckpointOfAnotherArchitectureIsRefusedWithoutTouchingFiles()
    {
        using var temp = new TempFolder();
        string checkpoint = CopyRun(run, temp);
        // An MLP's weights under the LeNet's name, next to an earlier grid that must survive.
        Checkpoint.Save(checkpoint, ModelZoo.Create("mlp", new ZooOptions { Generator = new Generator(1) }));
        File.WriteAllText(temp.File("lenet-modern-misclassified.png"), "an earlier grid");
        var before = Snapshot(temp.Path);

        var r = Run("eval", checkpoint, "--data", Sample);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"eval: '{checkpoint}' does not hold the weights of lenet-modern", r.Err);
        Assert.Contains("another architecture", r.Err);
        Assert.Contains("0.weight", r.Err);                            // the module system's key list follows
        Assert.Equal("", r.Out);
        Unchanged(before, temp.Path);
    }

    [Fact]
    public void TruncatedCheckpointIsRefusedWithoutTouchingFiles()
    {
        using var temp = new TempFolder();
        string checkpoint = CopyRun(run, temp);
        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, bytes[..(bytes.Length / 2)]);
        var before = Snapshot(temp.Path);

        var r = Run("eval", checkpoint, "--data", Sample);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error:", r.Err);
        Assert.Contains(checkpoint, r.Err);
        Unchanged(before, temp.Path);
    }

    [Fact]
    public void MissingCheckpointOrSidecarIsAClearError()
    {
        using var temp = new TempFolder();
        var missing = Run("eval", temp.File("nothing.safetensors"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Err);

        string checkpoint = CopyRun(run, temp);
        File.Delete(Path.ChangeExtension(checkpoint, ".json"));
        var noSidecar = Run("eval", checkpoint, "--data", Sample);
        Assert.Equal(1, noSidecar.ExitCode);
        Assert.Contains("sidecar", noSidecar.Err);
        Assert.Contains("lenet-modern.json", noSidecar.Err);
        Assert.False(File.Exists(temp.File("lenet-modern-misclassified.png")));
    }

    [Fact]
    public void CorruptSidecarIsAClearError()
    {
        using var temp = new TempFolder();
        string checkpoint = CopyRun(run, temp);
        File.WriteAllText(Path.ChangeExtension(checkpoint, ".json"), "{\"format\": \"nabla-train/1\", \"model\": \"lenet9\", \"input_size\": 28}");
        var r = Run("eval", checkpoint, "--data", Sample);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("names the model 'lenet9'", r.Err);

        File.WriteAllText(Path.ChangeExtension(checkpoint, ".json"), "{ not json");
        r = Run("eval", checkpoint, "--data", Sample);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is not a valid run description", r.Err);
    }

    [Fact]
    public void HelpListsTheOptions()
    {
        var r = Run("eval", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var option in new[] { "CHECKPOINT", "--data", "--json", "--out", "--limit" }) Assert.Contains(option, r.Out);
    }
}
