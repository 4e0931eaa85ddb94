using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// 2×2/2 max pooling of float planes, 8 windows per step on AVX2: the four cells of 8 windows are gathered,
/// compared in the scalar loop's scan order ((0,0), (0,1), (1,0), (1,1): first strict maximum wins, the first NaN
/// wins at once) with masks instead of branches, and the winning cell's index is built from a per-lane code. Bit
/// for bit the result of <see cref="Pool2x2.MaxPlane{T}"/>'s scalar loop, which spent 3-4 ns per input element on
/// mispredicted branches. Gathers rather than row loads because the CNNs' planes have rows of 14 and 7 windows
/// (.NET exposes 256-bit gathers only).
/// </summary>
internal static unsafe class Pool2x2MaxVector
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// Pools a whole plane 8 windows at a time whatever its width (the CNNs' 28×28 → 14×14 and 14×14 → 7×7 planes
    /// have rows of 14 and 7 windows): <paramref name="topLeft"/>[o] is the plane index of window o's first cell,
    /// and the four cells are gathered. Returns how many leading windows it pooled (a multiple of 8); the caller
    /// finishes the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Plane(float* src, int inW, int windows, int* topLeft, float* dst, long* indices)
    {
        int n = windows & ~7;
        var inWidth = Vector256.Create(inW);
        var right = Vector256<int>.One;
        for (int o = 0; o < n; o += 8)
        {
            var at = Vector256.Load(topLeft + o);
            var below = at + inWidth;
            var best = Avx2.GatherVector256(src, at, 4);
            var code = Vector256<int>.Zero;
            Challenge(Avx2.GatherVector256(src, at + right, 4), 1, ref best, ref code);
            Challenge(Avx2.GatherVector256(src, below, 4), 2, ref best, ref code);
            Challenge(Avx2.GatherVector256(src, below + right, 4), 3, ref best, ref code);
            best.Store(dst + o);
            var winner = at + (code & right) + Vector256.ShiftRightLogical(code, 1) * inWidth;
            var (lo, hi) = Vector256.Widen(winner);
            lo.Store(indices + o);
            hi.Store(indices + o + 4);
        }
        return n;
    }

    /// <summary>The next cell in scan order takes the window where it is strictly larger, or NaN while the best is not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Challenge(Vector256<float> cell, int cellCode, ref Vector256<float> best, ref Vector256<int> code)
    {
        var isNaN = ~Vector256.Equals(cell, cell);
        var bestIsNumber = Vector256.Equals(best, best);
        var take = Vector256.GreaterThan(cell, best) | (isNaN & bestIsNumber);
        best = Vector256.ConditionalSelect(take, cell, best);
        code = Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(cellCode), code);
    }
}
