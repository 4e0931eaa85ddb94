using Nabla.Autograd;
using Nabla.Data;
using Nabla.Optim;
using Nabla.Optim.Schedules;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>Early stopping, the monitor, schedules, clipping, callbacks and evaluation mode.</summary>
public class TrainerBehaviourTests
{
    static DataLoader Blobs(int n = 60, int batch = 20, ulong seed = 4) => new(TestData.Blobs(n, seed), batch, shuffle: true, seed: 1);

    /// <summary>A trainer whose validation loss of epoch k is script[k − 1]; training is real SGD.</summary>
    static (Trainer Trainer, TestMlp Model, RecordingCallback Recorder) Scripted(double[] script, TrainerOptions? options = null, bool plateau = false)
    {
        var model = new TestMlp(4, 8, 3, seed: 2);
        var recorder = new RecordingCallback(model);
        Trainer trainer = null!;
        var opt = new SGD(model.Parameters(), lr: 0.05);
        options ??= new TrainerOptions();
        trainer = new Trainer(model, opt,
            (o, t) => GradMode.IsEnabled ? TestLosses.CrossEntropy(o, t) : TestLosses.CrossEntropy(o, t) * 0.0 + script[trainer.Epoch],
            new TrainerOptions
            {
                Monitor = options.Monitor,
                EarlyStopping = options.EarlyStopping,
                PlateauScheduler = plateau ? new ReduceLROnPlateau(opt, patience: 0, factor: 0.5) : null,
                Generators = [],
                Callbacks = { recorder },
            });
        return (trainer, model, recorder);
    }

    [Fact]
    public void EarlyStoppingTriggersAfterPatienceAndRestoresTheBestWeights()
    {
        var (trainer, model, rec) = Scripted([3, 2, 2.5, 2.1, 2.2, 1, 1], new TrainerOptions { EarlyStopping = new EarlyStopping(patience: 3, restoreBestWeights: true) });
        var history = trainer.Fit(Blobs(), Blobs(30, seed: 5), epochs: 7);
        Assert.Equal(5, history.Count);
        Assert.True(trainer.StoppedEarly);
        Assert.Equal(2, trainer.BestEpoch);
        Assert.Equal(2.0, trainer.BestValue);
        Assert.Equal(rec.Weights[2], RecordingCallback.Params(model));
        Assert.NotEqual(rec.Weights[5], rec.Weights[2]); // the restore changed something
        Assert.Equal([true, true, false, false, false], rec.Epochs.Select(e => e.IsBest));
        Assert.True(rec.End!.StoppedEarly);
        Assert.True(rec.End.RestoredBestWeights);
        Assert.Equal("val_loss", rec.End.Monitor);
    }

    [Fact]
    public void WithoutRestoreTheLastWeightsStay()
    {
        var (trainer, model, rec) = Scripted([3, 2, 2.5, 2.1], new TrainerOptions { EarlyStopping = new EarlyStopping(patience: 2) });
        trainer.Fit(Blobs(), Blobs(30, seed: 5), epochs: 4);
        Assert.Equal(4, trainer.Epoch);
        Assert.True(trainer.StoppedEarly);
        Assert.Equal(rec.Weights[4], RecordingCallback.Params(model));
        Assert.False(rec.End!.RestoredBestWeights);
    }

    [Fact]
    public void MinDeltaDemandsARealImprovement()
    {
        // 2.95 beats 3 by less than 0.1: not an improvement, so patience 2 stops after epoch 3.
        var (trainer, _, _) = Scripted([3, 2.95, 2.92, 1], new TrainerOptions
        {
            Monitor = new MetricMonitor("val_loss", minDelta: 0.1),
            EarlyStopping = new EarlyStopping(patience: 2),
        });
        trainer.Fit(Blobs(), Blobs(30, seed: 5), epochs: 4);
        Assert.Equal(3, trainer.Epoch);
        Assert.Equal(1, trainer.BestEpoch);
        // Without min_delta the same values keep improving.
        (trainer, _, _) = Scripted([3, 2.95, 2.92, 1], new TrainerOptions { EarlyStopping = new EarlyStopping(patience: 2) });
        trainer.Fit(Blobs(), Blobs(30, seed: 5), epochs: 4);
        Assert.Equal(4, trainer.Epoch);
        Assert.False(trainer.StoppedEarly);
    }

    [Fact]
    public void MaxModeFollowsTheMetricUpwards()
    {
        var monitor = new MetricMonitor("val_loss", MonitorMode.Max);
        Assert.Equal(MonitorMode.Max, monitor.Mode);
        var (trainer, _, _) = Scripted([1, 2, 1.5, 1.9, 1.2], new TrainerOptions { Monitor = monitor, EarlyStopping = new EarlyStopping(patience: 3) });
        trainer.Fit(Blobs(), Blobs(30, seed: 5), epochs: 5);
        Assert.Equal(2, trainer.BestEpoch);
        Assert.Equal(5, trainer.Epoch);
        Assert.True(trainer.StoppedEarly);
        // Auto mode: accuracies are maximised, losses minimised.
        Assert.Equal(MonitorMode.Max, new MetricMonitor("val_acc").Mode);
        Assert.Equal(MonitorMode.Min, new MetricMonitor("loss").Mode);
    }

    [Fact]
    public void PlateauScheduleStepsWithTheMonitoredValue()
    {
        var (trainer, _, _) = Scripted([3, 2, 2.5, 2.6], plateau: true);
        var history = trainer.Fit(Blobs(), Blobs(30, seed: 5), epochs: 4);
        // patience 0, factor 0.5: every epoch without improvement halves the rate for the next one.
        Assert.Equal([0.05, 0.05, 0.05, 0.025], history.Epochs.Select(e => e.Lr));
        Assert.Equal(0.0125, trainer.Optimizer.ParamGroups[0].Lr);
    }

