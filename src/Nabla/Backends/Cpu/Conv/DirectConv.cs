using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Backends.Cpu.Conv;

/// <summary>
/// Direct convolution for stride-1 layers of moderate size (both LeNet convolutions): no im2col and no GEMM.
/// For few channels and a short K = Cin·kh·kw, im2col + GEMM spends most of its time writing and packing a column
/// matrix that is used for only Cout multiply-adds per element. Here each image is copied once into a
/// zero-bordered buffer (rows of Width = InW + 2·PadW) and outputs are computed on that padded grid, flattened:
/// grid position j reads tap (ci, ki, kj) at j + offset, so 16 (float) or 8 (double) consecutive positions are
/// one vector load even across rows; the (kw − 1)·dw extra columns per grid row are computed and thrown away.
/// <list type="bullet">
/// <item>forward: blocks of up to 8 output channels in vector accumulators; per tap one vector load and one
/// broadcast weight per channel (embedded broadcasts); the block size is a type so a 6-channel layer does 6.</item>
/// <item>input gradient: the same block kernel on the output gradient's grid, with flipped offsets.</item>
/// <item>weight gradient: blocks of 4 output channels × 4 taps (16 accumulators) walk the grid, reading the
/// output gradient (copied onto the grid, zero elsewhere) and the padded input; the per-lane partial sums stay
/// in vectors across the worker's images and are reduced once at the end.</item>
/// </list>
/// Needs stride 1, one group and AVX-512; any padding and dilation. Thrown-away grid positions multiply a zero
/// gradient by neighbouring input, so a NaN or infinity in the input could leak into a weight gradient that the
/// exact sum would not touch; finite inputs give the exact sum, and <see cref="ConvKernels.WeightGradient{T}"/>
/// sends non-finite input to the column path. Design and measurements: docs/conv-kernels.md.
/// </summary>
internal static unsafe partial class DirectConv
{
    /// <summary>Weight-gradient register block: output channels × taps.</summary>
    const int GradChannels = 4, GradTaps = 4;

    /// <summary>
    /// Whether the direct kernels beat im2col + GEMM here. Measured on one core (docs/conv-kernels.md): they won
    /// every product of every stride-1 shape tried, up to 64 output channels and K = 400 (LeNet's layers 2–4×, a
    /// 32→64 3×3 layer 1.4–1.6×, a 1→32 3×3 forward a tie). Larger layers are unmeasured and stay on GEMM, as do
    /// grids where most positions would be thrown away.
    /// </summary>
    public static bool Suits<T>(in ConvShape s) where T : unmanaged
    {
        if (!Supports<T>(s)) return false;
        var g = s.Geometry;
        int width = g.InW + 2 * g.PadW;
        return s.MatrixChannels <= 64 && s.UnfoldedChannels <= 64 && s.Kg <= 512 && 2 * g.OutW >= width;
    }

    /// <summary>Whether the kernels can run this shape at all: AVX-512, float or double, one group, stride 1.</summary>
    public static bool Supports<T>(in ConvShape s) where T : unmanaged =>
        Vector512.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double))
        && s.Groups == 1 && s.Geometry.StrideH == 1 && s.Geometry.StrideW == 1 && s.Geometry.OutH > 0 && s.Geometry.OutW > 0;

    /// <summary>The zero-bordered copy of one image: rows of InW + 2·PadW, InH + 2·PadH rows per channel.</summary>
    readonly struct Padded
    {
        public readonly int Width, Height, Channels;

        public Padded(in ConvShape s)
        {
            Width = s.Geometry.InW + 2 * s.Geometry.PadW;
            Height = s.Geometry.InH + 2 * s.Geometry.PadH;
            Channels = s.UnfoldedChannels;
        }

        /// <summary>
        /// Two vectors of slack: the last vector of the grid reads up to a vector past the image, and a block of few
        /// channels computes vectors in pairs (one more past the grid).
        /// </summary>
        public int Length<T>() where T : unmanaged => Channels * Height * Width + 2 * Vector512<T>.Count;

        /// <summary>Vectors that cover the output on the padded grid: positions 0 .. (OutH − 1)·Width + OutW.</summary>
        public int Vectors<T>(in ConvGeometry g) where T : unmanaged =>
            ((g.OutH - 1) * Width + g.OutW + Vector512<T>.Count - 1) / Vector512<T>.Count;

        /// <summary>Copies the image inside the zero border (the border was cleared once and is never written).</summary>
        public void Fill<T>(T* image, in ConvGeometry g, T* dst) where T : unmanaged
        {
            for (int c = 0; c < Channels; c++)
            for (int y = 0; y < g.InH; y++)
            {
                var src = new ReadOnlySpan<T>(image + (c * g.InH + y) * g.InW, g.InW);
                src.CopyTo(new Span<T>(dst + (c * Height + y + g.PadH) * Width + g.PadW, g.InW));
            }
        }

        /// <summary>Offset in the padded image of each tap (ci, ki, kj), in the weight's K order; padded taps read offset 0.</summary>
        public int[] TapOffsets(in ConvGeometry g, int taps, int paddedTaps)
        {
            var offsets = new int[paddedTaps];
            int kernel = g.KernelH * g.KernelW;
            for (int k = 0; k < taps; k++)
            {
                int ci = k / kernel, ki = k % kernel / g.KernelW, kj = k % g.KernelW;
                offsets[k] = (ci * Height + ki * g.DilationH) * Width + kj * g.DilationW;
            }
            return offsets;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}
