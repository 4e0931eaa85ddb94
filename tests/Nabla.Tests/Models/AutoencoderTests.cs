using System.Text.Json;
using Nabla.Autograd;
using Nabla.Models.Generative;
using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.Models;

/// <summary>
/// The autoencoder and the VAE against PyTorch mirrors (tools/golden/vae.py: same state-dict names, weights, inputs and
/// noise): outputs, losses and every parameter gradient, in float32 and float64; a float64 gradient check of the VAE
/// loss through the reparameterisation; sampling, modes and bad input.
/// </summary>
public class AutoencoderTests
{
    static readonly Dictionary<string, JsonElement> Cases = GoldenFixture.RawCases("vae");

    static Tensor T(JsonElement c, string field) => GoldenFixture.ReadTensor(c.GetProperty(field));

    static (double Rtol, double Atol) Tolerance(string name) => name.EndsWith("float64") ? (1e-10, 1e-12) : (1e-5, 1e-6);

    static void Load(Module model, JsonElement c)
    {
        var state = c.GetProperty("state").EnumerateObject().ToDictionary(p => p.Name, p => GoldenFixture.ReadTensor(p.Value));
        var result = model.LoadStateDict(state);
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
    }

    static void GradientsMatch(Module model, JsonElement c, string name)
    {
        var (rtol, atol) = Tolerance(name);
        var expected = c.GetProperty("grads").EnumerateObject().ToDictionary(p => p.Name, p => GoldenFixture.ReadTensor(p.Value));
        var named = model.NamedParameters().ToList();
        Assert.Equal(expected.Keys.Order(), named.Select(p => p.Name).Order());
        foreach (var (key, p) in named) TensorAssert.Close(expected[key], p.Grad!, rtol, atol, key);
    }

    [Theory]
    [InlineData("autoencoder_float32", DType.Float32)]
    [InlineData("autoencoder_float64", DType.Float64)]
    public void AutoencoderMatchesPyTorch(string name, DType dtype)
    {
        var c = Cases[name];
        var model = new Autoencoder(12, [8], 3, dtype);
        Load(model, c);
        var x = T(c, "input");
        var logits = model.Forward(x);
        var (rtol, atol) = Tolerance(name);
        TensorAssert.Close(T(c, "logits"), logits, rtol, atol);
        var loss = Functional.BinaryCrossEntropyWithLogits(logits, x.Reshape(4, 12));
        Assert.Equal(c.GetProperty("loss").GetDouble(), loss.Item(), dtype == DType.Float64 ? 1e-12 : 1e-6);
        loss.Backward();
        GradientsMatch(model, c, name);
    }

    [Theory]
    [InlineData("vae_float32", DType.Float32)]
    [InlineData("vae_float64", DType.Float64)]
    public void VaeMatchesPyTorch(string name, DType dtype)
    {
        var c = Cases[name];
        var model = new VariationalAutoencoder(12, [8, 6], 3, dtype);
        Load(model, c);
        var output = model.Forward(T(c, "input"), T(c, "noise"));
        var (rtol, atol) = Tolerance(name);
        TensorAssert.Close(T(c, "logits"), output.Logits, rtol, atol, "logits");
        TensorAssert.Close(T(c, "mean"), output.Mean, rtol, atol, "mean");
        TensorAssert.Close(T(c, "log_var"), output.LogVar, rtol, atol, "log_var");
        var (total, reconstruction, kl) = VariationalAutoencoder.Loss(output, T(c, "input"));
        double tol = dtype == DType.Float64 ? 1e-12 : 1e-5;
        Assert.Equal(c.GetProperty("reconstruction").GetDouble(), reconstruction.Item(), tol);
        Assert.Equal(c.GetProperty("kl").GetDouble(), kl.Item(), tol);
        Assert.Equal(c.GetProperty("loss").GetDouble(), total.Item(), tol);
        total.Backward();
        GradientsMatch(model, c, name);
    }

    [Fact]
    public void VaeLossPassesAFloat64GradientCheckThroughTheReparameterisation()
    {
        var model = new VariationalAutoencoder(5, [4], 2, DType.Float64, new Generator(3));
        var x = Tensor.Rand([3, 5], DType.Float64, new Generator(4));
        var noise = Tensor.Randn([3, 2], DType.Float64, new Generator(5));
        // The loss as a function of the input, which reaches it twice: as the target, and through the encoder's μ and
        // log σ², the reparameterised z = μ + exp(½ log σ²) · ε and the decoder.
        var result = GradCheck.Run(inputs => VariationalAutoencoder.Loss(model.Forward(inputs[0], noise), inputs[0]).Total, [x.RequiresGrad_()]);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void ModesSamplingAndBadInput()
    {
        var vae = new VariationalAutoencoder(6, [5], 2, generator: new Generator(1));
        var x = Tensor.Rand(3, 6);
        // Training mode draws ε each pass; evaluation mode decodes μ, so it repeats exactly.
        Assert.NotEqual(vae.Forward(x).ToArray<float>(), vae.Forward(x).ToArray<float>());
        vae.Eval();
        Assert.Equal(vae.Forward(x).ToArray<float>(), vae.Forward(x).ToArray<float>());
        Assert.Equal(vae.Decode(vae.Encode(x).Mean).ToArray<float>(), vae.Forward(x).ToArray<float>());
        Assert.Equal([4, 6], vae.Sample(4).Shape);
        Assert.Equal([3, 6], new Autoencoder(6, [4], 2).Forward(x.Reshape(3, 2, 3)).Shape);

        Assert.Contains("VariationalAutoencoder: expects a batch [N, …] of 6 values each, got [3, 5]",
            Assert.Throws<ArgumentException>(() => vae.Forward(Tensor.Rand(3, 5))).Message);
        Assert.Contains("expects a batch", Assert.Throws<ArgumentException>(() => vae.Forward(Tensor.Rand(0, 6))).Message);
        Assert.Contains("the noise must have the codes' shape [3, 2], got [3, 3]",
            Assert.Throws<ArgumentException>(() => vae.Forward(x, Tensor.Randn(3, 3))).Message);
        Assert.Contains("VAE loss: expects a batch [N, …] of 6 values each, got [3, 4]",
            Assert.Throws<ArgumentException>(() => VariationalAutoencoder.Loss(vae.Forward(x, Tensor.Randn(3, 2)), Tensor.Rand(3, 4))).Message);
        Assert.Contains("3 reconstructions but 2 targets",
            Assert.Throws<ArgumentException>(() => VariationalAutoencoder.Loss(vae.Forward(x, Tensor.Randn(3, 2)), Tensor.Rand(2, 6))).Message);
        Assert.Contains("hidden sizes", Assert.Throws<ArgumentException>(() => new Autoencoder(6, [0], 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => vae.Sample(0));
    }
}
