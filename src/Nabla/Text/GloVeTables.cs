using System.Numerics.Tensors;

namespace Nabla.Text;

/// <summary>
/// GloVe's parameters and their AdaGrad state: centre vectors v and biases b, context vectors u and biases c, fitted
/// entry by entry to the weighted least-squares loss h(x_ij) (v_i · u_j + b_i + c_j − log x_ij)² (the notes' 14.5).
/// </summary>
/// <remarks>
/// Each entry takes one AdaGrad step on the four pieces it touches, in PyTorch's form (s += g²; p −= lr · g / (√s + ε),
/// ε = 1e-10): the same as <c>torch.optim.Adagrad</c> on the whole tables, whose untouched rows have zero gradient.
/// The accumulators start at <see cref="GloVeOptions.InitialAccumulator"/>, as GloVe's own program starts them at 1,
/// so the first steps are not all of size lr whatever the gradient.
/// </remarks>
internal sealed class GloVeTables
{
    const float Eps = 1e-10f;

    public GloVeTables(float[] centers, float[] contexts, float[] centerBias, float[] contextBias, int dim, float initialAccumulator)
    {
        (Centers, Contexts, CenterBias, ContextBias, Dim) = (centers, contexts, centerBias, contextBias, dim);
        _centersSq = Filled(centers.Length, initialAccumulator);
        _contextsSq = Filled(contexts.Length, initialAccumulator);
        _centerBiasSq = Filled(centerBias.Length, initialAccumulator);
        _contextBiasSq = Filled(contextBias.Length, initialAccumulator);
    }

    readonly float[] _centersSq, _contextsSq, _centerBiasSq, _contextBiasSq;

    public float[] Centers { get; }
    public float[] Contexts { get; }
    public float[] CenterBias { get; }
    public float[] ContextBias { get; }
    public int Dim { get; }

    /// <summary>
    /// Tables for <paramref name="words"/> words, every entry uniform in ±0.5 / dim (GloVe's start; a zero start would
    /// leave v and u symmetric, every word the same).
    /// </summary>
    public static GloVeTables Random(int words, int dim, Generator rng, float initialAccumulator)
    {
        float[] Draw(int n)
        {
            var t = new float[n];
            for (int i = 0; i < n; i++) t[i] = (rng.NextSingle() - 0.5f) / dim;
            return t;
        }
        return new GloVeTables(Draw(words * dim), Draw(words * dim), Draw(words), Draw(words), dim, initialAccumulator);
    }

    /// <summary>h(x) = (x / xMax)^α below xMax, 1 from there: rare pairs count less, frequent ones no more than xMax's.</summary>
    public static double Weight(double x, double xMax, double alpha) => x < xMax ? Math.Pow(x / xMax, alpha) : 1;

    /// <summary>One pass over <paramref name="entries"/> in <paramref name="order"/>, a step per entry; returns the mean loss of the entries before their steps.</summary>
    public double Epoch(Cooccurrence[] entries, int[] order, float lr, double xMax, double alpha)
    {
        double lossSum = 0;
        int dim = Dim;
        float[] gradV = new float[dim], gradU = new float[dim], scratch = new float[dim];
        foreach (int e in order)
        {
            var (i, j, x) = entries[e];
            var v = Centers.AsSpan(i * dim, dim);
            var u = Contexts.AsSpan(j * dim, dim);
            float f = (float)Weight(x, xMax, alpha);
            float diff = TensorPrimitives.Dot(v, u) + CenterBias[i] + ContextBias[j] - (float)Math.Log(x);
            lossSum += f * diff * diff;
            float g = 2 * f * diff;   // d loss / d (v·u + b + c)
            // Both gradients from the values before this entry's step.
            TensorPrimitives.Multiply(u, g, gradV);
            TensorPrimitives.Multiply(v, g, gradU);
            Step(v, _centersSq.AsSpan(i * dim, dim), gradV, lr, scratch);
            Step(u, _contextsSq.AsSpan(j * dim, dim), gradU, lr, scratch);
            CenterBias[i] -= Step(ref _centerBiasSq[i], g, lr);
            ContextBias[j] -= Step(ref _contextBiasSq[j], g, lr);
        }
        return order.Length == 0 ? double.NaN : lossSum / order.Length;
    }

    /// <summary>AdaGrad on a row, element by element as <see cref="Step(ref float, float, float)"/>: s += g²; p −= lr · g / (√s + ε).</summary>
    static void Step(Span<float> parameters, Span<float> sumSq, ReadOnlySpan<float> grad, float lr, Span<float> scratch)
    {
        TensorPrimitives.MultiplyAdd(grad, grad, sumSq, sumSq);
        TensorPrimitives.Sqrt(sumSq, scratch);
        TensorPrimitives.Add(scratch, Eps, scratch);
        TensorPrimitives.Divide(grad, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -lr, parameters, parameters);
    }

    static float Step(ref float sumSq, float grad, float lr)
    {
        sumSq += grad * grad;
        return lr * (grad / (MathF.Sqrt(sumSq) + Eps));
    }

    static float[] Filled(int n, float value)
    {
        var t = new float[n];
        Array.Fill(t, value);
        return t;
    }
}
