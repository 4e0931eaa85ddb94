using System.Diagnostics;
using System.Globalization;
using Nabla.Models.Text;
using Spectre.Console;

namespace Nabla.Cli.Runs;

/// <summary>
/// Progress of a language-model run: on a terminal (<see cref="Attach"/>) a live bar per epoch with the running
/// perplexity, tokens/s and the ETA of the epoch and of the run; elsewhere (pipe, file, --json, tests) one line per
/// epoch with the perplexities, tokens/s and the run's ETA.
/// </summary>
public sealed class LanguageModelProgress(IAnsiConsole console, string model) : ILanguageModelCallback
{
    static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(200);

    ProgressContext? _live;
    ProgressTask? _task;
    readonly Stopwatch _run = new();
    TimeSpan? _lastDraw;
    int _firstEpoch = 1;

    public void Attach(ProgressContext context) => _live = context;

    public void OnTrainStart(int firstEpoch, int epochs, int batches, long tokens)
    {
        _run.Restart();
        _firstEpoch = firstEpoch;
        if (_live is null)
            console.WriteLine($"training {model}: {tokens:N0} tokens in {batches} batches per epoch, epochs {firstEpoch}..{epochs}");
    }

    public void OnBatchEnd(LanguageModelBatch p)
    {
        if (_live is null) return;
        if (_task is null || p.Batch == 1)
        {
            _task?.StopTask();
            _task = _live.AddTask(Markup.Escape($"epoch {p.Epoch}/{p.Epochs}"), maxValue: p.Batches);
            _lastDraw = null;
        }
        var now = _run.Elapsed;
        if (p.Batch != p.Batches && _lastDraw is { } last && now - last < RedrawEvery) return;
        _lastDraw = now;
        _task.Value = p.Batch;
        _task.Description = Markup.Escape($"epoch {p.Epoch}/{p.Epochs}  batch {p.Batch}/{p.Batches}  perplexity {F(p.RunningPerplexity)}  " +
            $"{p.TokensPerSecond:0} tokens/s  ETA {Clock(p.Eta)}");
    }

    public void OnEpochEnd(LanguageModelEpoch r, int epochs)
    {
        double done = r.Epoch - _firstEpoch + 1;
        var eta = TimeSpan.FromSeconds(_run.Elapsed.TotalSeconds / done * (epochs - r.Epoch));
        string line = $"epoch {r.Epoch}/{epochs}  train perplexity {F(r.TrainPerplexity)}" +
            (r.ValPerplexity is { } v ? $"  val perplexity {F(v)}" : "") +
            $"  |  {r.Seconds:0.0} s, {r.TokensPerSecond:0} tokens/s, ETA {Clock(eta)}";
        if (_task is not null)
        {
            _task.Value = _task.MaxValue;
            _task.Description = Markup.Escape(line);
            _task.StopTask();
            _task = null;
        }
        else console.WriteLine(line);
    }

    static string F(double v) => v.ToString(v < 100 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
