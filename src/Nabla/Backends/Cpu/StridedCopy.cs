namespace Nabla.Backends.Cpu;

/// <summary>Gathers a strided view into a dense buffer, row by row over the coalesced layout.</summary>
internal static class StridedCopy
{
    public static void ToContiguous<T>(T[] src, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<T> dst)
    {
        int n = dst.Length;
        if (n == 0) return;
        if (shape.Length == 0) { dst[0] = src[offset]; return; }
        var dims = shape.ToArray();
        var st = strides.ToArray();
        int rank = Layout.Coalesce(dims, st);
        int inner = dims[rank - 1], innerStride = st[rank - 1];
        var index = new int[rank];
        int srcPos = offset;
        for (int written = 0; written < n; written += inner)
        {
            var row = dst.Slice(written, inner);
            if (innerStride == 1) src.AsSpan(srcPos, inner).CopyTo(row);
            else if (innerStride == 0) row.Fill(src[srcPos]);
            else
                for (int j = 0, p = srcPos; j < inner; j++, p += innerStride) row[j] = src[p];
            srcPos = Advance(index, dims, st, rank - 1, srcPos);
        }
    }

    /// <summary>Writes a dense buffer into a strided view (the inverse of <see cref="ToContiguous{T}"/>).</summary>
    public static void FromContiguous<T>(ReadOnlySpan<T> src, T[] dst, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int n = src.Length;
        if (n == 0) return;
        if (shape.Length == 0) { dst[offset] = src[0]; return; }
        var dims = shape.ToArray();
        var st = strides.ToArray();
        int rank = Layout.Coalesce(dims, st);
        int inner = dims[rank - 1], innerStride = st[rank - 1];
        var index = new int[rank];
        int dstPos = offset;
        for (int read = 0; read < n; read += inner)
        {
            var row = src.Slice(read, inner);
            if (innerStride == 1) row.CopyTo(dst.AsSpan(dstPos, inner));
            else
                for (int j = 0, p = dstPos; j < inner; j++, p += innerStride) dst[p] = row[j];
            dstPos = Advance(index, dims, st, rank - 1, dstPos);
        }
    }

    /// <summary>Steps a multi-index over the outer <paramref name="outerRank"/> dims (odometer order) and returns the new offset.</summary>
    public static int Advance(int[] index, int[] dims, int[] strides, int outerRank, int pos)
    {
        for (int d = outerRank - 1; d >= 0; d--)
        {
            index[d]++;
            pos += strides[d];
            if (index[d] < dims[d]) return pos;
            pos -= strides[d] * dims[d];
            index[d] = 0;
        }
        return pos;
    }
}
