using Nabla.Autograd;
using Nabla.Data;
using Nabla.IO;
using Nabla.Optim;
using Nabla.Optim.Schedules;
using Nabla.Tests.IO;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>Checkpoint cadence, resuming exactly (2 + 2 epochs == 4 epochs, to the last bit) and reproducibility.</summary>
public class TrainerResumeTests
{
    /// <summary>Everything one run needs, built from seeds: model with dropout, Adam, StepLR, a shuffling loader.</summary>
    sealed class Run
    {
        public readonly Generator DropoutRng;
        public readonly TestMlp Model;
        public readonly Adam Optimizer;
        public readonly Trainer Trainer;
        public readonly DataLoader Train = new(TestData.Blobs(90, seed: 4, spread: 1.2), 16, shuffle: true, seed: 7);
        public readonly DataLoader Validation = new(TestData.Blobs(30, seed: 5, spread: 1.2), 8);
        public readonly RecordingCallback Recorder;

        public Run(ulong modelSeed = 1, ulong dropoutSeed = 9, string? checkpoints = null, int everyEpochs = 1, EarlyStopping? stopping = null,
            int prefetch = 2, double[]? validationScript = null)
        {
            DropoutRng = new Generator(dropoutSeed);
            Model = new TestMlp(4, 16, 3, modelSeed, dropout: 0.3, dropoutGenerator: DropoutRng);
            Optimizer = new Adam(Model.Parameters(), lr: 0.02);
            Recorder = new RecordingCallback(Model);
            Train = new DataLoader(TestData.Blobs(90, seed: 4, spread: 1.2), 16, shuffle: true, seed: 7, prefetch: prefetch);
            Func<Tensor, Tensor, Tensor> loss = TestLosses.CrossEntropy;
            if (validationScript is not null)
                // Real training; the validation loss of epoch k is validationScript[k - 1] (so the monitor's path is known).
                loss = (o, t) => GradMode.IsEnabled ? TestLosses.CrossEntropy(o, t) : TestLosses.CrossEntropy(o, t) * 0.0 + validationScript[Trainer!.Epoch];
            Trainer = new Trainer(Model, Optimizer, loss, new TrainerOptions
            {
                Scheduler = new StepLR(Optimizer, stepSize: 2, gamma: 0.5),
                ClipGradNorm = 0.5,
                TopK = 2,
                EarlyStopping = stopping,
                Checkpoints = checkpoints is null ? null : new CheckpointOptions(checkpoints, everyEpochs),
                Generators = [DropoutRng],
                Callbacks = { Recorder },
            });
        }

        public TrainingHistory Fit(int epochs) => Trainer.Fit(Train, Validation, epochs);

        public float[][] Params => RecordingCallback.Params(Model);
    }

    [Fact]
    public void TwoPlusTwoEpochsEqualFourToTheLastBit()
    {
        using var dir = new TempFolder();
        var straight = new Run();
        straight.Fit(4);

        var first = new Run(checkpoints: dir.Dir);
        first.Fit(2);
        // A new process: other seeds everywhere, so everything must come from the checkpoint.
        var resumed = new Run(modelSeed: 77, dropoutSeed: 123);
        resumed.Trainer.LoadCheckpoint(dir.File("last.safetensors"));
        Assert.Equal(2, resumed.Trainer.Epoch);
        Assert.Equal(first.Params, resumed.Params);
        resumed.Fit(4);

        Assert.Equal(4, resumed.Trainer.Epoch);
        Assert.Equal(straight.Params, resumed.Params);
        AssertSameHistory(straight.Trainer.History, resumed.Trainer.History);
        Assert.Equal(straight.DropoutRng.GetState(), resumed.DropoutRng.GetState());
        Assert.Equal(straight.Optimizer.ParamGroups[0].Lr, resumed.Optimizer.ParamGroups[0].Lr);
        Assert.Equal(straight.Trainer.Steps, resumed.Trainer.Steps);
        Assert.Equal(straight.Trainer.BestEpoch, resumed.Trainer.BestEpoch);
        // The resumed run starts at epoch 3.
        Assert.Equal("start 3/4", resumed.Recorder.Events[0]);
    }

