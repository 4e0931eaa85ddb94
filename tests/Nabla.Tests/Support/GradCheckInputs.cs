using Nabla.Autograd;

namespace Nabla.Tests.Support;

/// <summary>Shared pieces of the float64 gradient-check tests: seeded inputs and an assertion with the failing element.</summary>
public static class GradCheckInputs
{
    /// <summary>A float64 tensor of uniform values in [−1, 1), reproducible from <paramref name="seed"/>.</summary>
    public static Tensor Uniform(int seed, params int[] shape)
    {
        var rng = new System.Random(seed);
        int n = shape.Aggregate(1, (p, d) => p * d);
        var data = new double[n];
        for (int i = 0; i < n; i++) data[i] = rng.NextDouble() * 2 - 1;
        return Tensor.From(data, [n]).Reshape(shape);
    }

    public static void AssertPasses(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var result = GradCheck.Run(f, inputs);
        Assert.True(result.Passed, result.ToString());
    }
}
