using Nabla.Autograd;
using Nabla.Data;
using Nabla.Optim;
using Nabla.Optim.Schedules;
using Nabla.Tests.IO;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>Bad arguments and the NaN policy: clear errors naming what, where (epoch, batch) and why.</summary>
public class TrainerBadInputTests
{
    static DataLoader Blobs(int n = 60, int batch = 20) => new(TestData.Blobs(n, 4), batch);

    static (Trainer, TestMlp) Make(Func<Tensor, Tensor, Tensor>? loss = null, TrainerOptions? options = null)
    {
        var model = new TestMlp(4, 8, 3, seed: 2);
        return (new Trainer(model, new SGD(model.Parameters(), lr: 0.1), loss ?? TestLosses.CrossEntropy, options ?? new TrainerOptions { Generators = [] }), model);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void EpochsMustBePositive(int epochs)
    {
        var (trainer, _) = Make();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(Blobs(), epochs: epochs));
        Assert.Contains($"epochs must be at least 1, got {epochs}", e.Message);
    }

    [Fact]
    public void EmptyLoadersAreRefusedUpFront()
    {
        var (trainer, _) = Make();
        var empty = new DataLoader(TestData.Blobs(0, 1), 8);
        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(empty, epochs: 1));
        Assert.Contains("the training loader has no batches (a dataset of 0 items, batch size 8)", e.Message);
        // dropLast on a dataset smaller than a batch also leaves nothing.
        var dropped = new DataLoader(TestData.Blobs(5, 1), 8, dropLast: true);
        e = Assert.Throws<ArgumentException>(() => trainer.Fit(Blobs(), dropped, 1));
        Assert.Contains("the validation loader has no batches (a dataset of 5 items, batch size 8, drop last)", e.Message);
        e = Assert.Throws<ArgumentException>(() => trainer.Evaluate(empty));
        Assert.Contains("evaluation loader has no batches", e.Message);
        Assert.Equal(0, trainer.Epoch);
    }

    [Fact]
    public void ALossThatIsNotAScalarNamesTheShapeEpochAndBatch()
    {
        var (trainer, _) = Make((o, t) => TestLosses.CrossEntropy(o, t).Unsqueeze(0) * o.Sum(1));
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(Blobs(), epochs: 1));
        Assert.Contains("must return a scalar (a 0-d tensor), got shape [20] at epoch 1, batch 1 of 3 (training)", e.Message);
    }

    [Fact]
    public void ALossWithoutGradOrOfTheWrongDTypeIsRefused()
    {
        var (trainer, _) = Make((o, t) => TestLosses.CrossEntropy(o, t).Detach());
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(Blobs(), epochs: 1));
        Assert.Contains("does not require grad", e.Message);
        (trainer, _) = Make((o, t) => t.Sum());
        e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(Blobs(), epochs: 1));
        Assert.Contains("returned a int64 tensor at epoch 1, batch 1 of 3", e.Message);
        (trainer, _) = Make((o, t) => null!);
        e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(Blobs(), epochs: 1));
        Assert.Contains("returned null at epoch 1, batch 1 of 3", e.Message);
    }

    [Fact]
    public void NaNLossStopsAtTheBatchThatProducedItBeforeItsStep()
    {
        // The loss turns NaN in epoch 2, batch 3 (the 6th call): the error names them, and the parameters are
        // those after batch 2 (the NaN batch took no step).
        int calls = 0;
        var (trainer, model) = Make((o, t) =>
        {
            var loss = TestLosses.CrossEntropy(o, t);
            return ++calls == 6 ? loss * double.NaN : loss;
        });
        var snapshot = new SnapshotAtBatch(model, epoch: 2, batch: 2);
        trainer.Options.Callbacks.Add(snapshot);
        var e = Assert.Throws<NonFiniteLossException>(() => trainer.Fit(Blobs(), epochs: 3));
        Assert.Contains("the loss is NaN at epoch 2, batch 3 of 3 (training)", e.Message);
        Assert.Contains("step was skipped", e.Message);
        Assert.Equal((2, 3, "training"), (e.Epoch, e.Batch, e.Phase));
        Assert.True(double.IsNaN(e.Value));
        Assert.NotNull(snapshot.Snapshot);
        Assert.Equal(snapshot.Snapshot, RecordingCallback.Params(model));
        Assert.Equal(1, trainer.Epoch); // epoch 2 did not complete
        Assert.Equal(1, trainer.History.Count);
    }

    sealed class SnapshotAtBatch(TestMlp model, int epoch, int batch) : ITrainingCallback
    {
        public float[][]? Snapshot;
        public void OnBatchEnd(BatchProgress p)
        {
            if (p.Epoch == epoch && p.Batch == batch) Snapshot = RecordingCallback.Params(model);
        }
    }

    [Fact]
    public void InfiniteValidationLossNamesTheValidationPass()
    {
        var (trainer, _) = Make((o, t) => GradMode.IsEnabled ? TestLosses.CrossEntropy(o, t) : TestLosses.CrossEntropy(o, t) * double.PositiveInfinity);
        var e = Assert.Throws<NonFiniteLossException>(() => trainer.Fit(Blobs(), Blobs(40, 20), epochs: 2));
        Assert.Contains("the loss is ∞ at epoch 1, batch 1 of 2 (validation)", e.Message.Replace("Infinity", "∞"));
        Assert.Equal("validation", e.Phase);
    }

    [Fact]
    public void NonFiniteGradientNormWithClippingIsAnError()
    {
        // A finite loss with an infinite gradient: √u at u = 0 (u = o − o, with o in the graph).
        var (trainer, _) = Make((o, t) => TestLosses.CrossEntropy(o, t) + (o - o.Detach()).Sum().Sqrt(),
            new TrainerOptions { ClipGradNorm = 1, Generators = [] });
        var e = Assert.Throws<NonFiniteLossException>(() => trainer.Fit(Blobs(), epochs: 1));
        Assert.Contains("gradient norm is", e.Message);
        Assert.Contains("epoch 1, batch 1 of 3", e.Message);
    }

    [Fact]
    public void BadOptionsAreRefusedWhenTheTrainerIsBuilt()
    {
        var model = new TestMlp(4, 8, 3, seed: 2);
        var opt = new SGD(model.Parameters(), lr: 0.1);
        Assert.Contains("clipping norm must be a positive finite number, got 0",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, opt, TestLosses.CrossEntropy, new TrainerOptions { ClipGradNorm = 0 })).Message);
        Assert.Contains("k ≥ 1, got 0",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, opt, TestLosses.CrossEntropy, new TrainerOptions { TopK = 0 })).Message);
        Assert.Contains("patience must be ≥ 1 epoch, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(patience: 0)).Message);
        Assert.Contains("cannot monitor 'val_accuracy'", Assert.Throws<ArgumentException>(() => new MetricMonitor("val_accuracy")).Message);
        Assert.Contains("min_delta", Assert.Throws<ArgumentOutOfRangeException>(() => new MetricMonitor("loss", minDelta: -1)).Message);
        Assert.Contains("N ≥ 0", Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointOptions("x", everyEpochs: -1)).Message);
        var other = new SGD(new TestMlp(4, 8, 3, seed: 2).Parameters(), lr: 0.1);
        Assert.Contains("StepLR schedule drives another optimizer",
            Assert.Throws<ArgumentException>(() => new Trainer(model, opt, TestLosses.CrossEntropy, new TrainerOptions { Scheduler = new StepLR(other, 1) })).Message);
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() =>
        {
            var g = new Generator(1);
            return new Trainer(model, opt, TestLosses.CrossEntropy, new TrainerOptions { Generators = [g, g] });
        }).Message);
    }

    [Fact]
    public void AMonitorNeedsTheDataItWatches()
    {
        var (trainer, _) = Make(options: new TrainerOptions { Monitor = new MetricMonitor("val_acc"), Generators = [] });
        Assert.Contains("watches 'val_acc' but no validation loader was given",
            Assert.Throws<ArgumentException>(() => trainer.Fit(Blobs(), epochs: 1)).Message);
        (trainer, _) = Make(options: new TrainerOptions { Monitor = new MetricMonitor("topk_acc"), Generators = [] });
        Assert.Contains("TopK is not set", Assert.Throws<ArgumentException>(() => trainer.Fit(Blobs(), epochs: 1)).Message);

        // Accuracy on a regression problem does not exist.
        var x = Tensor.Zeros(8, 4);
        var model = new TestLinear(4, 1, new Generator(1));
        var reg = new Trainer(model, new SGD(model.Parameters(), lr: 0.1), TestLosses.Mse,
            new TrainerOptions { Monitor = new MetricMonitor("acc"), Generators = [] });
        var e = Assert.Throws<InvalidOperationException>(() => reg.Fit(new DataLoader(new TensorDataset(x, Tensor.Zeros(8, 1)), 4), epochs: 1));
        Assert.Contains("watches 'acc', but epoch 1 did not measure it", e.Message);
    }

    [Fact]
    public void TargetsThatAreNotClassIndicesOfTheLogitsAreNamed()
    {
        var (trainer, _) = Make((o, t) => o.Sum() * 0.0 + o.Mean());
        var bad = new DataLoader(new TensorDataset(Tensor.Zeros(4, 4), Tensor.From(new long[] { 0, 1, 7, 2 }, 4)), 4);
        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(bad, epochs: 1));
        Assert.Contains("target 7 at position 2 is not a class index for logits with 3 classes", e.Message);
    }

    [Fact]
    public void LoadCheckpointOfAMissingFileThrows()
    {
        var (trainer, _) = Make();
        using var dir = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => trainer.LoadCheckpoint(dir.File("nope.safetensors")));
    }
}
