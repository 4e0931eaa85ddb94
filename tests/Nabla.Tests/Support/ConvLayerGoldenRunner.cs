using Nabla.Autograd;
using Nabla.NN;

namespace Nabla.Tests.Support;

/// <summary>
/// Replays a golden case through a layer: inputs[0] is the layer's input and inputs[1..] are its parameters in
/// registration order (weight, bias), loaded into the layer before the run. Compares the output, the input's
/// gradient and each parameter's .Grad with PyTorch's.
/// </summary>
public static class ConvLayerGoldenRunner
{
    public static void Check(GoldenCase c, Module layer, Func<Tensor, Tensor>? prepare = null, double rtol = 1e-5, double atol = 1e-5)
    {
        var parameters = layer.Parameters().ToArray();
        Assert.True(parameters.Length == c.Inputs.Length - 1, $"{c.Name}: layer has {parameters.Length} parameters, fixture {c.Inputs.Length - 1}");
        using (new NoGrad())
            for (int i = 0; i < parameters.Length; i++)
            {
                Assert.Equal(c.Inputs[i + 1].Shape, parameters[i].Shape);
                parameters[i].CopyFrom(c.Inputs[i + 1]);
            }

        var x = c.Inputs[0].Clone();
        x.RequiresGrad = c.Grads is not null;
        var output = layer.Forward(prepare is null ? x : prepare(x));
        TensorAssert.Close(c.Output, output, rtol, atol, $"{c.Name} (layer): output");
        if (c.Grads is null || c.Upstream is null) return;

        output.Backward(c.Upstream);
        TensorAssert.Close(c.Grads[0]!, x.Grad!, rtol, atol, $"{c.Name} (layer): input gradient");
        for (int i = 0; i < parameters.Length; i++)
        {
            Assert.True(parameters[i].Grad is not null, $"{c.Name} (layer): parameter {i} received no gradient");
            TensorAssert.Close(c.Grads[i + 1]!, parameters[i].Grad!, rtol, atol, $"{c.Name} (layer): gradient of parameter {i}");
        }
    }
}
