using System.Numerics;

namespace Nabla.Backends.Cpu;

/// <summary>
/// gather and scatter along one dim, walking the index tensor in its own layout (views need no copy).
/// The op layer has already checked shapes and bounds, so the loops trust every index.
/// </summary>
internal static class GatherScatterKernel
{
    /// <summary>out[i..] = x[i.. with index[i..] at dim]; the result has the index's shape and x's dtype.</summary>
    public static Tensor Gather(Tensor x, int dim, Tensor index)
    {
        var result = new Tensor((int[])index._shape.Clone(), x.DType);
        switch (x.DType)
        {
            case DType.Float32: Gather<float>(x, dim, index, result); break;
            case DType.Float64: Gather<double>(x, dim, index, result); break;
            case DType.Int64: Gather<long>(x, dim, index, result); break;
            default: Gather<bool>(x, dim, index, result); break;
        }
        return result;
    }

    /// <summary>
    /// Writes (or adds) src[i..] into output[i.. with index[i..] at dim], in place over output's own layout,
    /// so the in-place ops write straight through views. Addition needs a numeric dtype (checked by the op).
    /// </summary>
    public static void Scatter(Tensor output, int dim, Tensor index, Tensor src, bool accumulate)
    {
        switch (output.DType)
        {
            case DType.Float32:
                if (accumulate) Scatter<float, Accumulate<float>>(output, dim, index, src);
                else Scatter<float, Assign<float>>(output, dim, index, src);
                break;
            case DType.Float64:
                if (accumulate) Scatter<double, Accumulate<double>>(output, dim, index, src);
                else Scatter<double, Assign<double>>(output, dim, index, src);
                break;
            case DType.Int64:
                if (accumulate) Scatter<long, Accumulate<long>>(output, dim, index, src);
                else Scatter<long, Assign<long>>(output, dim, index, src);
                break;
            default:
                if (accumulate) throw new ArgumentException("scatter_add: bool tensors cannot be accumulated.");
                Scatter<bool, Assign<bool>>(output, dim, index, src);
                break;
        }
    }

    /// <summary>Finds the first index outside 0..size-1 (PyTorch's gather/scatter accept no negative indices), or null.</summary>
    public static long? FirstOutOfRange(Tensor index, int size)
    {
        if (index.NumElements == 0) return null;
        var zeros = new int[index.Rank];
        var walk = new IndexedWalk(index._shape, index._strides, index._offset, zeros, 0, zeros, 0);
        long[] idx = index.Data<long>();
        for (int row = 0; row < walk.Rows; row++)
        {
            int p = walk.Pos0;
            for (int j = 0; j < walk.Inner; j++, p += walk.Stride0)
                if ((ulong)idx[p] >= (ulong)size) return idx[p];
            walk.Next();
        }
        return null;
    }

    static void Gather<T>(Tensor x, int dim, Tensor index, Tensor result) where T : unmanaged
    {
        if (result.NumElements == 0) return;
        // x is read at the index's coordinates except along dim, where the index value picks the position.
        var xs = (int[])x._strides.Clone();
        int dimStride = x.Rank == 0 ? 0 : xs[dim];
        if (x.Rank > 0) xs[dim] = 0;
        var walk = new IndexedWalk(index._shape, index._strides, index._offset, xs, x._offset, result._strides, 0);
        long[] idx = index.Data<long>();
        T[] src = x.Data<T>(), dst = result.Data<T>();
        for (int row = 0; row < walk.Rows; row++)
        {
            int pi = walk.Pos0, px = walk.Pos1, po = walk.Pos2;
            for (int j = 0; j < walk.Inner; j++, pi += walk.Stride0, px += walk.Stride1, po += walk.Stride2)
                dst[po] = src[px + (int)idx[pi] * dimStride];
            walk.Next();
        }
    }

    static void Scatter<T, TReduce>(Tensor output, int dim, Tensor index, Tensor src)
        where T : unmanaged where TReduce : IReduce<T>
    {
        if (index.NumElements == 0) return;
        var os = (int[])output._strides.Clone();
        int dimStride = output.Rank == 0 ? 0 : os[dim];
        if (output.Rank > 0) os[dim] = 0;
        var walk = new IndexedWalk(index._shape, index._strides, index._offset, src._strides, src._offset, os, output._offset);
        long[] idx = index.Data<long>();
        T[] from = src.Data<T>(), to = output.Data<T>();
        for (int row = 0; row < walk.Rows; row++)
        {
            int pi = walk.Pos0, ps = walk.Pos1, po = walk.Pos2;
            for (int j = 0; j < walk.Inner; j++, pi += walk.Stride0, ps += walk.Stride1, po += walk.Stride2)
                TReduce.Apply(ref to[po + (int)idx[pi] * dimStride], from[ps]);
            walk.Next();
        }
    }

    interface IReduce<T>
    {
        static abstract void Apply(ref T destination, T value);
    }

    readonly struct Assign<T> : IReduce<T>
    {
        public static void Apply(ref T destination, T value) => destination = value;
    }

    readonly struct Accumulate<T> : IReduce<T> where T : INumber<T>
    {
        public static void Apply(ref T destination, T value) => destination += value;
    }
}
