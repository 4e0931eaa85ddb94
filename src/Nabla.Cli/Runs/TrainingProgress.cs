using System.Diagnostics;
using System.Globalization;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli.Runs;

/// <summary>
/// Shows a run's progress through the Trainer's callbacks. On a terminal (<see cref="Attach"/> given a Spectre
/// progress context) each epoch gets a live bar with batch, running loss and accuracy, samples/s and the ETA of the
/// epoch and of the run; elsewhere (a pipe, a file, --json, tests) it prints one plain line per epoch. Batch updates
/// are throttled to a few per second: the callback runs on the training thread.
/// </summary>
public sealed class TrainingProgress(IAnsiConsole console, string model) : ITrainingCallback
{
    static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(200);

    ProgressContext? _live;
    ProgressTask? _task;
    readonly Stopwatch _run = new();
    TimeSpan? _lastDraw;
    int _firstEpoch = 1;

    /// <summary>Draw live bars in <paramref name="context"/> (call before Fit, inside Progress.Start).</summary>
    public void Attach(ProgressContext context) => _live = context;

    public void OnTrainStart(TrainStartInfo info)
    {
        _run.Restart();
        _firstEpoch = info.FirstEpoch;
        if (_live is null)
            console.WriteLine($"training {model}: {info.Samples} images, {info.Batches} batches per epoch, epochs {info.FirstEpoch}..{info.Epochs}");
    }

    public void OnEpochStart(EpochStartInfo info)
    {
        if (_live is null) return;
        _task = _live.AddTask(Markup.Escape($"epoch {info.Epoch}/{info.Epochs}"), maxValue: info.Batches);
        _lastDraw = null;
    }

    public void OnBatchEnd(BatchProgress p)
    {
        if (_task is null) return;
        var now = _run.Elapsed;
        if (p.Batch != p.Batches && _lastDraw is { } last && now - last < RedrawEvery) return;
        _lastDraw = now;
        _task.Value = p.Batch;
        _task.Description = Markup.Escape(
            $"epoch {p.Epoch}/{p.Epochs}  batch {p.Batch}/{p.Batches}  loss {F(p.Loss)}  acc {Acc(p.Accuracy)}  " +
            $"{p.SamplesPerSecond:0} samples/s  ETA {Clock(p.Eta)} (run {Clock(RunEta(p))})");
    }

    public void OnEpochEnd(EpochEndInfo info)
    {
        var r = info.Record;
        string line = $"epoch {r.Epoch}/{info.Epochs}  train loss {F(r.Loss)}  acc {Acc(r.Accuracy)}  |  test loss {F(r.ValLoss)}  " +
            $"acc {Acc(r.ValAccuracy)}  |  {r.Seconds:0.0} s, {r.SamplesPerSecond:0} samples/s";
        if (_task is not null)
        {
            _task.Value = _task.MaxValue;
            _task.Description = Markup.Escape(line);
            _task.StopTask();
            _task = null;
        }
        else console.WriteLine(line);
    }

    /// <summary>Time left in the run: this epoch's ETA plus the remaining epochs at this run's average epoch time.</summary>
    TimeSpan RunEta(BatchProgress p)
    {
        double epochsDone = p.Epoch - _firstEpoch + (double)p.Batch / p.Batches;
        if (epochsDone <= 0) return TimeSpan.Zero;
        double perEpoch = _run.Elapsed.TotalSeconds / epochsDone;
        return p.Eta + TimeSpan.FromSeconds(perEpoch * (p.Epochs - p.Epoch));
    }

    static string F(double? v) => v is { } x ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    static string Acc(double? v) => v is { } x ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