    [Fact]
    public void ResumingFromAnEpochCheckpointAlsoMatches()
    {
        using var dir = new TempFolder();
        var straight = new Run();
        straight.Fit(3);
        var first = new Run(checkpoints: dir.Dir);
        first.Fit(3);
        var resumed = new Run(modelSeed: 5);
        resumed.Trainer.LoadCheckpoint(dir.File(CheckpointOptions.EpochFile(1)));
        Assert.Equal(1, resumed.Trainer.Epoch);
        resumed.Fit(3);
        Assert.Equal(straight.Params, resumed.Params);
        AssertSameHistory(straight.Trainer.History, resumed.Trainer.History);
    }

    [Theory]
    [InlineData(2)] // resumed at the best epoch
    [InlineData(3)] // resumed one epoch into the patience
    [InlineData(4)] // resumed two epochs into it
    public void ResumeWithEarlyStoppingStopsAtTheSameEpochWithTheSameBestWeights(int resumeAfter)
    {
        // Validation losses 1.0, 0.8, 0.9, 0.85, 0.95, ...: best at epoch 2; patience 3 stops after epoch 5 and
        // restores epoch 2's weights. A run resumed from any epoch's checkpoint must do exactly the same.
        double[] script = [1.0, 0.8, 0.9, 0.85, 0.95, 0.5, 0.4, 0.3];
        var stopping = new EarlyStopping(patience: 3, restoreBestWeights: true);
        var straight = new Run(stopping: stopping, validationScript: script);
        straight.Fit(8);
        Assert.True(straight.Trainer.StoppedEarly);
        Assert.Equal(5, straight.Trainer.Epoch);
        Assert.Equal(2, straight.Trainer.BestEpoch);
        Assert.Equal(straight.Recorder.Weights[2], straight.Params);

        using var dir = new TempFolder();
        new Run(checkpoints: dir.Dir, stopping: stopping, validationScript: script).Fit(resumeAfter);
        var resumed = new Run(modelSeed: 8, dropoutSeed: 8, stopping: stopping, validationScript: script);
        resumed.Trainer.LoadCheckpoint(dir.File(CheckpointOptions.EpochFile(resumeAfter)));
        resumed.Fit(8);
        Assert.True(resumed.Trainer.StoppedEarly);
        Assert.Equal(5, resumed.Trainer.Epoch);
        Assert.True(resumed.Recorder.End!.RestoredBestWeights);
        Assert.Equal(straight.Params, resumed.Params);
        AssertSameHistory(straight.Trainer.History, resumed.Trainer.History);

        // A stopped run stays stopped: fitting again trains nothing.
        resumed.Fit(8);
        Assert.Equal(5, resumed.Trainer.Epoch);
    }

    [Fact]
    public void ResumeWithRestoreBestWeightsNeedsTheBestFile()
    {
        using var dir = new TempFolder();
        double[] script = [1.0, 0.8, 0.9, 0.85];
        var stopping = new EarlyStopping(patience: 3, restoreBestWeights: true);
        new Run(checkpoints: dir.Dir, stopping: stopping, validationScript: script).Fit(3);
        File.Delete(dir.File("best.safetensors"));
        var resumed = new Run(stopping: stopping, validationScript: script);
        var before = resumed.Params;
        var e = Assert.Throws<FileNotFoundException>(() => resumed.Trainer.LoadCheckpoint(dir.File("last.safetensors")));
        Assert.Contains("best weights (epoch 2)", e.Message);
        Assert.Equal(before, resumed.Params);
        Assert.Equal(0, resumed.Trainer.Epoch);
    }

