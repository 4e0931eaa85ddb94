using Nabla.Backends.Cpu;
using Nabla.Tests.Support;

namespace Nabla.Tests.Backends;

/// <summary>
/// The parameterised maps (leaky ReLU, ELU, GELU, …) split long tensors over the worker pool: every element must
/// still be exactly the map's own value, forward and backward, at any thread count and across chunk edges.
/// </summary>
[Collection(GlobalThreadCountCollection.Name)]
public class PointwiseSplitTests
{
    static Tensor Values(int n, DType dtype, int seed)
    {
        var rng = new System.Random(seed);
        var data = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 8 - 4).ToArray();
        data[0] = 0;
        var t = Tensor.FromArray(data, [n]);
        return dtype == DType.Float64 ? t : t.To(dtype);
    }

    static void AssertEachElement(Tensor actual, Func<int, double> expected)
    {
        for (int i = 0; i < actual.NumElements; i++)
        {
            double e = expected(i), a = actual.Storage.GetAsDouble(actual.Offset + i);
            if (!e.Equals(a)) Assert.Fail($"element {i}: {a:R}, expected {e:R}");
        }
    }

    [Theory]
    [InlineData(DenseSplit.MinLength - 1, DType.Float32)]
    [InlineData(3 * DenseSplit.MinLength + 7, DType.Float32)]
    [InlineData(3 * DenseSplit.MinLength + 7, DType.Float64)]
    public void SplitMapsGiveEachElementsOwnValue(int n, DType dtype)
    {
        var x = Values(n, dtype, 1);
        var g = Values(n, dtype, 2);
        var elu = new EluMap(1.3, 1.05, 0.9);
        var leaky = new LeakyReluMap(0.02);
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Gemm.MaxThreads = threads;
                if (dtype == DType.Float32)
                {
                    float[] xs = x.Data<float>(), gs = g.Data<float>();
                    AssertEachElement(Pointwise.Map(x, elu), i => elu.Apply(xs[i]));
                    AssertEachElement(Pointwise.Map(x, leaky), i => leaky.Apply(xs[i]));
                    AssertEachElement(Pointwise.Grad(g, x, elu), i => elu.Apply(gs[i], xs[i]));
                    AssertEachElement(Pointwise.Grad(g, x, leaky), i => leaky.Apply(gs[i], xs[i]));
                }
                else
                {
                    double[] xs = x.Data<double>(), gs = g.Data<double>();
                    AssertEachElement(Pointwise.Map(x, elu), i => elu.Apply(xs[i]));
                    AssertEachElement(Pointwise.Grad(g, x, elu), i => elu.Apply(gs[i], xs[i]));
                }
            }
        }
        finally { Gemm.MaxThreads = saved; }
    }
}
