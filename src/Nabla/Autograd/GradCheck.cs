namespace Nabla.Autograd;

/// <summary>The outcome of a gradient check: the worst disagreement found and where.</summary>
public sealed record GradCheckResult(bool Passed, double MaxAbsError, double MaxRelError, int Input, int Element, double Analytic, double Numeric)
{
    public override string ToString() => Passed
        ? $"gradient check passed (max |analytic − numeric| = {MaxAbsError:E2})"
        : $"gradient check failed at input {Input}, element {Element}: analytic {Analytic:R}, numeric {Numeric:R} (|diff| {MaxAbsError:E2})";
}

/// <summary>
/// Compares autograd's gradients with central finite differences, as the notes describe: perturb one
/// element by ±ε, re-evaluate, and take (f(x+ε) − f(x−ε)) / 2ε. Works on any function of float64 tensors;
/// a non-scalar output is reduced with a fixed random weighting so every output element matters.
/// </summary>
public static class GradCheck
{
    public static GradCheckResult Run(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, int seed = 1234)
    {
        foreach (var x in inputs)
            if (x.DType != DType.Float64 && x.DType.IsFloating())
                throw new ArgumentException($"gradcheck: inputs must be float64 for reliable finite differences, got {x.DType.TorchName()} of shape {x.ShapeText}.");

        // Work on private dense copies so perturbations never touch the caller's tensors.
        var xs = inputs.Select(x => { var c = x.Detach().DenseCopy(); if (x.DType.IsFloating()) c.RequiresGrad = true; return c; }).ToArray();
        var output = f(xs);
        var weights = RandomWeights(output, seed);

        Scalarise(output, weights).Backward();
        var analytic = xs.Select(x => x.Grad?.Detach().Contiguous().ToArray<double>()).ToArray();

        // The reported element is the one that uses up most of its tolerance; the check passes when none exceeds it.
        double worstRatio = -1;
        var worst = new GradCheckResult(true, 0, 0, -1, -1, 0, 0);
        using var _ = new NoGrad();
        for (int i = 0; i < xs.Length; i++)
        {
            if (!xs[i].DType.IsFloating()) continue;
            var data = xs[i].Data<double>();
            for (int k = 0; k < data.Length; k++)
            {
                double saved = data[k];
                data[k] = saved + eps;
                double plus = Scalarise(f(xs), weights).Item();
                data[k] = saved - eps;
                double minus = Scalarise(f(xs), weights).Item();
                data[k] = saved;

                double numeric = (plus - minus) / (2 * eps);
                double a = analytic[i]?[k] ?? 0;
                double diff = Math.Abs(a - numeric);
                double ratio = diff / (atol + rtol * Math.Abs(numeric));
                // A NaN on either side is the worst possible disagreement, never one to be overwritten.
                if (double.IsNaN(ratio)) ratio = double.PositiveInfinity;
                if (ratio <= worstRatio) continue;
                worstRatio = ratio;
                worst = new GradCheckResult(ratio <= 1, diff, diff / Math.Max(Math.Abs(numeric), 1e-12), i, k, a, numeric);
            }
        }
        return worst;
    }

    /// <summary>Runs the check and throws with the offending element when it fails.</summary>
    public static void Assert(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var result = Run(f, inputs);
        if (!result.Passed) throw new InvalidOperationException(result.ToString());
    }

    static Tensor RandomWeights(Tensor output, int seed)
    {
        var rng = new System.Random(seed);
        var w = new double[output.NumElements];
        for (int i = 0; i < w.Length; i++) w[i] = rng.NextDouble() * 2 - 1;
        return Tensor.From(w, [w.Length]).Reshape(output.Shape).To(output.DType);
    }

    static Tensor Scalarise(Tensor output, Tensor weights) => (output * weights).Sum();
}