    [Fact]
    public void EachEpochReadsTheLoadersNextOrder()
    {
        // Targets are the item indices, recorded as the loss sees them during training.
        int n = 20;
        var x = Tensor.Zeros(n, 1);
        var y = Tensor.From(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), n, 1);
        var loader = new DataLoader(new TensorDataset(x, y), 6, shuffle: true, seed: 3);
        var seen = new List<float>();
        var model = new TestLinear(1, 1, new Generator(1));
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.0), (o, t) =>
        {
            if (GradMode.IsEnabled) seen.AddRange(t.ToArray<float>());
            return TestLosses.Mse(o, t);
        }, new TrainerOptions { Generators = [] });
        trainer.Fit(loader, epochs: 3);
        var expected = Enumerable.Range(0, 3).SelectMany(k => loader.Order(k)).Select(i => (float)i).ToArray();
        Assert.Equal(expected, seen.ToArray());
        Assert.NotEqual(loader.Order(0), loader.Order(1));
        Assert.Equal(3, loader.Epoch);
    }

    [Fact]
    public void SeededRunsAreReproducibleWithOrWithoutPrefetch()
    {
        var a = new Run();
        a.Fit(2);
        var b = new Run(prefetch: 0);
        b.Fit(2);
        Assert.Equal(a.Params, b.Params);
        AssertSameHistory(a.Trainer.History, b.Trainer.History);
        // Another dropout seed gives another run: the test can fail.
        var c = new Run(dropoutSeed: 10);
        c.Fit(2);
        Assert.NotEqual(a.Params, c.Params);
    }

    [Fact]
    public void FitTwiceInOneProcessEqualsOneFit()
    {
        var straight = new Run();
        straight.Fit(3);
        var twice = new Run();
        twice.Fit(1);
        twice.Fit(3);
        Assert.Equal(straight.Params, twice.Params);
        Assert.Equal(3, twice.Trainer.History.Count);
        // Reaching the target again trains nothing.
        twice.Fit(3);
        Assert.Equal(3, twice.Trainer.Epoch);
    }

    [Fact]
    public void CheckpointCadenceWritesTheExpectedFilesAndNoTemporaries()
    {
        using var dir = new TempFolder();
        var run = new Run(checkpoints: Path.Combine(dir.Dir, "nested", "run"), everyEpochs: 2);
        run.Fit(5);
        string folder = Path.Combine(dir.Dir, "nested", "run");
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        // Every file is complete (atomic writes leave no hidden .tmp behind).
        Assert.DoesNotContain(files, f => f!.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Contains("epoch-0002.safetensors", files);
        Assert.Contains("epoch-0004.safetensors", files);
        Assert.DoesNotContain("epoch-0001.safetensors", files);
        Assert.DoesNotContain("epoch-0003.safetensors", files);
        Assert.DoesNotContain("epoch-0005.safetensors", files);
        Assert.Contains("last.safetensors", files);
        Assert.Contains("best.safetensors", files);
        Assert.Contains("history.json", files);
        Assert.Contains("history.csv", files);

        // Each checkpoint holds the model, the optimizer and the trainer state of its epoch.
        var probe = new TestMlp(4, 16, 3, seed: 99, dropout: 0.3, dropoutGenerator: new Generator(1));
        var info = Checkpoint.Load(Path.Combine(folder, "epoch-0004.safetensors"), probe);
        Assert.Equal("4", info.Metadata["epoch"]);
        Assert.True(info.HasOptimizerState);
        Assert.Contains(Trainer.StateMetadataKey, info.Metadata.Keys);
        Assert.Equal("5", Checkpoint.Load(Path.Combine(folder, "last.safetensors"), probe).Metadata["epoch"]);
        string best = Checkpoint.Load(Path.Combine(folder, "best.safetensors"), probe).Metadata["epoch"];
        Assert.Equal(run.Trainer.BestEpoch.ToString(), best);

        // The history files match the run.
        var saved = TrainingHistory.LoadJson(Path.Combine(folder, "history.json"));
        AssertSameHistory(run.Trainer.History, saved);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(folder, "history.csv")).Length);

        // The callbacks were told which files each epoch wrote.
        Assert.Contains(run.Recorder.Epochs[1].SavedFiles, f => f.EndsWith("epoch-0002.safetensors", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Recorder.Epochs[2].SavedFiles, f => f.Contains("epoch-", StringComparison.Ordinal));
    }

    [Fact]
    public void EpochEveryZeroWritesOnlyLastAndBest()
    {
        using var dir = new TempFolder();
        new Run(checkpoints: dir.Dir, everyEpochs: 0).Fit(2);
        Assert.DoesNotContain(Directory.GetFiles(dir.Dir), f => Path.GetFileName(f).StartsWith("epoch-", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadingIntoAnIncompatibleTrainerChangesNothing()
    {
        using var dir = new TempFolder();
        new Run(checkpoints: dir.Dir).Fit(1);
        string path = dir.File("last.safetensors");

        // Without the schedule the saved run had.
        var model = new TestMlp(4, 16, 3, 3, dropout: 0.3, dropoutGenerator: new Generator(1));
        var before = RecordingCallback.Params(model);
        var sgd = new SGD(model.Parameters(), lr: 0.1);
        var trainer = new Trainer(model, sgd, TestLosses.CrossEntropy, new TrainerOptions { TopK = 2, Generators = [new Generator(1)] });
        var e = Assert.Throws<InvalidOperationException>(() => trainer.LoadCheckpoint(path));
        Assert.Contains("StepLR schedule", e.Message);
        Assert.Contains("cannot resume", e.Message);
        Assert.Equal(before, RecordingCallback.Params(model));
        Assert.Equal(0, trainer.Epoch);

        // With another number of generators.
        var opt = new Adam(model.Parameters(), lr: 0.02);
        trainer = new Trainer(model, opt, TestLosses.CrossEntropy, new TrainerOptions
            { TopK = 2, Scheduler = new StepLR(opt, 1, 0.7), Generators = [] });
        e = Assert.Throws<InvalidOperationException>(() => trainer.LoadCheckpoint(path));
        Assert.Contains("1 generator(s)", e.Message);
        Assert.Equal(before, RecordingCallback.Params(model));

        // A model-only checkpoint has no trainer state.
        string plain = dir.File("plain.safetensors");
        Checkpoint.Save(plain, model, opt);
        var d = Assert.Throws<InvalidDataException>(() => trainer.LoadCheckpoint(plain));
        Assert.Contains("holds no trainer state", d.Message);

        // A corrupt trainer state is reported as such.
        string bad = dir.File("bad.safetensors");
        Checkpoint.Save(bad, model, opt, new Dictionary<string, string> { [Trainer.StateMetadataKey] = "{\"format\": \"nabla.trainer_state\", \"version\": 1" });
        d = Assert.Throws<InvalidDataException>(() => trainer.LoadCheckpoint(bad));
        Assert.Contains("not valid JSON", d.Message);
    }

    [Fact]
    public void ResumingWithAnotherLoaderIsRefused()
    {
        using var dir = new TempFolder();
        new Run(checkpoints: dir.Dir).Fit(1);
        var resumed = new Run();
        resumed.Trainer.LoadCheckpoint(dir.File("last.safetensors"));
        var other = new DataLoader(TestData.Blobs(90, seed: 4), 16, shuffle: true, seed: 8);
        var e = Assert.Throws<InvalidOperationException>(() => resumed.Trainer.Fit(other, resumed.Validation, 3));
        Assert.Contains("seed 7", e.Message);
        Assert.Contains("seed 8", e.Message);
    }

    static void AssertSameHistory(TrainingHistory expected, TrainingHistory actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.TopK, actual.TopK);
        for (int i = 0; i < expected.Count; i++)
        {
            // Everything but the wall-clock figures must be identical.
            var e = expected[i] with { Seconds = 0, SamplesPerSecond = 0 };
            var a = actual[i] with { Seconds = 0, SamplesPerSecond = 0 };
            Assert.Equal(e, a);
        }
    }
}
