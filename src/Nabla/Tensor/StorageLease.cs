using Nabla.Backends.Cpu;

namespace Nabla;

/// <summary>
/// While a lease is open on a thread, the large storages that thread allocates come from the buffer pool and are
/// listed here, so that whoever opened it can hand back the ones it knows nobody holds. The autograd engine opens
/// one for a backward pass: the gradients it passes between nodes, and each node's scratch tensors, are its own and
/// die within the pass (docs/PERFORMANCE.md, "Memory").
/// <para>
/// A recycled storage is emptied, not just given up: a tensor that still pointed at it by mistake would fail on
/// its next use instead of reading a later pass's numbers.
/// </para>
/// </summary>
internal sealed class StorageLease : IDisposable
{
    [ThreadStatic] static StorageLease? t_open;

    /// <summary>Turns recycling off for backward passes on this thread (tests compare against it, measurements A/B it).</summary>
    [ThreadStatic] internal static bool OffOnThisThread;

    /// <summary>
    /// Fills every reused buffer that is lent without zeroing with all-ones bits (NaN for floats) first. The test
    /// assembly sets it for all its tests, so that a kernel which leaves part of an "uninitialized" output unwritten,
    /// and so relied on fresh memory reading as zero, shows up as NaN instead of stale numbers.
    /// </summary>
    internal static bool PoisonReusedBuffers;

    readonly List<Storage> _live = [];
    readonly HashSet<Storage> _held = new(ReferenceEqualityComparer.Instance);
    int _suspended;

    StorageLease() { }

    /// <summary>Opens a lease on this thread; null when one is open already (a nested pass keeps to the collector) or recycling is off.</summary>
    public static StorageLease? Open()
    {
        if (t_open is not null || OffOnThisThread) return null;
        return t_open = new StorageLease();
    }

    /// <summary>The lease that should supply a storage of this size now, if any.</summary>
    internal static StorageLease? ForAllocation<T>(int length) where T : unmanaged =>
        t_open is { _suspended: 0 } lease && BufferPool<T>.Keeps(length) ? lease : null;

    /// <summary>A pooled storage, listed as live until recycled.</summary>
    internal Storage<T> Rent<T>(int length, bool zeroed) where T : unmanaged
    {
        var storage = new Storage<T>(Storage<T>.PooledBuffer(length, zeroed));
        _live.Add(storage);
        return storage;
    }

    /// <summary>A pooled buffer, contents unspecified, for an empty storage made before it (<see cref="Tensor.UninitializedBufferLast"/>).</summary>
    internal T[] Adopt<T>(Storage<T> storage, int length) where T : unmanaged
    {
        _live.Add(storage);
        return Storage<T>.PooledBuffer(length, zeroed: false);
    }

    /// <summary>Allocations inside the returned scope come from the collector: for tensors that outlive the lease (a leaf's Grad).</summary>
    public Suspension Suspend()
    {
        _suspended++;
        return new Suspension(this);
    }

    /// <summary>
    /// Hands back every live storage except those behind the tensors in <paramref name="held"/>. The caller vouches that no other
    /// reference to a live storage remains: each was allocated under this lease by code that keeps nothing.
    /// </summary>
    public void RecycleAllBut<TKey>(Dictionary<TKey, Tensor> held) where TKey : notnull
    {
        if (_live.Count == 0) return;
        foreach (var tensor in held.Values) _held.Add(tensor._storage);
        int kept = 0;
        for (int i = 0; i < _live.Count; i++)
        {
            if (_held.Contains(_live[i])) _live[kept++] = _live[i];
            else _live[i].Recycle();
        }
        _live.RemoveRange(kept, _live.Count - kept);
        _held.Clear();
    }

    /// <summary>Closes the lease. Storages still live are left to the collector (a pass that threw may still reference them).</summary>
    public void Dispose()
    {
        if (t_open != this) return;
        t_open = null;
        _live.Clear();
        BufferPool<float>.EndPass();
        BufferPool<double>.EndPass();
        BufferPool<long>.EndPass();
        BufferPool<bool>.EndPass();
    }

    public readonly struct Suspension(StorageLease lease) : IDisposable
    {
        public void Dispose() => lease._suspended--;
    }
}
