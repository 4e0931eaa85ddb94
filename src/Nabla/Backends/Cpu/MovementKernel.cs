namespace Nabla.Backends.Cpu;

/// <summary>
/// Copies between two strided layouts of one shape: cat writes each input into its band of the output and
/// flip reads through a view with negative strides. Coalescing first turns the common cases (a dense input
/// into a band of a dense output) into long rows that are single span copies.
/// </summary>
internal static class MovementKernel
{
    /// <summary>Concatenates same-dtype tensors (shapes already checked) along <paramref name="dim"/> into <paramref name="result"/>.</summary>
    public static void Cat(IReadOnlyList<Tensor> inputs, int dim, Tensor result)
    {
        int offset = 0;
        foreach (var x in inputs)
        {
            if (x.NumElements == 0) { offset += x.Rank == result.Rank ? x._shape[dim] : 0; continue; }
            var band = new Tensor(result._storage, x._shape, result._strides, offset * result._strides[dim]);
            Copy(x, band);
            offset += x._shape[dim];
        }
    }

    /// <summary>A dense copy of <paramref name="x"/> with the order of elements reversed along each flagged dim.</summary>
    public static Tensor Flip(Tensor x, bool[] flipped)
    {
        var strides = (int[])x._strides.Clone();
        int offset = x._offset;
        if (x.NumElements > 0)
            for (int d = 0; d < x.Rank; d++)
                if (flipped[d])
                {
                    // Start at the last element of the dim and step backwards; this view never leaves the kernel.
                    offset += (x._shape[d] - 1) * strides[d];
                    strides[d] = -strides[d];
                }
        var reversed = new Tensor(x._storage, x._shape, strides, offset);
        var result = new Tensor((int[])x._shape.Clone(), x.DType);
        Copy(reversed, result);
        return result;
    }

    /// <summary>dst[i..] = src[i..] for two tensors of the same shape and dtype, each in its own layout.</summary>
    public static void Copy(Tensor src, Tensor dst)
    {
        switch (src.DType)
        {
            case DType.Float32: Copy<float>(src, dst); break;
            case DType.Float64: Copy<double>(src, dst); break;
            case DType.Int64: Copy<long>(src, dst); break;
            default: Copy<bool>(src, dst); break;
        }
    }

    static void Copy<T>(Tensor src, Tensor dst) where T : unmanaged
    {
        if (src.NumElements == 0) return;
        var none = new int[src.Rank];
        var walk = new IndexedWalk(src._shape, src._strides, src._offset, dst._strides, dst._offset, none, 0);
        T[] from = src.Data<T>(), to = dst.Data<T>();
        int inner = walk.Inner, ss = walk.Stride0, ds = walk.Stride1;
        for (int row = 0; row < walk.Rows; row++)
        {
            int ps = walk.Pos0, pd = walk.Pos1;
            if (ss == 1 && ds == 1) from.AsSpan(ps, inner).CopyTo(to.AsSpan(pd, inner));
            else
                for (int j = 0; j < inner; j++, ps += ss, pd += ds) to[pd] = from[ps];
            walk.Next();
        }
    }
}
