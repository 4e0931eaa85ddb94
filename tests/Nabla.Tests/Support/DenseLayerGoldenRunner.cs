using Nabla.NN;

namespace Nabla.Tests.Support;

/// <summary>
/// Replays a golden case through a MODULE: the fixture's first inputs are the data, the rest are the module's
/// parameters (in the order given by <c>parameterNames</c>), loaded with LoadStateDict. The output, the data
/// gradients and the gradients the module's own parameters receive must all match PyTorch.
/// </summary>
public static class DenseLayerGoldenRunner
{
    public static void Check(GoldenCase c, Module module, string[] parameterNames, Func<Tensor[], Tensor> forward,
        double rtol = 1e-5, double atol = 1e-5)
    {
        int dataCount = c.Inputs.Length - parameterNames.Length;
        var state = new Dictionary<string, Tensor>();
        for (int i = 0; i < parameterNames.Length; i++) state[parameterNames[i]] = c.Inputs[dataCount + i];
        module.LoadStateDict(state);
        module.ZeroGrad();

        var data = c.Inputs.Take(dataCount).Select(x =>
        {
            var copy = x.Clone();
            if (c.Grads is not null && copy.DType.IsFloating()) copy.RequiresGrad = true;
            return copy;
        }).ToArray();
        var output = forward(data);
        TensorAssert.Close(c.Output, output, rtol, atol, $"{c.Name}: module output");

        if (c.Grads is null || c.Upstream is null) return;
        output.Backward(c.Upstream);
        for (int i = 0; i < c.Inputs.Length; i++)
        {
            if (c.Grads[i] is not { } expected) continue;
            var (what, actual) = i < dataCount
                ? ($"gradient of input {i}", data[i].Grad)
                : ($"gradient of parameter '{parameterNames[i - dataCount]}'", module.GetParameter(parameterNames[i - dataCount]).Grad);
            Assert.True(actual is not null, $"{c.Name}: {what} is missing");
            TensorAssert.Close(expected, actual!, rtol, atol, $"{c.Name}: module {what}");
        }
    }
}
