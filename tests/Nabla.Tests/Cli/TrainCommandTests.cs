using System.Text.Json;
using Nabla.Cli.Runs;
using Nabla.Data;
using Nabla.Tests.Support;
using static Nabla.Tests.Cli.CliHarness;

namespace Nabla.Tests.Cli;

/// <summary>`nabla train`: a real short run (JSON line, checkpoint, sidecar, curves), the fallback to the shipped sample, and bad input.</summary>
[Collection(CliTrainingCollection.Name)]
public class TrainCommandTests(TrainedRunFixture run)
{
    [Fact]
    public void JsonRunEndsWithOneLineOfSaneResults()
    {
        Assert.True(run.Run.ExitCode == 0, run.Run.ToString());
        var lines = run.Run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        var j = run.Json;
        Assert.Equal(["model", "epochs", "train_loss", "test_accuracy", "seconds", "checkpoint"], j.EnumerateObject().Select(p => p.Name).Take(6));
        Assert.Equal("lenet-modern", j.GetProperty("model").GetString());
        Assert.Equal(1, j.GetProperty("epochs").GetInt32());
        double loss = j.GetProperty("train_loss").GetDouble();
        Assert.InRange(loss, 0.05, 2.5);                          // ln 10 = 2.30 is chance; one epoch learns something
        double accuracy = j.GetProperty("test_accuracy").GetDouble();
        Assert.InRange(accuracy, 0.35, 1.0);                      // chance is 0.1
        Assert.InRange(j.GetProperty("seconds").GetDouble(), 0.001, 120);
        Assert.Equal(run.Checkpoint, j.GetProperty("checkpoint").GetString());
        Assert.True(j.GetProperty("sample").GetBoolean());
        // Progress went to stderr, one line per epoch.
        Assert.Contains("epoch 1/1", run.Run.Err);
    }

    [Fact]
    public void RunLeavesCheckpointSidecarCurvesAndHistory()
    {
        Assert.True(run.Run.ExitCode == 0, run.Run.ToString());
        var tensors = Nabla.IO.Safetensors.Load(run.Checkpoint, out var meta);
        Assert.Equal("1", meta["epoch"]);
        Assert.Equal([6, 1, 5, 5], tensors["0.weight"].Shape);        // PyTorch's Sequential names
        Assert.Contains("1.running_mean", tensors.Keys);

        var config = RunConfig.Load(RunConfig.SidecarPath(run.Checkpoint), "test");
        Assert.Equal("lenet-modern", config.Model);
        Assert.Equal(28, config.InputSize);
        Assert.Equal(62_158, config.Parameters);
        Assert.Equal("sgd", config.Optimizer);
        Assert.Equal("xavier", config.Init);                         // the notes' train_ch6 init
        Assert.Equal(1.0, config.Lr);                                 // the notes' recipe for BatchNorm LeNet
        Assert.Equal(50, config.BatchSize);
        Assert.Equal(TrainedRunFixture.Limit, config.Limit);
        Assert.Equal(run.Json.GetProperty("test_accuracy").GetDouble(), config.TestAccuracy);
        Assert.Equal(FashionMnist.Classes, config.Classes);

        Assert.Equal((900, 500), PngSize(Path.Combine(run.Out, "lenet-modern-curves.png")));
        var history = Nabla.Training.TrainingHistory.LoadJson(Path.Combine(run.Out, "history.json"));
        Assert.Equal(1, history.Count);
        Assert.Equal(run.Json.GetProperty("train_loss").GetDouble(), history[0].Loss, 12);
    }

    [Fact]
    public void HumanOutputHasEpochLinesAndSummaryTable()
    {
        using var temp = new TempFolder();
        var r = Run("train", "mlp", "--data", Sample, "--out", temp.Path, "--epochs", "2", "--limit", "200", "--batch-size", "100");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("epoch 1/2", r.Out);
        Assert.Contains("epoch 2/2", r.Out);
        Assert.Contains("mlp on Fashion-MNIST", r.Out);
        foreach (var column in new[] { "train loss", "train acc", "test loss", "test acc", "seconds" }) Assert.Contains(column, r.Out);
        Assert.Contains(Path.Combine(temp.Path, "mlp.safetensors"), r.Out);
        Assert.True(File.Exists(Path.Combine(temp.Path, "mlp-curves.png")));
    }

    [Fact]
    public void WithoutTheFullDatasetItFallsBackToTheSampleAndSaysSo()
    {
        using var temp = new TempFolder();
        string? before = Environment.GetEnvironmentVariable(DataLocator.EnvironmentVariable);
        Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, Path.Combine(temp.Path, "not-installed"));
        try
        {
            var r = Run("train", "softmax", "--out", Path.Combine(temp.Path, "out"), "--epochs", "1", "--limit", "100", "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("the full Fashion-MNIST is not installed in", r.Err);
            Assert.Contains("shipped sample", r.Err);
            Assert.Contains("fashion-mnist-sample", r.Err);
            var j = JsonDocument.Parse(r.Out).RootElement;
            Assert.True(j.GetProperty("sample").GetBoolean());
            Assert.EndsWith("fashion-mnist-sample", j.GetProperty("data").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, before);
        }
    }

