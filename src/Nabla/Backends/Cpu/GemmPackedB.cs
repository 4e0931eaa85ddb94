using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Backends.Cpu;

/// <summary>
/// op(B) (k×n) packed ONCE into the panel layout of one blocked micro-kernel, so a run of products that share
/// the right-hand matrix (a recurrent layer's h·W_hhᵀ at every time step) skips the packing pass each time.
/// Layout: KC-deep slices of k one after another (the slice depth is the one <see cref="GemmBlocked{T,TKernel}"/>
/// would choose for this k); inside a slice, NR-column panels, each stored k-step by k-step (NR values per step),
/// the last one zero-padded. Slice s starts at s·KC·nPadded, its panel for columns j..j+NR at j·kc.
/// The buffer is pooled and pinned (so the 64-byte alignment of the panels survives a GC) until <see cref="Dispose"/>.
/// </summary>
internal sealed unsafe class GemmPackedB<T> : IDisposable where T : unmanaged, INumber<T>
{
    T[]? _buffer;
    GCHandle _pin;

    /// <summary>Depth (rows of op(B)) and width (columns of op(B)).</summary>
    public int K { get; }
    public int N { get; }
    /// <summary>The micro-kernel the panels are laid out for; products with this operand run on it.</summary>
    public GemmPath Path { get; }
    /// <summary>Depth of one k-slice and the panel width of <see cref="Path"/>.</summary>
    internal int SliceDepth { get; }
    internal int Nr { get; }
    /// <summary>Start of the packed panels (64-byte aligned); null once disposed.</summary>
    internal T* Data { get; private set; }

    internal GemmPackedB(GemmPath path, int k, int n, int sliceDepth, int nr)
    {
        (Path, K, N, SliceDepth, Nr) = (path, k, n, sliceDepth, nr);
        long length = (long)k * ((n + nr - 1) / nr * nr);
        if (length > Array.MaxLength - 64)
            throw new ArgumentException($"gemm: a packed {k}×{n} operand is too large for one buffer.");
        _buffer = ArrayPool<T>.Shared.Rent((int)length + 64 / sizeof(T));
        _pin = GCHandle.Alloc(_buffer, GCHandleType.Pinned);
        Data = (T*)(((nint)_pin.AddrOfPinnedObject() + 63) & ~(nint)63);
    }

    /// <summary>Unpins the buffer and returns it to the pool. Products with this operand throw afterwards.</summary>
    public void Dispose()
    {
        if (_buffer is null) return;
        Data = null;
        _pin.Free();
        ArrayPool<T>.Shared.Return(_buffer);
        _buffer = null;
    }
}
