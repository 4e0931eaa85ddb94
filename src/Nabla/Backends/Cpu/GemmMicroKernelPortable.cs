using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Backends.Cpu;

/// <summary>
/// The portable micro-kernel for machines without 256-bit SIMD (ARM64 NEON, old x86): a 4 × (2 Vector&lt;T&gt;)
/// tile in 8 accumulators, which fits every register file. With Vector&lt;T&gt;.Count == 1 it is plain scalar code.
/// </summary>
internal readonly unsafe struct GemmMicroKernelPortable : IGemmMicroKernel
{
    public static int Mr => 4;

    public static int Nr<T>() where T : unmanaged, INumber<T> => 2 * Vector<T>.Count;

    // Fused where the hardware has it (NEON, FMA3); a software fused multiply-add would be far slower than mul+add.
    static readonly bool HasFma = AdvSimd.IsSupported || Fma.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<T> MulAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged, INumber<T>
    {
        if (!HasFma) return a * b + c;
        if (typeof(T) == typeof(float))
            return Vector.FusedMultiplyAdd(Vector.AsVectorSingle(a), Vector.AsVectorSingle(b), Vector.AsVectorSingle(c)).As<float, T>();
        return Vector.FusedMultiplyAdd(Vector.AsVectorDouble(a), Vector.AsVectorDouble(b), Vector.AsVectorDouble(c)).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Accumulate<T>(T* c, Vector<T> lo, Vector<T> hi, bool overwrite) where T : unmanaged, INumber<T>
    {
        // overwrite: the first k-slice of a beta = 0 product stores the tile, so C needs no zero fill beforehand.
        if (overwrite)
        {
            Vector.Store(lo, c);
            Vector.Store(hi, c + Vector<T>.Count);
            return;
        }
        Vector.Store(Vector.Load(c) + lo, c);
        Vector.Store(Vector.Load(c + Vector<T>.Count) + hi, c + Vector<T>.Count);
    }

    /// <summary>C[0..4, 0..NR] += (or = when <paramref name="overwrite"/>) Apanel · Bpanel over <paramref name="kc"/> steps.</summary>
    public static void Run<T>(int kc, T* a, T* b, T* c, int ldc, bool overwrite) where T : unmanaged, INumber<T>
    {
        int w = Vector<T>.Count;
        Vector<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector<T> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector.Load(b);
            var b1 = Vector.Load(b + w);
            var x = new Vector<T>(a[0]); c00 = MulAdd(x, b0, c00); c01 = MulAdd(x, b1, c01);
            x = new Vector<T>(a[1]); c10 = MulAdd(x, b0, c10); c11 = MulAdd(x, b1, c11);
            x = new Vector<T>(a[2]); c20 = MulAdd(x, b0, c20); c21 = MulAdd(x, b1, c21);
            x = new Vector<T>(a[3]); c30 = MulAdd(x, b0, c30); c31 = MulAdd(x, b1, c31);
            a += Mr;
            b += 2 * w;
        }
        Accumulate(c, c00, c01, overwrite); c += ldc;
        Accumulate(c, c10, c11, overwrite); c += ldc;
        Accumulate(c, c20, c21, overwrite); c += ldc;
        Accumulate(c, c30, c31, overwrite);
    }
}
