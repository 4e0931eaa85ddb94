using System.Runtime.CompilerServices;
using Nabla.Data;
using Nabla.Tests.Support;

namespace Nabla.Tests.Data;

public class DataLoaderTests
{
    /// <summary>n examples; example i has input [i, -i] and label i.</summary>
    static IDataset<Example> Numbers(int n) => Dataset.FromList(
        Enumerable.Range(0, n).Select(i => Example.Labeled(Tensor.From(new float[] { i, -i }), i)).ToList());

    static long[] Labels(Batch b) => b.Target.ToArray<long>();

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void BatchesInOrderWithASmallerLastBatch(int prefetch)
    {
        var loader = new DataLoader(Numbers(10), batchSize: 4, prefetch: prefetch);
        var batches = loader.ToList();
        Assert.Equal(3, loader.Count);
        Assert.Equal([4, 4, 2], batches.Select(b => b.Size));
        Assert.Equal([4, 2], batches[0].Input.Shape);
        Assert.Equal(DType.Float32, batches[0].Input.DType);
        Assert.Equal([4], batches[0].Target.Shape);
        Assert.Equal(DType.Int64, batches[0].Target.DType);
        Assert.Equal(new long[] { 8, 9 }, Labels(batches[2]));
        TensorAssert.Equal(Tensor.From(new float[] { 8, -8, 9, -9 }, 2, 2), batches[2].Input);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), batches.SelectMany(Labels));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void DropLastDropsTheIncompleteBatch(int prefetch)
    {
        var loader = new DataLoader(Numbers(10), batchSize: 4, dropLast: true, prefetch: prefetch);
        Assert.Equal(2, loader.Count);
        Assert.Equal([4, 4], loader.Select(b => b.Size));
        Assert.Equal([5, 5], new DataLoader(Numbers(10), 5, dropLast: true).Select(b => b.Size));
    }

    [Fact]
    public void AnEmptyDatasetGivesNoBatches()
    {
        Assert.Empty(new DataLoader(Numbers(0), 4));
        Assert.Empty(new DataLoader(Numbers(3), 4, dropLast: true));
    }

    [Fact]
    public void ShuffleIsAFreshPermutationEachEpochAndDeterministicGivenTheSeed()
    {
        var a = new DataLoader(Numbers(50), batchSize: 8, shuffle: true, seed: 42);
        var b = new DataLoader(Numbers(50), batchSize: 8, shuffle: true, seed: 42);
        var a0 = a.SelectMany(Labels).ToArray();
        var a1 = a.SelectMany(Labels).ToArray();
        Assert.Equal(2, a.Epoch);
        Assert.Equal(a0, b.SelectMany(Labels).ToArray());
        Assert.Equal(a1, b.SelectMany(Labels).ToArray());
        Assert.NotEqual(a0, a1);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), a0.Order());  // every item once
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), a1.Order());
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i), a0);

        // A given epoch can be replayed (resuming a run) without moving the counter.
        Assert.Equal(a1, a.ForEpoch(1).SelectMany(Labels).ToArray());
        Assert.Equal(2, a.Epoch);
        a.Epoch = 0;
        Assert.Equal(a0, a.SelectMany(Labels).ToArray());

        var other = new DataLoader(Numbers(50), batchSize: 8, shuffle: true, seed: 43);
        Assert.NotEqual(a0, other.SelectMany(Labels).ToArray());
    }

    [Fact]
    public void ShuffledOrderIsTheSameWithAndWithoutPrefetch()
    {
        var sync = new DataLoader(Numbers(30), 7, shuffle: true, seed: 5, prefetch: 0);
        var async = new DataLoader(Numbers(30), 7, shuffle: true, seed: 5, prefetch: 4);
        Assert.Equal(sync.ForEpoch(3).SelectMany(Labels), async.ForEpoch(3).SelectMany(Labels));
    }

    [Fact]
    public void TheShuffleOrderIsPinned()
    {
        // SplitMix64 is the data layer's own generator, so orders must not change between versions or platforms.
        var g = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, g.Next());
        Assert.Equal(SplitMix64.For(7, 3).Permutation(20), SplitMix64.For(7, 3).Permutation(20));
        Assert.NotEqual(SplitMix64.For(7, 3).Permutation(20), SplitMix64.For(7, 4).Permutation(20));
    }

    [Fact]
    public void ACustomCollateMakesAnyBatchType()
    {
        var loader = new DataLoader<int, int>(Dataset.FromList(Enumerable.Range(1, 10).ToList()), 3, items => items.Sum());
        Assert.Equal([6, 15, 24, 10], loader.ToList());
    }

    [Fact]
    public void AnExceptionInTheWorkerIsRethrownOnTheConsumerAfterTheGoodBatches()
    {
        var failing = Numbers(20).Map(e => e.Label == 7 ? throw new InvalidOperationException("bad example 7") : e);
        var loader = new DataLoader(failing, batchSize: 2, prefetch: 2);
        var seen = new List<long>();
        var consumer = Environment.CurrentManagedThreadId;
        var ex = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var b in loader)
            {
                Assert.Equal(consumer, Environment.CurrentManagedThreadId);
                seen.AddRange(Labels(b));
            }
        });
        Assert.Equal("bad example 7", ex.Message);
        Assert.Equal([0, 1, 2, 3, 4, 5], seen);
    }

    [Fact]
    public void CollationRunsOnTheWorkerThread()
    {
        int consumer = Environment.CurrentManagedThreadId;
        var threads = new List<int>();
        var loader = new DataLoader<int, int>(Dataset.FromList(Enumerable.Range(0, 6).ToList()), 2,
            items => { lock (threads) threads.Add(Environment.CurrentManagedThreadId); return items.Count; }, prefetch: 1);
        Assert.Equal([2, 2, 2], loader.ToList());
        Assert.All(threads, t => Assert.NotEqual(consumer, t));
    }

    [Fact]
    public void TheWorkerPrefetchesAheadButNoMoreThanTheQueueHolds()
    {
        int reads = 0;
        var counted = Dataset.FromList(Enumerable.Range(0, 100).ToList()).Map(i => { Interlocked.Increment(ref reads); return i; });
        var loader = new DataLoader<int, int>(counted, 1, items => items[0], prefetch: 1);
        using var e = loader.GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(0, e.Current);
        // Taken: batch 0. Queued: batch 1. Made and waiting for room: batch 2. Then the worker must block.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref reads) < 3 && DateTime.UtcNow < deadline) Thread.Sleep(5);
        Thread.Sleep(100);
        Assert.Equal(3, Volatile.Read(ref reads));
        Assert.True(e.MoveNext());
        Assert.Equal(1, e.Current);
    }

    [Fact]
    public void BreakingOutOfAnEpochStopsTheWorker()
    {
        var loader = new DataLoader(Numbers(100), batchSize: 2, prefetch: 2);
        var e = (PrefetchEnumerator<Batch>)loader.GetEnumerator();
        Assert.True(e.MoveNext());
        var worker = e.WorkerThread;
        e.Dispose();
        Assert.False(worker.IsAlive);
        Assert.False(e.MoveNext());

        Thread? last = null;
        foreach (var _ in loader.Take(1)) { }   // LINQ's Take disposes the enumerator
        var finished = (PrefetchEnumerator<Batch>)loader.GetEnumerator();
        while (finished.MoveNext()) last = finished.WorkerThread;
        Assert.True(last!.Join(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void AnAbandonedEnumeratorStopsItsWorkerWhenCollected()
    {
        var worker = StartAndAbandon(new DataLoader(Numbers(100), batchSize: 1, prefetch: 1));
        for (int i = 0; i < 5 && worker.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            worker.Join(TimeSpan.FromMilliseconds(200));
        }
        Assert.False(worker.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static Thread StartAndAbandon(DataLoader loader)
    {
        var e = (PrefetchEnumerator<Batch>)loader.GetEnumerator();
        Assert.True(e.MoveNext());
        return e.WorkerThread;   // the enumerator is dropped without Dispose
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbers(4), 0));
        Assert.Contains("data_loader: batch size must be positive, got 0", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbers(4), 2, prefetch: -1));
        Assert.Contains("prefetch", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbers(4), 2).ForEpoch(-1));
    }

    [Fact]
    public void CollateNamesTheExampleThatDoesNotMatch()
    {
        var mixed = Dataset.FromList(new[]
        {
            Example.Labeled(Tensor.Zeros(3), 0),
            Example.Labeled(Tensor.Zeros(4), 1),
        });
        var ex = Assert.Throws<ArgumentException>(() => new DataLoader(mixed, 2, prefetch: 1).ToList());
        Assert.Equal("collate: example 1 has input float32 of shape [4], but example 0 has float32 of shape [3]; every example of a batch must match.", ex.Message);
    }

    [Fact]
    public void RegressionTargetsStackAlongANewDim()
    {
        var items = Enumerable.Range(0, 5).Select(i => new Example(Tensor.Full([3], i), Tensor.Full([2], -i))).ToList();
        var batch = new DataLoader(Dataset.FromList(items), 5).Single();
        Assert.Equal([5, 3], batch.Input.Shape);
        Assert.Equal([5, 2], batch.Target.Shape);
        TensorAssert.Equal(Tensor.From(new float[] { 0, 0, -1, -1, -2, -2, -3, -3, -4, -4 }, 5, 2), batch.Target);
    }

    [Fact]
    public void CollateStackMatchesTensorStackAndKeepsGradients()
    {
        var a = Tensor.From(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var parts = new[] { a.T(), a.T() * 2.0, a.T().Contiguous() };   // non-contiguous views among them
        TensorAssert.Equal(Tensor.Stack(parts), Collate.Stack(parts));
        var longs = new[] { Tensor.FromScalar(3L), Tensor.FromScalar(-1L) };
        TensorAssert.Equal(Tensor.From(new long[] { 3, -1 }), Collate.Stack(longs));

        var leaf = Tensor.Zeros([2], DType.Float64).RequiresGrad_();
        var stacked = Collate.Stack([leaf, Tensor.Zeros([2], DType.Float64)]);
        Assert.NotNull(stacked.GradFnName);
        stacked.Sum().Backward();
        TensorAssert.Equal(Tensor.Ones([2], DType.Float64), leaf.Grad!);
    }
}
