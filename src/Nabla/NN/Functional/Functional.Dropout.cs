namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>
    /// Inverted dropout, as in the notes: while training, each element is kept with probability 1 − p and scaled
    /// by 1/(1 − p), so the expectation E[y] = x is unchanged and evaluation needs no rescaling; outside training
    /// it is the identity. p = 0 returns the input itself and p = 1 zeroes everything (PyTorch's edge cases).
    /// The mask is drawn from <paramref name="generator"/> (or the global one); its gradient is mask / (1 − p).
    /// </summary>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, Generator? generator = null) =>
        Dropout(input, p, training, generator, "dropout");

    internal static Tensor Dropout(Tensor input, double p, bool training, Generator? generator, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckDropoutProbability(p, op);
        if (!input.DType.IsFloating())
            throw new ArgumentException($"{op}: expected a floating-point input, got {input.DType.TorchName()} of shape {input.ShapeText}.");
        if (!training || p == 0 || input.NumElements == 0) return input;
        if (p == 1) return input * 0.0;
        return input * DropoutMask(input._shape, p, input.DType, generator);
    }

    /// <summary>
    /// The scaled keep-mask of inverted dropout: 1/(1 − p) with probability 1 − p, else 0, one uniform draw per
    /// element (in the tensor's row-major order). Public so that a mask can be reused (e.g. the same mask at every
    /// time step of a recurrent net) by multiplying with it directly.
    /// </summary>
    public static Tensor DropoutMask(int[] shape, double p, DType dtype = DType.Float32, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        CheckDropoutProbability(p, "dropout_mask");
        if (!dtype.IsFloating())
            throw new ArgumentException($"dropout_mask: the mask must be float32 or float64, got {dtype.TorchName()}.");
        var mask = Tensor.Zeros(shape, dtype);
        var g = Random.Or(generator);
        double keep = 1 - p, scale = p == 1 ? 0 : 1 / keep;
        if (dtype == DType.Float32) Keep(mask.Span<float>(), g, (float)keep, (float)scale);
        else Keep(mask.Span<double>(), g, keep, scale);
        return mask;
    }

    static void Keep(Span<float> mask, Generator g, float keep, float scale)
    {
        g.FillUniform(mask);
        for (int i = 0; i < mask.Length; i++) mask[i] = mask[i] < keep ? scale : 0f;
    }

    static void Keep(Span<double> mask, Generator g, double keep, double scale)
    {
        g.FillUniform(mask);
        for (int i = 0; i < mask.Length; i++) mask[i] = mask[i] < keep ? scale : 0.0;
    }

    internal static void CheckDropoutProbability(double p, string op)
    {
        // Written as a negated range so that NaN is refused too.
        if (!(p >= 0 && p <= 1))
            throw new ArgumentException($"{op}: dropout probability has to be between 0 and 1, but got {p.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
    }
}
