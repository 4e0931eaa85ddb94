namespace Nabla.Tests.Support;

/// <summary>
/// Replays a golden case: runs the Nabla twin of the PyTorch function on the same inputs, compares the
/// output, back-propagates the same upstream gradient and compares every input gradient.
/// </summary>
public static class GoldenRunner
{
    public static void Check(GoldenCase c, Func<Tensor[], Tensor> op, double rtol = 1e-5, double atol = 1e-5)
    {
        var inputs = c.Inputs.Select(x =>
        {
            var copy = x.Clone();
            if (c.Grads is not null && copy.DType.IsFloating()) copy.RequiresGrad = true;
            return copy;
        }).ToArray();

        var output = op(inputs);
        TensorAssert.Close(c.Output, output, rtol, atol, $"{c.Name}: output");

        if (c.Grads is null || c.Upstream is null) return;
        output.Backward(c.Upstream);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (c.Grads[i] is not { } expected) continue;
            Assert.True(inputs[i].Grad is not null, $"{c.Name}: input {i} received no gradient");
            TensorAssert.Close(expected, inputs[i].Grad!, rtol, atol, $"{c.Name}: gradient of input {i}");
        }
    }

    /// <summary>Every fixture case must have a C# twin and every twin a fixture case: nothing is silently skipped.</summary>
    public static void CheckCoverage(string fixture, IEnumerable<string> implemented)
    {
        var names = GoldenFixture.Load(fixture).Select(c => c.Name).ToHashSet();
        var ours = implemented.ToHashSet();
        Assert.Empty(names.Except(ours));
        Assert.Empty(ours.Except(names));
    }
}
