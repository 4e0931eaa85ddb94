using System.Collections;

namespace Nabla.Data;

/// <summary>
/// Cuts a dataset into mini-batches, one epoch per enumeration (torch.utils.data.DataLoader with one worker).
/// <list type="bullet">
/// <item>Order: the dataset's order, or with <c>shuffle</c> a fresh permutation each epoch that depends only on
/// (seed, epoch), so a run is reproducible and a resumed run can ask for <see cref="ForEpoch"/>(k).</item>
/// <item>Batches hold <see cref="BatchSize"/> items; the last one is smaller unless <see cref="DropLast"/>.</item>
/// <item>Prefetch: with <see cref="Prefetch"/> &gt; 0 one background thread reads and collates up to that many
/// batches ahead, so data preparation overlaps the training step. An exception thrown while preparing a batch
/// is rethrown (same type, same message, original stack) on the consuming thread when it reaches that batch.
/// Ending or abandoning an enumeration (break, an exception, Dispose) stops the worker; an enumerator that is
/// never disposed stops it from its finalizer.</item>
/// </list>
/// </summary>
public class DataLoader<T, TBatch> : IEnumerable<TBatch>
{
    readonly Func<IReadOnlyList<T>, TBatch> _collate;
    int _nextEpoch;

    public DataLoader(IDataset<T> dataset, int batchSize, Func<IReadOnlyList<T>, TBatch> collate,
        bool shuffle = false, int seed = 0, bool dropLast = false, int prefetch = 2)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(collate);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"data_loader: batch size must be positive, got {batchSize}.");
        if (prefetch < 0) throw new ArgumentOutOfRangeException(nameof(prefetch), $"data_loader: prefetch must be 0 (no worker) or a positive queue size, got {prefetch}.");
        Dataset = dataset;
        BatchSize = batchSize;
        _collate = collate;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Prefetch = prefetch;
    }

    public IDataset<T> Dataset { get; }
    public int BatchSize { get; }
    public bool Shuffle { get; }
    public int Seed { get; }
    public bool DropLast { get; }

    /// <summary>How many collated batches the worker may hold ready; 0 collates on the consuming thread.</summary>
    public int Prefetch { get; }

    /// <summary>The epoch the next plain enumeration will use; each enumeration advances it by one.</summary>
    public int Epoch
    {
        get => _nextEpoch;
        set => _nextEpoch = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), $"data_loader: epoch must not be negative, got {value}.");
    }

    /// <summary>Batches per epoch.</summary>
    public int Count => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The order in which the dataset's items are read in <paramref name="epoch"/>.</summary>
    public int[] Order(int epoch)
    {
        int n = Dataset.Count;
        if (Shuffle) return SplitMix64.For(Seed, epoch).Permutation(n);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }

    /// <summary>The batches of one given epoch; does not change <see cref="Epoch"/>.</summary>
    public IEnumerable<TBatch> ForEpoch(int epoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), $"data_loader: epoch must not be negative, got {epoch}.");
        return new EpochEnumerable(this, epoch);
    }

    /// <summary>Starts the next epoch (see <see cref="Epoch"/>).</summary>
    public IEnumerator<TBatch> GetEnumerator() => Start(Interlocked.Increment(ref _nextEpoch) - 1);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    IEnumerator<TBatch> Start(int epoch)
    {
        var order = Order(epoch);
        int batches = DropLast ? order.Length / BatchSize : (order.Length + BatchSize - 1) / BatchSize;
        var dataset = Dataset;
        var collate = _collate;
        int batchSize = BatchSize;
        // Captures only what a batch needs, never the enumerator, so an abandoned enumerator can be collected
        // (and its finalizer stop the worker) while the worker thread still runs.
        TBatch Produce(int b)
        {
            int start = b * batchSize;
            int size = Math.Min(batchSize, order.Length - start);
            var items = new T[size];
            for (int i = 0; i < size; i++) items[i] = dataset.Get(order[start + i]);
            return collate(items);
        }
        return Prefetch == 0
            ? new SynchronousEnumerator<TBatch>(Produce, batches)
            : new PrefetchEnumerator<TBatch>(Produce, batches, Prefetch);
    }

    sealed class EpochEnumerable(DataLoader<T, TBatch> loader, int epoch) : IEnumerable<TBatch>
    {
        public IEnumerator<TBatch> GetEnumerator() => loader.Start(epoch);
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// The loader for <see cref="Example"/> datasets with the default collate (<see cref="Collate.Examples"/>):
/// each batch is (inputs stacked along dim 0, targets stacked along dim 0, int64 [B] for class labels).
/// </summary>
public sealed class DataLoader(IDataset<Example> dataset, int batchSize, bool shuffle = false, int seed = 0,
    bool dropLast = false, int prefetch = 2)
    : DataLoader<Example, Batch>(dataset, batchSize, Collate.Examples, shuffle, seed, dropLast, prefetch);

/// <summary>Batches made on the consuming thread, one per MoveNext.</summary>
internal sealed class SynchronousEnumerator<TBatch>(Func<int, TBatch> produce, int batches) : IEnumerator<TBatch>
{
    int _next;
    TBatch _current = default!;

    public TBatch Current => _current;
    object? IEnumerator.Current => _current;

    public bool MoveNext()
    {
        if (_next >= batches) return false;
        _current = produce(_next++);
        return true;
    }

    public void Reset() => throw new NotSupportedException("data_loader: start a new epoch by enumerating the loader again.");
    public void Dispose() => _next = batches;
}
