using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// clamp(x, min, max) in the tensor's own dtype. With both bounds and min ≤ max it is one vectorised pass;
/// when min &gt; max PyTorch returns max everywhere, which max-then-min gives as well.
/// </summary>
internal static class ClampKernel
{
    public static Tensor Clamp(Tensor x, double? min, double? max)
    {
        x = x.Contiguous();
        var result = new Tensor(x.Shape, x.DType);
        switch (x.DType)
        {
            case DType.Float32: Run(x.Span<float>(), result.Span<float>(), min, max); break;
            case DType.Float64: Run(x.Span<double>(), result.Span<double>(), min, max); break;
            default: Run(x.Span<long>(), result.Span<long>(), min, max); break;
        }
        return result;
    }

    static void Run<T>(ReadOnlySpan<T> x, Span<T> y, double? min, double? max) where T : unmanaged, INumber<T>
    {
        // Bounds are cast to the tensor's dtype first, exactly as PyTorch casts its scalar arguments.
        T lo = min is { } a ? T.CreateSaturating(a) : default, hi = max is { } b ? T.CreateSaturating(b) : default;
        if (min.HasValue && max.HasValue && lo <= hi) TensorPrimitives.Clamp(x, lo, hi, y);
        else if (min.HasValue && max.HasValue) { TensorPrimitives.Max(x, lo, y); TensorPrimitives.Min(y, hi, y); }
        else if (min.HasValue) TensorPrimitives.Max(x, lo, y);
        else if (max.HasValue) TensorPrimitives.Min(x, hi, y);
        else x.CopyTo(y);
    }
}
