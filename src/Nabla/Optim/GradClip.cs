using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Optim;

/// <summary>Gradient clipping, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_. Both modify the gradients in place.</summary>
public static class GradClip
{
    /// <summary>
    /// Scales every gradient by min(1, maxNorm / (total + 1e-6)), where total is the <paramref name="normType"/>-norm
    /// of all gradients together (the norm of the per-parameter norms; +∞ gives the largest magnitude).
    /// Parameters without a gradient are ignored. Returns the total norm before clipping.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
            throw new ArgumentException($"clip_grad_norm: max_norm must be a non-negative number, got {maxNorm}.");
        if (!(normType > 0))
            throw new ArgumentException($"clip_grad_norm: norm_type must be positive or +infinity, got {normType}.");
        var grads = parameters.Select(p => p?.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0;

        double total = 0;
        foreach (var g in grads)
        {
            double n = g.DType == DType.Float32 ? Norm(g.Detach().Contiguous().Span<float>(), normType) : Norm(Dense64(g), normType);
            total = double.IsPositiveInfinity(normType) ? Math.Max(total, n) : total + Math.Pow(n, normType);
        }
        if (!double.IsPositiveInfinity(normType)) total = Math.Pow(total, 1 / normType);
        if (errorIfNonfinite && !double.IsFinite(total))
            throw new InvalidOperationException($"clip_grad_norm: the total norm of order {normType} of the gradients is {total}, so they cannot be clipped; set errorIfNonfinite: false to skip this check.");

        double coef = Math.Min(maxNorm / (total + 1e-6), 1.0);
        foreach (var g in grads) Transform(g, coef, static (span, c) => TensorPrimitives.Multiply(span, (float)c, span), static (span, c) => TensorPrimitives.Multiply(span, c, span));
        return total;
    }

    /// <summary>Clamps every gradient element into [−clipValue, clipValue].</summary>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0))
            throw new ArgumentException($"clip_grad_value: clip_value must be a non-negative number, got {clipValue}.");
        foreach (var g in parameters.Select(p => p?.Grad).OfType<Tensor>())
            Transform(g, clipValue, static (s, c) => Clamp(s, (float)c), static (s, c) => Clamp(s, c));
    }

    static void Clamp<T>(Span<T> s, T c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Max(s, -c, s);
        TensorPrimitives.Min(s, c, s);
    }

    delegate void SpanAction<T>(Span<T> span, double arg);

    /// <summary>Applies an in-place span operation to a gradient, writing back through its strides when it is a view.</summary>
    static void Transform(Tensor g, double arg, SpanAction<float> f32, SpanAction<double> f64)
    {
        if (!g.DType.IsFloating())
            throw new ArgumentException($"clip_grad: gradients must be floating-point, got {g.DType.TorchName()} of shape {g.ShapeText}.");
        var dense = g.IsContiguous ? g : g.DenseCopy();
        if (dense.DType == DType.Float32) f32(dense.Span<float>(), arg);
        else f64(dense.Span<double>(), arg);
        if (!ReferenceEquals(dense, g))
            using (new Autograd.NoGrad()) g.CopyFrom(dense);
    }

    static ReadOnlySpan<double> Dense64(Tensor g) => g.Detach().To(DType.Float64).Contiguous().Span<double>();

    static double Norm<T>(ReadOnlySpan<T> x, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Accumulate in double: one pass, and no loss of precision for large float32 gradients.
        double acc = 0;
        if (double.IsPositiveInfinity(p))
        {
            foreach (var v in x) acc = Math.Max(acc, Math.Abs(double.CreateTruncating(v)));
            return acc;
        }
        if (p == 2)
        {
            foreach (var v in x) { double d = double.CreateTruncating(v); acc += d * d; }
            return Math.Sqrt(acc);
        }
        foreach (var v in x) acc += Math.Pow(Math.Abs(double.CreateTruncating(v)), p);
        return Math.Pow(acc, 1 / p);
    }
}
