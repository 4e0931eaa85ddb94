using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>
/// Sums over a set of dims. Reduced dims are moved innermost and made dense, so each output element is one
/// vectorised sum over a contiguous block; when only leading dims are reduced, whole rows are added instead.
/// </summary>
internal static class SumKernel
{
    public static Tensor Sum(Tensor x, bool[] reduced)
    {
        var outShape = x._shape.Where((_, i) => !reduced[i]).ToArray();
        var result = new Tensor(outShape, x.DType);
        switch (x.DType)
        {
            case DType.Float32: Run<float>(x, reduced, result); break;
            case DType.Float64: Run<double>(x, reduced, result); break;
            default: Run<long>(x, reduced, result); break;
        }
        return result;
    }

    static void Run<T>(Tensor x, bool[] reduced, Tensor result) where T : unmanaged, INumber<T>
    {
        var dst = result.Span<T>();
        int outer = dst.Length;
        if (outer == 0) return;
        int block = x.NumElements / Math.Max(outer, 1);
        if (x.NumElements == 0) { dst.Clear(); return; }

        if (LeadingOnly(reduced) && x.IsContiguous)
        {
            var src = x.Span<T>();
            src[..outer].CopyTo(dst);
            for (int r = 1; r < block; r++) TensorPrimitives.Add(dst, src.Slice(r * outer, outer), dst);
            return;
        }

        var order = Enumerable.Range(0, x.Rank).Where(i => !reduced[i]).Concat(Enumerable.Range(0, x.Rank).Where(i => reduced[i])).ToArray();
        var dense = x.Detach().Permute(order).Contiguous().Span<T>();
        for (int i = 0; i < outer; i++) dst[i] = TensorPrimitives.Sum<T>(dense.Slice(i * block, block));
    }

    static bool LeadingOnly(bool[] reduced)
    {
        int i = 0;
        while (i < reduced.Length && reduced[i]) i++;
        for (int j = i; j < reduced.Length; j++) if (reduced[j]) return false;
        return true;
    }
}