    [Fact]
    public void EpochScheduleStepsOncePerEpochAndTheHistoryRecordsTheRateUsed()
    {
        var model = new TestMlp(4, 8, 3, seed: 2);
        var opt = new SGD(model.Parameters(), lr: 0.1);
        var trainer = new Trainer(model, opt, TestLosses.CrossEntropy,
            new TrainerOptions { Scheduler = new StepLR(opt, stepSize: 1, gamma: 0.5), Generators = [] });
        var history = trainer.Fit(Blobs(), epochs: 3);
        Assert.Equal([0.1, 0.05, 0.025], history.Epochs.Select(e => e.Lr));
        Assert.Equal(0.0125, opt.ParamGroups[0].Lr);
        Assert.Equal(9, trainer.Steps);
    }

    [Fact]
    public void ClippingBoundsEveryStep()
    {
        // With clipping to 1e-3 and SGD lr 1, no parameter can move more than 1e-3 in total per step.
        var model = new TestMlp(4, 8, 3, seed: 2);
        var before = RecordingCallback.Params(model);
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 1), TestLosses.CrossEntropy,
            new TrainerOptions { ClipGradNorm = 1e-3, Generators = [] });
        trainer.Fit(new DataLoader(TestData.Blobs(20, 1), 20), epochs: 1);
        var after = RecordingCallback.Params(model);
        double total = before.Zip(after).Sum(p => p.First.Zip(p.Second).Sum(v => (double)(v.First - v.Second) * (v.First - v.Second)));
        Assert.InRange(Math.Sqrt(total), 1e-4, 1.0001e-3);
    }

    [Fact]
    public void CallbacksSeeTheLoopInOrderWithProgress()
    {
        var model = new TestMlp(4, 8, 3, seed: 2);
        var rec = new RecordingCallback();
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.1), TestLosses.CrossEntropy,
            new TrainerOptions { Generators = [], Callbacks = { rec } });
        trainer.Fit(Blobs(50, 20), epochs: 2);
        Assert.Equal(["start 1/2", "epoch 1", "batch 1.1", "batch 1.2", "batch 1.3", "end 1",
            "epoch 2", "batch 2.1", "batch 2.2", "batch 2.3", "end 2", "done"], rec.Events);
        var p = rec.Batches[2];
        Assert.Equal((1, 2, 3, 3, 50L), (p.Epoch, p.Epochs, p.Batch, p.Batches, p.Samples));
        Assert.Equal(TimeSpan.Zero, p.Eta);
        Assert.True(rec.Batches[0].Eta > TimeSpan.Zero);
        Assert.True(p.SamplesPerSecond > 0);
        // The running loss is the sample-weighted mean of the batch losses (20, 20, 10 samples).
        var b = rec.Batches.Take(3).Select(x => x.BatchLoss).ToArray();
        Assert.Equal((20 * b[0] + 20 * b[1] + 10 * b[2]) / 50, p.Loss, 12);
        Assert.Equal(p.Loss, trainer.History[0].Loss);
        Assert.Equal(p.Accuracy, trainer.History[0].Accuracy);
    }

    [Fact]
    public void RequestStopEndsAfterTheCurrentEpoch()
    {
        var model = new TestMlp(4, 8, 3, seed: 2);
        Trainer trainer = null!;
        var stopper = new StopAt(2, () => trainer);
        trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.1), TestLosses.CrossEntropy,
            new TrainerOptions { Generators = [], Callbacks = { stopper } });
        trainer.Fit(Blobs(), epochs: 5);
        Assert.Equal(2, trainer.Epoch);
        Assert.False(trainer.StoppedEarly);
        Assert.True(stopper.End!.StopRequested);
        // A stop request does not stick: the next Fit continues.
        trainer.Fit(Blobs(), epochs: 3);
        Assert.Equal(3, trainer.Epoch);
    }

    sealed class StopAt(int epoch, Func<Trainer> trainer) : ITrainingCallback
    {
        public TrainEndInfo? End;
        public void OnBatchEnd(BatchProgress progress)
        {
            if (progress.Epoch == epoch && progress.Batch == 1) trainer().RequestStop();
        }
        public void OnTrainEnd(TrainEndInfo info) => End = info;
    }

    [Fact]
    public void TrainingRunsInTrainModeAndValidationInEvalModeWithoutAGraph()
    {
        var probe = new ModeRecorder();
        var trainer = new Trainer(probe, new SGD(probe.Parameters(), lr: 0.1), TestLosses.CrossEntropy, new TrainerOptions { Generators = [] });
        probe.Eval(); // the trainer switches modes itself
        trainer.Fit(Blobs(40, 20), Blobs(20, 20), epochs: 1);
        Assert.Equal(["train grad", "train grad", "eval nograd"], probe.Seen);
        // Evaluate restores the mode it found.
        probe.Train();
        probe.Seen.Clear();
        var metrics = trainer.Evaluate(Blobs(20, 20));
        Assert.Equal(["eval nograd"], probe.Seen);
        Assert.True(probe.IsTraining);
        Assert.Equal(20, metrics.Samples);
        Assert.NotNull(metrics.Accuracy);
    }

    sealed class ModeRecorder : Nabla.NN.Module
    {
        public readonly List<string> Seen = new();
        readonly TestLinear _fc = new(4, 3, new Generator(1));

        public ModeRecorder() => RegisterModule("fc", _fc);

        public override Tensor Forward(Tensor input)
        {
            Seen.Add($"{(IsTraining ? "train" : "eval")} {(GradMode.IsEnabled ? "grad" : "nograd")}");
            return _fc.Forward(input);
        }
    }
}
