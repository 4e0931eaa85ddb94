using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Each thread's GEMM packing buffers: allocated on the pinned object heap the first time a thread needs them,
/// grown when a larger product comes, kept for the thread's life, and 64-byte aligned. Rented from ArrayPool
/// instead, a multi-megabyte panel buffer sat in the ordinary heap once the apps raised the large-object
/// threshold (docs/PERFORMANCE.md, "Memory"): collections copied it as it aged and the pool dropped it now and
/// then, and each fresh copy paid page faults on its first use. The size is bounded by the blocking:
/// NC × KC elements for B (2 MB for float) and MC × KC for A, per thread that runs products.
/// </summary>
internal static unsafe class GemmScratch<T> where T : unmanaged
{
    [ThreadStatic] static T[]? _a;
    [ThreadStatic] static T[]? _b;

    /// <summary>Room for <paramref name="length"/> elements of packed A, valid until this thread's next product.</summary>
    public static T* A(int length) => Get(ref _a, length);

    /// <summary>Room for <paramref name="length"/> elements of packed B, valid until this thread's next product.</summary>
    public static T* B(int length) => Get(ref _b, length);

    static T* Get(ref T[]? buffer, int length)
    {
        int pad = 64 / sizeof(T);
        if (buffer is null || buffer.Length < length + pad)
            buffer = GC.AllocateUninitializedArray<T>(length + pad, pinned: true);
        var start = (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (T*)(((nint)start + 63) & ~(nint)63);
    }
}
