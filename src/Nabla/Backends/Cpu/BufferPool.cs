namespace Nabla.Backends.Cpu;

/// <summary>The setting every element type's pool shares.</summary>
internal static class BufferPool
{
    public const int DefaultMinBytes = 16 * 1024;

    /// <summary>
    /// Smallest buffer worth keeping, in bytes: a smaller one costs the collector little and a lookup would cost
    /// more. The test assembly lowers it to 1, so that every test's backward pass runs on recycled buffers.
    /// </summary>
    public static int MinBytes = DefaultMinBytes;
}

/// <summary>
/// Each thread's free tensor buffers, kept by exact length: a training step makes the same shapes every time, so
/// a buffer handed back in one backward pass is the one the next pass asks for. Only buffers of at least
/// <see cref="BufferPool.MinBytes"/> are kept.
/// <para>
/// Buffers age by pass: one that no pass has taken since the pass before it was handed back is dropped to the
/// collector, so the pool holds about one pass's worth and forgets shapes the program no longer uses.
/// </para>
/// </summary>
internal static class BufferPool<T> where T : unmanaged
{
    readonly record struct FreeBuffer(T[] Buffer, int Pass);

    [ThreadStatic] static Dictionary<int, List<FreeBuffer>>? t_free;
    [ThreadStatic] static int t_pass;

    public static unsafe bool Keeps(int length) => length > 0 && (long)length * sizeof(T) >= BufferPool.MinBytes;

    /// <summary>A free buffer of exactly <paramref name="length"/> elements, the one handed back last; null if none.</summary>
    public static T[]? TryRent(int length)
    {
        if (t_free is null || !t_free.TryGetValue(length, out var list) || list.Count == 0) return null;
        var buffer = list[^1].Buffer;
        list.RemoveAt(list.Count - 1);
        return buffer;
    }

    /// <summary>Takes a buffer back; the caller must hold no reference to it any more.</summary>
    public static void Return(T[] buffer)
    {
        if (!Keeps(buffer.Length)) return;
        t_free ??= [];
        if (!t_free.TryGetValue(buffer.Length, out var list)) t_free[buffer.Length] = list = [];
        list.Add(new FreeBuffer(buffer, t_pass));
    }

    /// <summary>Ends a pass: drops the buffers that were already free when it began and that it did not take.</summary>
    public static void EndPass()
    {
        if (t_free is not null)
        {
            foreach (var (length, list) in t_free)
            {
                int kept = 0;
                for (int i = 0; i < list.Count; i++)
                    if (list[i].Pass == t_pass) list[kept++] = list[i];
                list.RemoveRange(kept, list.Count - kept);
                // Removing during enumeration is allowed for Dictionary; a length no longer used is forgotten.
                if (kept == 0) t_free.Remove(length);
            }
        }
        t_pass++;
    }
}
