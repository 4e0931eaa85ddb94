using System.Numerics;

namespace Nabla.Backends.Cpu;

// Parameterised elementwise maps (leaky slope, ELU alpha, softplus beta …). The IFloatUnary operators are
// static and carry no state; these are small readonly structs whose fields hold the parameters. The drivers
// are generic over the struct type, so the JIT specialises every (map, element type) pair and inlines Apply:
// no virtual calls, delegates or boxing in the loops.

/// <summary>y = f(x) for one element.</summary>
internal interface IPointwise
{
    T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>dx = f'(x) · g for one element: the backward of an <see cref="IPointwise"/>, read off the saved input.</summary>
internal interface IPointwiseGrad
{
    T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>y = f(x) over a run of elements: for maps with a vector form that beats one element at a time.</summary>
internal interface IPointwiseSpan
{
    void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>dx = f'(x) · g over a run of elements: the span form of an <see cref="IPointwiseGrad"/>.</summary>
internal interface IPointwiseGradSpan
{
    void Apply<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

internal static class Pointwise
{
    /// <summary>Applies <paramref name="map"/> to every element; integer inputs compute in float32 (as PyTorch's activations).</summary>
    public static Tensor Map<TMap>(Tensor x, TMap map) where TMap : struct, IPointwise => MapSpans(x, new EachElement<TMap>(map));

    /// <summary>As <see cref="Map{TMap}"/>, for a map applied a run of elements at a time.</summary>
    public static Tensor MapSpans<TMap>(Tensor x, TMap map) where TMap : struct, IPointwiseSpan
    {
        if (!x.DType.IsFloating()) x = x.To(DType.Float32);
        x = x.Contiguous();
        var y = Tensor.Uninitialized(x.Shape, x.DType);
        if (x.DType == DType.Float32) Run(x.Span<float>(), y.Span<float>(), map);
        else Run(x.Span<double>(), y.Span<double>(), map);
        return y;
    }

    /// <summary>The gradient map over an upstream gradient and a saved input of the same shape.</summary>
    public static Tensor Grad<TMap>(Tensor g, Tensor x, TMap map) where TMap : struct, IPointwiseGrad => GradSpans(g, x, new EachElementGrad<TMap>(map));

    /// <summary>As <see cref="Grad{TMap}"/>, for a gradient map applied a run of elements at a time.</summary>
    public static Tensor GradSpans<TMap>(Tensor g, Tensor x, TMap map) where TMap : struct, IPointwiseGradSpan
    {
        g = g.To(x.DType).Contiguous();
        x = x.Contiguous();
        var d = Tensor.Uninitialized(x.Shape, x.DType);
        if (x.DType == DType.Float32) Run(g.Span<float>(), x.Span<float>(), d.Span<float>(), map);
        else Run(g.Span<double>(), x.Span<double>(), d.Span<double>(), map);
        return d;
    }

    // Long tensors are cut into a chunk per core (DenseSplit's rule and boundaries): most of these maps are scalar
    // and compute-bound (exp, expm1, erf), so the second core nearly halves them, and each element is computed the
    // same way on whichever thread, so results do not depend on the split.
    static unsafe void Run<T, TMap>(ReadOnlySpan<T> x, Span<T> y, TMap map) where T : unmanaged, IFloatingPointIeee754<T> where TMap : struct, IPointwiseSpan
    {
        int parts = DenseSplit.Parts(y.Length);
        if (parts == 1) { InBlocks(x, y, map); return; }
        fixed (T* px = x, py = y)
        {
            var job = new MapJob<T, TMap> { X = px, Y = py, Length = y.Length, Parts = parts, Map = map };
            WorkerPool.Run(parts, ref job);
        }
    }

    static unsafe void Run<T, TMap>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d, TMap map) where T : unmanaged, IFloatingPointIeee754<T> where TMap : struct, IPointwiseGradSpan
    {
        int parts = DenseSplit.Parts(d.Length);
        if (parts == 1) { InBlocks(g, x, d, map); return; }
        fixed (T* pg = g, px = x, pd = d)
        {
            var job = new GradJob<T, TMap> { G = pg, X = px, D = pd, Length = d.Length, Parts = parts, Map = map };
            WorkerPool.Run(parts, ref job);
        }
    }

    /// <summary>
    /// Elements a span map is handed at once. The vectorised maps make several passes over their span (e^x into the
    /// output, then the combining pass); on a block this size the first pass's results are still in L1 when the next
    /// reads them back.
    /// </summary>
    const int Block = 1024;

    static void InBlocks<T, TMap>(ReadOnlySpan<T> x, Span<T> y, TMap map) where T : unmanaged, IFloatingPointIeee754<T> where TMap : struct, IPointwiseSpan
    {
        for (int start = 0; start < y.Length; start += Block)
        {
            int n = Math.Min(Block, y.Length - start);
            map.Apply(x.Slice(start, n), y.Slice(start, n));
        }
    }

    static void InBlocks<T, TMap>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d, TMap map) where T : unmanaged, IFloatingPointIeee754<T> where TMap : struct, IPointwiseGradSpan
    {
        for (int start = 0; start < d.Length; start += Block)
        {
            int n = Math.Min(Block, d.Length - start);
            map.Apply(g.Slice(start, n), x.Slice(start, n), d.Slice(start, n));
        }
    }

    /// <summary>A one-element map applied along a span.</summary>
    readonly struct EachElement<TMap>(TMap map) : IPointwiseSpan where TMap : struct, IPointwise
    {
        public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++) y[i] = map.Apply(x[i]);
        }
    }

    /// <summary>A one-element gradient map applied along spans.</summary>
    readonly struct EachElementGrad<TMap>(TMap map) : IPointwiseGradSpan where TMap : struct, IPointwiseGrad
    {
        public void Apply<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < d.Length; i++) d[i] = map.Apply(g[i], x[i]);
        }
    }

    unsafe struct MapJob<T, TMap> : IPartJob where T : unmanaged, IFloatingPointIeee754<T> where TMap : struct, IPointwiseSpan
    {
        public T* X, Y;
        public int Length, Parts;
        public TMap Map;

        public readonly void Run(int part)
        {
            int lo = DenseSplit.Start(Y, Length, Parts, part), hi = DenseSplit.Start(Y, Length, Parts, part + 1);
            InBlocks(new ReadOnlySpan<T>(X + lo, hi - lo), new Span<T>(Y + lo, hi - lo), Map);
        }
    }

    unsafe struct GradJob<T, TMap> : IPartJob where T : unmanaged, IFloatingPointIeee754<T> where TMap : struct, IPointwiseGradSpan
    {
        public T* G, X, D;
        public int Length, Parts;
        public TMap Map;

        public readonly void Run(int part)
        {
            int lo = DenseSplit.Start(D, Length, Parts, part), hi = DenseSplit.Start(D, Length, Parts, part + 1);
            InBlocks(new ReadOnlySpan<T>(G + lo, hi - lo), new ReadOnlySpan<T>(X + lo, hi - lo), new Span<T>(D + lo, hi - lo), Map);
        }
    }
}
