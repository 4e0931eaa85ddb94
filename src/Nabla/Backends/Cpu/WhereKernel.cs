namespace Nabla.Backends.Cpu;

/// <summary>
/// The ternary select behind where and masked_fill: out = cond ? a : b, all three broadcast to the output
/// shape. Like the binary drivers it never materialises a broadcast operand: the four layouts are coalesced
/// together and walked row by row with one stride per operand.
/// </summary>
internal static class WhereKernel
{
    /// <summary><paramref name="a"/> and <paramref name="b"/> are converted to <paramref name="dtype"/>; <paramref name="shape"/> is the broadcast of all three.</summary>
    public static Tensor Select(Tensor cond, Tensor a, Tensor b, DType dtype, int[] shape)
    {
        a = a.To(dtype);
        b = b.To(dtype);
        var result = new Tensor(shape, dtype);
        switch (dtype)
        {
            case DType.Float32: Run<float>(cond, a, b, result); break;
            case DType.Float64: Run<double>(cond, a, b, result); break;
            case DType.Int64: Run<long>(cond, a, b, result); break;
            default: Run<bool>(cond, a, b, result); break;
        }
        return result;
    }

    static void Run<T>(Tensor cond, Tensor a, Tensor b, Tensor result) where T : unmanaged
    {
        var d = result.Span<T>();
        if (d.Length == 0) return;
        bool[] cd = cond.Data<bool>();
        T[] ad = a.Data<T>(), bd = b.Data<T>();

        var shape = result._shape;
        var dims = shape.Length == 0 ? [1] : (int[])shape.Clone();
        int[] sc = Strides(cond, shape), sa = Strides(a, shape), sb = Strides(b, shape);
        int[] so = shape.Length == 0 ? [1] : Layout.ContiguousStrides(shape);
        int rank = Layout.Coalesce(dims, sc, sa, sb, so);

        int inner = dims[rank - 1];
        int ic = sc[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1];
        var index = new int[rank];
        int pc = cond._offset, pa = a._offset, pb = b._offset;
        for (int done = 0; done < d.Length; done += inner)
        {
            // Output rows are dense and in order, so the row start is simply the count written so far.
            var row = d.Slice(done, inner);
            for (int j = 0, c = pc, x = pa, y = pb; j < inner; j++, c += ic, x += ia, y += ib)
                row[j] = cd[c] ? ad[x] : bd[y];

            for (int k = rank - 2; k >= 0; k--)
            {
                index[k]++;
                pc += sc[k]; pa += sa[k]; pb += sb[k];
                if (index[k] < dims[k]) break;
                pc -= sc[k] * dims[k]; pa -= sa[k] * dims[k]; pb -= sb[k] * dims[k];
                index[k] = 0;
            }
        }
    }

    static int[] Strides(Tensor t, int[] shape) => shape.Length == 0 ? [0] : Layout.BroadcastStrides(t._shape, t._strides, shape);
}
