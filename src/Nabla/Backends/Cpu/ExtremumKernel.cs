using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Backends.Cpu;

/// <summary>Max or min of a dense block, in the TensorPrimitives style (NaN wins, as in PyTorch).</summary>
internal interface IExtremum
{
    static abstract T Reduce<T>(ReadOnlySpan<T> x) where T : INumber<T>;
}

internal readonly struct MaxOperator : IExtremum
{
    public static T Reduce<T>(ReadOnlySpan<T> x) where T : INumber<T> => TensorPrimitives.Max(x);
}

internal readonly struct MinOperator : IExtremum
{
    public static T Reduce<T>(ReadOnlySpan<T> x) where T : INumber<T> => TensorPrimitives.Min(x);
}

/// <summary>
/// Max/min reductions and their gradients. Each block is reduced with the vectorised TensorPrimitives
/// Max/Min; the index is then the first element equal to that value (IndexOf compares with Equals, so
/// −0 matches +0 and NaN matches NaN). That gives PyTorch's rules: ties pick the first occurrence, and a
/// NaN anywhere in the block is the result, with the index of the first NaN.
/// Callers guarantee non-empty blocks and numeric (non-bool) dtypes.
/// </summary>
internal static class ExtremumKernel
{
    /// <summary>The extremum of all elements, as a 0-d tensor of x's dtype.</summary>
    public static Tensor All<TOp>(Tensor x) where TOp : IExtremum
    {
        var blocks = new ReduceBlocks(x, AllDims(x.Rank));
        var result = new Tensor([], x.DType);
        switch (x.DType)
        {
            case DType.Float32: result.Span<float>()[0] = TOp.Reduce(blocks.Row<float>(0)); break;
            case DType.Float64: result.Span<double>()[0] = TOp.Reduce(blocks.Row<double>(0)); break;
            default: result.Span<long>()[0] = TOp.Reduce(blocks.Row<long>(0)); break;
        }
        return result;
    }

    /// <summary>The extremum along <paramref name="dim"/> and its int64 index; both have x's shape without that dim.</summary>
    public static (Tensor Values, Tensor Indices) AlongDim<TOp>(Tensor x, int dim, bool wantValues = true) where TOp : IExtremum
    {
        var reduced = new bool[x.Rank];
        if (x.Rank > 0) reduced[dim] = true;
        var blocks = new ReduceBlocks(x, reduced);
        var values = new Tensor(wantValues ? blocks.OutShape : [0], x.DType);
        var indices = new Tensor(blocks.OutShape, DType.Int64);
        switch (x.DType)
        {
            case DType.Float32: Run<float, TOp>(blocks, values, indices, wantValues); break;
            case DType.Float64: Run<double, TOp>(blocks, values, indices, wantValues); break;
            default: Run<long, TOp>(blocks, values, indices, wantValues); break;
        }
        return (values, indices);
    }

    static void Run<T, TOp>(ReduceBlocks blocks, Tensor values, Tensor indices, bool wantValues)
        where T : unmanaged, INumber<T> where TOp : IExtremum
    {
        var idx = indices.Span<long>();
        var val = wantValues ? values.Span<T>() : default;
        for (int i = 0; i < blocks.Outer; i++)
        {
            var row = blocks.Row<T>(i);
            int at = FirstIndexOf(row, TOp.Reduce(row));
            idx[i] = at;
            if (wantValues) val[i] = row[at];
        }
    }

    static int FirstIndexOf<T>(ReadOnlySpan<T> row, T value) where T : INumber<T>
    {
        int at = row.IndexOf(value);
        return at >= 0 ? at : 0;
    }

    /// <summary>
    /// Gradient of an all-elements max/min: the upstream gradient is shared evenly among the elements equal
    /// to the result (or among the NaNs when the result is NaN), as PyTorch's evenly_distribute_backward does.
    /// </summary>
    public static Tensor DistributeEvenly(Tensor x, Tensor result, Tensor g)
    {
        var dense = x.DenseCopy();
        if (x.DType == DType.Float32) Distribute(dense.Span<float>(), result.Item<float>(), g.Item<float>());
        else Distribute(dense.Span<double>(), result.Item<double>(), g.Item<double>());
        return dense;
    }

    static void Distribute<T>(Span<T> x, T value, T g) where T : IFloatingPointIeee754<T>
    {
        bool nan = T.IsNaN(value);
        int count = 0;
        foreach (var v in x) if (nan ? T.IsNaN(v) : v == value) count++;
        T share = g / T.CreateTruncating(count);
        for (int i = 0; i < x.Length; i++) x[i] = (nan ? T.IsNaN(x[i]) : x[i] == value) ? share : T.Zero;
    }

    /// <summary>
    /// Gradient of a max/min along <paramref name="dim"/>: a zero tensor of <paramref name="inputShape"/> holding
    /// g[a, b] at [a, indices[a, b], b]. <paramref name="g"/> and <paramref name="indices"/> have the input shape
    /// without <paramref name="dim"/> (or with it as size 1; only the element order matters).
    /// </summary>
    public static Tensor ScatterAlongDim(Tensor g, Tensor indices, int[] inputShape, int dim)
    {
        var result = new Tensor(inputShape, g.DType);
        var idx = indices.Contiguous().Span<long>();
        if (g.DType == DType.Float32) Scatter(g.Contiguous().Span<float>(), idx, result.Span<float>(), inputShape, dim);
        else Scatter(g.Contiguous().Span<double>(), idx, result.Span<double>(), inputShape, dim);
        return result;
    }

    static void Scatter<T>(ReadOnlySpan<T> g, ReadOnlySpan<long> idx, Span<T> dst, int[] shape, int dim) where T : unmanaged
    {
        // View the input as [before, size, after]: element (a, b) of g lands at (a, idx, b).
        int size = shape.Length == 0 ? 1 : shape[dim];
        int after = 1;
        for (int i = dim + 1; i < shape.Length; i++) after *= shape[i];
        for (int k = 0; k < g.Length; k++)
        {
            int a = k / after, b = k - a * after;
            dst[(a * size + (int)idx[k]) * after + b] = g[k];
        }
    }

    static bool[] AllDims(int rank)
    {
        var all = new bool[rank];
        Array.Fill(all, true);
        return all;
    }
}
