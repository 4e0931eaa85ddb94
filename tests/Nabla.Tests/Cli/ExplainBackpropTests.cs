using System.Text.Json;
using Nabla.Cli;
using Nabla.Cli.Examples;
using Nabla.Tests.Support;

namespace Nabla.Tests.Cli;

/// <summary>
/// `nabla explain backprop` against PyTorch (fixture: tools/golden/backprop.py): the worked example's forward
/// values, autograd gradients and one SGD step, then the real command line in-process (--json, tables, help,
/// bad --lr).
/// </summary>
public class ExplainBackpropTests
{
    // The task asks for agreement with PyTorch to 1e-6; both sides compute in float64, so any real mistake is far larger.
    const double Tolerance = 1e-6;

    static readonly string[] ParameterNames = ["hidden.weight", "hidden.bias", "output.weight", "output.bias"];

    static readonly Lazy<JsonDocument> Golden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "backprop.json"))));

    static JsonElement G => Golden.Value.RootElement;

    static Tensor GoldenTensor(string name) => GoldenFixture.ReadTensor(G.GetProperty(name));

    static Tensor GoldenTensor(string group, string name) => GoldenFixture.ReadTensor(G.GetProperty(group).GetProperty(name));

    static void Close(Tensor expected, double[] actual, string what) =>
        TensorAssert.Close(expected, Tensor.From(actual).Reshape(expected.Shape), rtol: 0, atol: Tolerance, what);

    static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void ForwardValuesMatchPyTorch()
    {
        var r = BackpropExample.Run(G.GetProperty("learning_rate").GetDouble());
        Close(GoldenTensor("hidden_net"), r.HiddenNet, "z_h");
        Close(GoldenTensor("hidden"), r.Hidden, "h");
        Close(GoldenTensor("output_net"), r.OutputNet, "z_o");
        Close(GoldenTensor("outputs"), r.Output, "o");
        Close(GoldenTensor("loss_terms"), r.LossTerms, "loss terms");
        Close(G.GetProperty("loss").GetDouble(), r.Loss, "loss");
        Close(G.GetProperty("loss_after_step").GetDouble(), r.LossAfterStep, "loss after the step");
    }

    [Fact]
    public void StartingParametersAreTheFixtures()
    {
        var r = BackpropExample.Run();
        foreach (var name in ParameterNames)
            TensorAssert.Equal(GoldenTensor("parameters", name), r[name].Before, name);
    }

    [Fact]
    public void GradientsAndStepMatchPyTorch()
    {
        var r = BackpropExample.Run(G.GetProperty("learning_rate").GetDouble());
        Assert.Equal(ParameterNames, r.Parameters.Select(p => p.Name));
        foreach (var name in ParameterNames)
        {
            TensorAssert.Close(GoldenTensor("grads", name), r[name].Grad, rtol: 0, atol: Tolerance, $"gradient of {name}");
            TensorAssert.Close(GoldenTensor("updated", name), r[name].After, rtol: 0, atol: Tolerance, $"{name} after the step");
        }
    }

    [Fact]
    public void ActivationsAreTheNotesValues()
    {
        var r = BackpropExample.Run();
        Assert.Equal(4.3, r.HiddenNet[0], 12);
        Assert.Equal(5.3, r.HiddenNet[1], 12);
        Assert.Equal(0.9866, r.Hidden[0], 4);
        Assert.Equal(0.9950, r.Hidden[1], 4);
        Assert.Equal(0.8896, r.Output[0], 4);
        Assert.Equal(0.8004, r.Output[1], 4);
    }

    [Fact]
    public void ChainRuleProductsEqualTheAutogradGradients()
    {
        var r = BackpropExample.Run();
        var terms = ChainRule.OutputLayer(r).Concat(ChainRule.HiddenLayer(r)).ToList();

        // Every parameter element is explained exactly once, under the notes' names w1..w10 and the four biases.
        Assert.Equal(14, terms.Count);
        Assert.Equal(terms.Count, terms.Select(t => t.Symbol).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"w{i}").Order(), terms.Where(t => t.Symbol.StartsWith('w')).Select(t => t.Symbol).Order());
        foreach (var t in terms)
            Assert.True(t.Difference <= 1e-15, $"{t.Symbol}: product {t.Product:R} vs autograd {t.Autograd:R}");

        // The notes' naming: w5 joins x3 to h1, w10 joins h2 to o2.
        var w5 = terms.Single(t => t.Symbol == "w5");
        Assert.Equal(("hidden.weight", 0, 2, 0.5), (w5.Parameter, w5.Index[0], w5.Index[1], r["hidden.weight"].Before.Select(0, 0).Select(0, 2).Item()));
        var w10 = terms.Single(t => t.Symbol == "w10");
        Assert.Equal(("output.weight", 1, 1, 0.1), (w10.Parameter, w10.Index[0], w10.Index[1], r["output.weight"].Before.Select(0, 1).Select(0, 1).Item()));
    }

    [Fact]
    public void GradientCheckPasses()
    {
        var check = BackpropExample.Run().GradCheck;
        Assert.True(check.Passed, check.ToString());
        Assert.True(check.MaxAbsError < 1e-8, check.ToString());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void RunRejectsABadLearningRate(double lr)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BackpropExample.Run(lr));
        Assert.Contains("explain backprop: the learning rate must be a finite number greater than 0", ex.Message);
    }

    // ----- the command line, run in-process through the same CommandApp as Program.Main -----

    static CliHarness.CliRun Cli(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void JsonOutputIsOneObjectMatchingPyTorch()
    {
        var run = Cli("explain", "backprop", "--json");
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("", run.Err);

        // JsonDocument.Parse rejects anything after the first value, so this also proves "exactly one object".
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["outputs", "loss", "grads"], root.EnumerateObject().Take(3).Select(p => p.Name));

        Close(GoldenTensor("outputs"), Doubles(root.GetProperty("outputs")), "json outputs");
        Close(G.GetProperty("loss").GetDouble(), root.GetProperty("loss").GetDouble(), "json loss");
        foreach (var name in ParameterNames)
        {
            Close(GoldenTensor("grads", name), Doubles(root.GetProperty("grads").GetProperty(name)), $"json grads {name}");
            Close(GoldenTensor("updated", name), Doubles(root.GetProperty("updated").GetProperty(name)), $"json updated {name}");
        }
        Assert.True(root.GetProperty("gradcheck").GetProperty("passed").GetBoolean());

        // Full precision: the printed numbers parse back to exactly the doubles the library computed.
        var r = BackpropExample.Run();
        Assert.Equal(r.Output, Doubles(root.GetProperty("outputs")));
        Assert.Equal(r.Loss, root.GetProperty("loss").GetDouble());
        foreach (var name in ParameterNames)
            Assert.Equal(r[name].Grad.ToArray<double>(), Doubles(root.GetProperty("grads").GetProperty(name)));
    }

    [Fact]
    public void JsonWritesMatricesAsRows()
    {
        using var doc = JsonDocument.Parse(Cli("explain", "backprop", "--json").Out);
        var w = doc.RootElement.GetProperty("grads").GetProperty("hidden.weight");
        Assert.Equal(2, w.GetArrayLength());
        Assert.All(w.EnumerateArray(), row => Assert.Equal(3, row.GetArrayLength()));
        Assert.Equal(2, doc.RootElement.GetProperty("grads").GetProperty("output.bias").GetArrayLength());
    }

    [Fact]
    public void LearningRateOptionScalesTheStep()
    {
        var run = Cli("explain", "backprop", "--lr", "0.1", "--json");
        Assert.True(run.ExitCode == 0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        foreach (var name in ParameterNames)
        {
            var expected = GoldenTensor("parameters", name) - 0.1 * GoldenTensor("grads", name);
            Close(expected, Doubles(doc.RootElement.GetProperty("updated").GetProperty(name)), $"{name} after a step with lr 0.1");
        }
        Assert.Equal(0.1, doc.RootElement.GetProperty("learning_rate").GetDouble());
    }

    [Theory]
    [InlineData("0", "--lr must be a finite number greater than 0, got 0.")]
    [InlineData("-1", "--lr must be a finite number greater than 0, got -1.")]
    [InlineData("NaN", "--lr must be a finite number greater than 0, got NaN.")]
    [InlineData("Infinity", "--lr must be a finite number greater than 0, got Infinity.")]
    [InlineData("abc", "--lr expects a number such as 0.5, got 'abc'.")]
    public void BadLearningRateIsAClearErrorWithNonZeroExit(string lr, string message)
    {
        foreach (var args in new[] { new[] { "explain", "backprop", $"--lr={lr}" }, ["explain", "backprop", "--lr", lr, "--json"] })
        {
            var run = Cli(args);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(message, run.Err);
            Assert.Equal("", run.Out);   // nothing half-printed that a script could mistake for a result
        }
    }

    [Fact]
    public void UnknownOptionIsAnError()
    {
        var run = Cli("explain", "backprop", "--learning-rate", "0.1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown option 'learning-rate'", run.Err);
    }

    [Fact]
    public void HumanOutputShowsEveryStep()
    {
        var run = Cli("explain", "backprop");
        Assert.True(run.ExitCode == 0, run.Err);
        var text = run.Out;
        var r = BackpropExample.Run();
        string N(double v) => v.ToString("G10", System.Globalization.CultureInfo.InvariantCulture);

        // Forward pass, loss, deltas, chain-rule tables, the step and the gradient check, with their numbers.
        foreach (var s in new[] { "z_h1", "z_h2", "z_o1", "z_o2", "E_o1", "E_o2", "δ_o1", "δ_o2", "δ_h1", "δ_h2", "w10", "b_o2", "Gradient check passed" })
            Assert.Contains(s, text);
        Assert.Contains("0.1·1 + 0.3·4 + 0.5·5 + 0.5", text);
        foreach (var v in r.Hidden.Concat(r.Output).Concat(r.LossTerms).Append(r.Loss).Append(r.LossAfterStep))
            Assert.Contains(N(v), text);
        foreach (var p in r.Parameters)
            foreach (var v in p.Grad.ToArray<double>().Concat(p.After.ToArray<double>()))
                Assert.Contains(N(v), text);
        Assert.Contains("lr = 0.5", text);
    }

    [Theory]
    [InlineData(new[] { "--help" }, "explain")]
    [InlineData(new[] { "explain", "--help" }, "backprop")]
    [InlineData(new[] { "explain", "backprop", "--help" }, "--lr")]
    public void HelpWorksAtEveryLevel(string[] args, string mentions)
    {
        var run = Cli(args);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("nabla", run.Out);
        Assert.Contains(mentions, run.Out);
    }

    /// <summary>A JSON number array, or an array of rows, flattened in row-major order.</summary>
    static double[] Doubles(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(Doubles).ToArray()
        : [e.GetDouble()];
}
