using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Backends.Cpu;

/// <summary>
/// GEMM packing buffers: a small shared stack of pinned buffers (pinned object heap, never moved, grown when a
/// larger product comes, kept for the process's life), 64-byte aligned. A product's worker takes one at its
/// start and gives it back at its end, so there are only as many as products ever ran at once (one per core for a
/// threaded product) rather than one per thread that ever multiplied. Rented from ArrayPool instead, a
/// multi-megabyte panel buffer sat in the ordinary heap once the apps raised the large-object threshold
/// (docs/PERFORMANCE.md, "Memory"): collections copied it as it aged and the pool dropped it now and then, and
/// each fresh copy paid page faults on its first use. A buffer holds NC × KC elements of B and MC × KC of A at
/// most (16.75 MB for float).
/// </summary>
internal sealed unsafe class GemmScratch<T> where T : unmanaged
{
    /// <summary>Buffers for packed A panels (MC × KC at most) and for packed B blocks (NC × KC), kept apart so a small A buffer is never handed out for a B block.</summary>
    public static readonly GemmScratch<T> A = new(), B = new();

    /// <summary>Buffers kept for reuse beyond this count are left to the collector.</summary>
    static readonly int Keep = 2 * Environment.ProcessorCount;

    readonly Stack<T[]> Free = new();

    /// <summary>A pinned buffer of at least <paramref name="length"/> elements past its 64-byte aligned start.</summary>
    public T[] Take(int length)
    {
        int pad = 64 / sizeof(T);
        T[]? buffer = null;
        lock (Free)
            if (Free.Count > 0) buffer = Free.Pop();
        if (buffer is null || buffer.Length < length + pad)
            buffer = GC.AllocateUninitializedArray<T>(length + pad, pinned: true);
        return buffer;
    }

    /// <summary>Hands a buffer from <see cref="Take"/> back for the next product.</summary>
    public void Give(T[] buffer)
    {
        lock (Free)
            if (Free.Count < Keep) Free.Push(buffer);
    }

    /// <summary>The 64-byte aligned start of a buffer from <see cref="Take"/> (pinned, so the address is stable).</summary>
    public static T* Start(T[] buffer)
    {
        var first = (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (T*)(((nint)first + 63) & ~(nint)63);
    }
}
