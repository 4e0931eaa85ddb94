using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// The AVX2/FMA micro-kernel: a 6 × (2 vectors) tile of C in 12 ymm accumulators (the classic Haswell
/// shape). 12 accumulators + 2 B vectors + 1 broadcast fit the 16 ymm registers. Tile: 6×16 floats or 6×8 doubles.
/// </summary>
internal readonly unsafe struct GemmMicroKernel256 : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr<T>() where T : unmanaged, INumber<T> => 2 * Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Accumulate<T>(T* c, Vector256<T> lo, Vector256<T> hi, bool overwrite) where T : unmanaged, INumber<T>
    {
        // overwrite: the first k-slice of a beta = 0 product stores the tile, so C needs no zero fill beforehand.
        if (overwrite)
        {
            Vector256.Store(lo, c);
            Vector256.Store(hi, c + Vector256<T>.Count);
            return;
        }
        Vector256.Store(Vector256.Load(c) + lo, c);
        Vector256.Store(Vector256.Load(c + Vector256<T>.Count) + hi, c + Vector256<T>.Count);
    }

    /// <summary>C[0..6, 0..NR] += (or = when <paramref name="overwrite"/>) Apanel · Bpanel over <paramref name="kc"/> steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(int kc, T* a, T* b, T* c, int ldc, bool overwrite) where T : unmanaged, INumber<T>
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + w);
            var x = Vector256.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            a += Mr;
            b += 2 * w;
        }
        Accumulate(c, c00, c01, overwrite); c += ldc;
        Accumulate(c, c10, c11, overwrite); c += ldc;
        Accumulate(c, c20, c21, overwrite); c += ldc;
        Accumulate(c, c30, c31, overwrite); c += ldc;
        Accumulate(c, c40, c41, overwrite); c += ldc;
        Accumulate(c, c50, c51, overwrite);
    }
}
