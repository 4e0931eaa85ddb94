using System.Collections;
using System.Runtime.ExceptionServices;

namespace Nabla.Data;

/// <summary>
/// Batches made ahead by one background thread into a bounded queue. The thread only references the
/// <see cref="Worker"/>, never this enumerator, so dropping the enumerator without Dispose lets the finalizer
/// stop the worker.
/// </summary>
internal sealed class PrefetchEnumerator<TBatch> : IEnumerator<TBatch>
{
    readonly Worker _worker;
    TBatch _current = default!;
    bool _finished;

    public PrefetchEnumerator(Func<int, TBatch> produce, int batches, int capacity)
    {
        _worker = new Worker(produce, batches, capacity);
        _worker.Thread.Start();
    }

    ~PrefetchEnumerator() => _worker.Cancel();

    /// <summary>The worker thread, for tests that check it ends.</summary>
    internal Thread WorkerThread => _worker.Thread;

    public TBatch Current => _current;
    object? IEnumerator.Current => _current;

    public bool MoveNext()
    {
        if (_finished) return false;
        if (_worker.Take(out _current, out var error)) return true;
        _finished = true;
        Dispose();
        if (error != null) ExceptionDispatchInfo.Capture(error).Throw();
        return false;
    }

    public void Reset() => throw new NotSupportedException("data_loader: start a new epoch by enumerating the loader again.");

    /// <summary>Stops the worker and waits for it, so no thread outlives the enumeration.</summary>
    public void Dispose()
    {
        _finished = true;
        _worker.Cancel();
        if (Thread.CurrentThread != _worker.Thread) _worker.Thread.Join();
        GC.SuppressFinalize(this);
    }

    sealed class Worker
    {
        readonly Func<int, TBatch> _produce;
        readonly int _batches;
        readonly int _capacity;
        readonly Queue<TBatch> _ready = new();
        readonly object _gate = new();
        bool _done, _cancelled;
        Exception? _error;

        public Worker(Func<int, TBatch> produce, int batches, int capacity)
        {
            _produce = produce;
            _batches = batches;
            _capacity = capacity;
            Thread = new Thread(Run) { IsBackground = true, Name = "Nabla data loader" };
        }

        public Thread Thread { get; }

        void Run()
        {
            try
            {
                for (int b = 0; b < _batches; b++)
                {
                    lock (_gate) if (_cancelled) return;
                    var batch = _produce(b);
                    lock (_gate)
                    {
                        while (_ready.Count >= _capacity && !_cancelled) Monitor.Wait(_gate);
                        if (_cancelled) return;
                        _ready.Enqueue(batch);
                        Monitor.PulseAll(_gate);
                    }
                }
            }
            catch (Exception e)
            {
                lock (_gate) _error = e;
            }
            finally
            {
                lock (_gate)
                {
                    _done = true;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        /// <summary>The next batch in order; false at the end, with the worker's exception if it failed.</summary>
        public bool Take(out TBatch batch, out Exception? error)
        {
            lock (_gate)
            {
                while (_ready.Count == 0 && !_done) Monitor.Wait(_gate);
                if (_ready.Count > 0)
                {
                    batch = _ready.Dequeue();
                    Monitor.PulseAll(_gate);
                    error = null;
                    return true;
                }
                batch = default!;
                error = _error;
                return false;
            }
        }

        public void Cancel()
        {
            lock (_gate)
            {
                _cancelled = true;
                _ready.Clear();
                Monitor.PulseAll(_gate);
            }
        }
    }
}
