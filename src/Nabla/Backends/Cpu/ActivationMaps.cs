using System.Numerics;

namespace Nabla.Backends.Cpu;

// The elementwise activations beyond sigmoid/tanh/relu, forward and backward, written as PyTorch 1.13's CPU
// kernels write them (same branches, same comparisons at the kinks) so that golden parity holds at the
// boundaries too. Each backward reads the saved input x, not the output.
// Leaky ReLU, ELU/SELU, SiLU, both GELUs, softplus and erf run through their vectorised span forms (LeakyReluSpanMap,
// EluSpanMap, SiluSpanMap, GeluTanhSpanMap, GeluSpanMap, SoftplusSpanMap, ErfSpanMap); their maps here stay as the
// one-element definitions those are tested against.

/// <summary>erf x; float32 is computed through the double routine and rounded (so it is correctly rounded in practice).</summary>
internal readonly struct ErfMap : IPointwise
{
    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(ErfMath.Erf(double.CreateTruncating(x)));
}

/// <summary>d erf/dx = 2/√π · e^(−x²).</summary>
internal readonly struct ErfGradMap : IPointwiseGrad
{
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T> => g * T.CreateTruncating(1.1283791670955126) * T.Exp(-x * x);
}

/// <summary>x if x &gt; 0 else slope · x (PyTorch: the kink belongs to the negative side).</summary>
internal readonly struct LeakyReluMap(double slope) : IPointwise, IPointwiseGrad
{
    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? x : x * T.CreateTruncating(slope);
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? g : g * T.CreateTruncating(slope);
}

/// <summary>
/// PyTorch's generalised ELU: scale · x for x &gt; 0, else scale · alpha · (e^(inputScale · x) − 1). ELU is
/// (alpha, 1, 1); SELU is (1.6733, 1.0507, 1). expm1 keeps small negative inputs accurate.
/// </summary>
internal readonly struct EluMap(double alpha, double scale, double inputScale) : IPointwise, IPointwiseGrad
{
    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        x <= T.Zero ? T.ExpM1(x * T.CreateTruncating(inputScale)) * T.CreateTruncating(alpha * scale) : x * T.CreateTruncating(scale);

    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        x <= T.Zero
            ? g * T.CreateTruncating(inputScale * alpha * scale) * T.Exp(x * T.CreateTruncating(inputScale))
            : g * T.CreateTruncating(scale);
}

/// <summary>
/// log(1 + e^(βx)) / β, and x itself once βx exceeds the threshold (where the two agree to rounding and the
/// exponential would overflow). The gradient is sigmoid(βx), written z/(z+1) with z = e^(βx) as PyTorch does.
/// </summary>
internal readonly struct SoftplusMap(double beta, double threshold) : IPointwise, IPointwiseGrad
{
    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T bx = x * T.CreateTruncating(beta);
        return bx > T.CreateTruncating(threshold) ? x : LogOnePlus(T.Exp(bx)) / T.CreateTruncating(beta);
    }

    /// <summary>
    /// log(1 + z), accurate for tiny z. .NET's LogP1 computes log(1 + z) as written, so 1 + z rounds to 1 and softplus
    /// of −30 came out 0 instead of PyTorch's 9.36e-14 (and −10 off by 4e-4 relative). Rounding u = 1 + z and
    /// rescaling log u by z / (u − 1) cancels that rounding error to a few ulps (Goldberg, "What every computer
    /// scientist should know about floating-point arithmetic", theorem 4).
    /// </summary>
    static T LogOnePlus<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + z;
        if (u == T.One) return z;
        if (T.IsPositiveInfinity(u)) return u;
        return T.Log(u) * (z / (u - T.One));
    }

    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T bx = x * T.CreateTruncating(beta);
        if (bx > T.CreateTruncating(threshold)) return g;
        T z = T.Exp(bx);
        return g * z / (z + T.One);
    }
}

/// <summary>GELU, exact: x · Φ(x) = ½x(1 + erf(x/√2)).</summary>
internal readonly struct GeluMap : IPointwise, IPointwiseGrad
{
    const double Sqrt1_2 = 0.70710678118654752440;
    const double InvSqrt2Pi = 0.39894228040143267794;   // 1/√(2π), the normal density at 0

    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        x * T.CreateTruncating(0.5) * (T.One + T.CreateTruncating(ErfMath.Erf(double.CreateTruncating(x * T.CreateTruncating(Sqrt1_2)))));

    /// <summary>d/dx x·Φ(x) = Φ(x) + x·φ(x).</summary>
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T cdf = T.CreateTruncating(0.5) * (T.One + T.CreateTruncating(ErfMath.Erf(double.CreateTruncating(x * T.CreateTruncating(Sqrt1_2)))));
        T pdf = T.CreateTruncating(InvSqrt2Pi) * T.Exp(T.CreateTruncating(-0.5) * x * x);
        return g * (cdf + x * pdf);
    }
}

/// <summary>GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
internal readonly struct GeluTanhMap : IPointwise, IPointwiseGrad
{
    const double Beta = 0.79788456080286535588;   // √(2/π)
    const double Kappa = 0.044715;

    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T inner = T.CreateTruncating(Beta) * (x + T.CreateTruncating(Kappa) * x * x * x);
        return T.CreateTruncating(0.5) * x * (T.One + T.Tanh(inner));
    }

    /// <summary>Product rule on ½x · (1 + tanh u): ½(1 + tanh u) + ½x · (1 − tanh²u) · u'.</summary>
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T x2 = x * x;
        T tanhInner = T.Tanh(T.CreateTruncating(Beta) * (x + T.CreateTruncating(Kappa) * x2 * x));
        T half = T.CreateTruncating(0.5);
        T innerDerivative = T.CreateTruncating(Beta) * (T.One + T.CreateTruncating(3 * Kappa) * x2);
        return g * (half * (T.One + tanhInner) + half * x * (T.One - tanhInner * tanhInner) * innerDerivative);
    }
}

/// <summary>SiLU (swish): x · sigmoid(x); derivative s(1 + x(1 − s)).</summary>
internal readonly struct SiluMap : IPointwise, IPointwiseGrad
{
    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x / (T.One + T.Exp(-x));

    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = T.One / (T.One + T.Exp(-x));
        return g * s * (T.One + x * (T.One - s));
    }
}

/// <summary>
/// The perceptron's threshold unit. Unsigned (Heaviside): 1 for x ≥ 0, else 0. Signed: +1 for x &gt; 0, else −1
/// (the ±1-label perceptron, whose update fires when y · o ≤ 0). NaN stays NaN in both.
/// </summary>
internal readonly struct StepMap(bool signed) : IPointwise
{
    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(x)) return x;
        if (signed) return x > T.Zero ? T.One : -T.One;
        return x >= T.Zero ? T.One : T.Zero;
    }
}