    [Fact]
    public void MissingDataFolderIsRefusedBeforeAnythingIsWritten()
    {
        using var temp = new TempFolder();
        string missing = Path.Combine(temp.Path, "no-such-folder");
        string outDir = Path.Combine(temp.Path, "out");
        var r = Run("train", "lenet", "--data", missing, "--out", outDir);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"train: the data folder '{missing}' does not exist", r.Err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void CorruptIdxHeaderIsRefusedAndThePreviousRunIsKept()
    {
        using var temp = new TempFolder();
        string data = Path.Combine(temp.Path, "data");
        Directory.CreateDirectory(data);
        foreach (var f in Directory.GetFiles(Sample)) File.Copy(f, Path.Combine(data, Path.GetFileName(f)));
        string images = Path.Combine(data, "train-images-idx3-ubyte.gz");
        File.WriteAllBytes(images, [0, 0, 0x0D, 3, 0, 0, 0, 1]);   // element type 0x0D (float), one image, then nothing
        string outDir = Path.Combine(temp.Path, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "lenet.safetensors"), "the previous run");
        var before = Snapshot(outDir);

        var r = Run("train", "lenet", "--data", data, "--out", outDir);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error:", r.Err);
        Assert.Contains("train-images-idx3-ubyte.gz", r.Err);
        Unchanged(before, outDir);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void EpochsMustBePositive(string epochs)
    {
        using var temp = new TempFolder();
        var r = Run("train", "lenet", "--epochs", epochs, "--data", Sample, "--out", Path.Combine(temp.Path, "out"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"--epochs must be at least 1, got {epochs}", r.Err);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "out")));
    }

    [Fact]
    public void UnknownModelListsTheImageModels()
    {
        var r = Run("train", "lenet7", "--data", Sample);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("train: unknown model 'lenet7'", r.Err);
        Assert.Contains("lenet-modern", r.Err);
        Assert.Contains("resnet18-small", r.Err);
    }

    [Fact]
    public void CosineScheduleAnnealsTheRateEachEpochAndIsRecorded()
    {
        using var temp = new TempFolder();
        var r = Run("train", "mlp", "--data", Sample, "--out", temp.Path, "--epochs", "3", "--limit", "100", "--batch-size", "50",
            "--lr", "0.2", "--schedule", "cosine", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var history = Nabla.Training.TrainingHistory.LoadJson(Path.Combine(temp.Path, "history.json"));
        // CosineAnnealingLR(T_max = 3): lr_e = 0.2 · (1 + cos(π e / 3)) / 2 during epoch e = 0, 1, 2.
        double[] expected = [0.2, 0.15, 0.05];
        for (int e = 0; e < 3; e++) Assert.Equal(expected[e], history[e].Lr, 12);
        Assert.Equal("cosine", RunConfig.Load(RunConfig.SidecarPath(Path.Combine(temp.Path, "mlp.safetensors")), "test").Schedule);
    }

    [Fact]
    public void TextModelIsRefused()
    {
        var r = Run("train", "textcnn", "--data", Sample);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("textcnn reads token ids, not images", r.Err);
    }

    [Theory]
    [InlineData("--optimizer", "lbfgs", "--optimizer: unknown optimizer 'lbfgs'; the optimizers are sgd, adam, adamw")]
    [InlineData("--schedule", "linear", "--schedule: unknown schedule 'linear'; the schedules are none, cosine, step")]
    [InlineData("--init", "he", "--init: unknown init 'he'; the inits are default, xavier, normal")]
    [InlineData("--lr", "0", "--lr must be a finite number greater than 0, got 0")]
    [InlineData("--batch-size", "0", "--batch-size must be at least 1, got 0")]
    [InlineData("--limit", "0", "--limit must be at least 1, got 0")]
    [InlineData("--weight-decay", "-1", "--weight-decay must be a finite number ≥ 0, got -1")]
    public void BadOptionsAreUsageErrors(string option, string value, string message)
    {
        var r = Run("train", "mlp", option, value, "--data", Sample);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err);
    }

    [Fact]
    public void ResizeTooSmallForTheModelIsRefused()
    {
        using var temp = new TempFolder();
        var r = Run("train", "lenet", "--resize", "8", "--data", Sample, "--out", Path.Combine(temp.Path, "out"), "--limit", "10");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("LeNet", r.Err);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "out")));
    }

    [Fact]
    public void HelpListsTheOptions()
    {
        var r = Run("train", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var option in new[] { "--epochs", "--batch-size", "--lr", "--optimizer", "--momentum", "--weight-decay", "--schedule", "--init", "--data", "--out", "--seed", "--resize", "--augment", "--limit", "--json", "--threads" })
            Assert.Contains(option, r.Out);
    }
}

/// <summary>The notes' weight initialisations that `nabla train --init` applies.</summary>
public class WeightInitTests
{
    [Fact]
    public void XavierAndNormalReplaceLinearAndConvWeightsButNotBiases()
    {
        var model = Nabla.Models.ModelZoo.Create("lenet", new Nabla.Models.ZooOptions { Generator = new Generator(1) });
        var before = model.StateDict().ToDictionary(p => p.Key, p => p.Value.Clone());
        WeightInit.Apply(model, "xavier", new Generator(2));
        var after = model.StateDict();
        foreach (var (key, value) in after)
        {
            bool same = before[key].ToArray<float>().SequenceEqual(value.ToArray<float>());
            Assert.True(key.EndsWith(".bias") == same, $"{key}: {(same ? "unchanged" : "changed")}");
        }
        // Xavier uniform bound for the last Linear(84, 10): √(6 / 94).
        double bound = Math.Sqrt(6.0 / 94);
        Assert.All(after["11.weight"].ToArray<float>(), v => Assert.InRange(Math.Abs(v), 0, bound));

        WeightInit.Apply(model, "normal", new Generator(3));
        var w = after["0.weight"].ToArray<float>();
        Assert.InRange(Math.Sqrt(w.Select(v => (double)v * v).Average()), 0.005, 0.02);   // σ = 0.01 over 150 draws
    }
}
