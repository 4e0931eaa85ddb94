using System.Text.Json;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Support;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// The GAN updates against PyTorch (tools/golden/gan.py): the notes' toy GAN with Adam for three steps and a conditional
/// GAN with SGD for two, comparing both losses of every step and every parameter afterwards; then the notes' toy GAN
/// trained for a while learns where the data lie, and bad batches are refused.
/// </summary>
public class GanTrainerTests
{
    static readonly Dictionary<string, JsonElement> Cases = GoldenFixture.RawCases("gan");

    static Dictionary<string, Tensor> State(JsonElement e) => e.EnumerateObject().ToDictionary(p => p.Name, p => GoldenFixture.ReadTensor(p.Value));

    static List<Tensor> Tensors(JsonElement c, string field) => c.GetProperty(field).EnumerateArray().Select(GoldenFixture.ReadTensor).ToList();

    static void Run(string name, Module generator, Module discriminator, Func<Module, Optimizer> generatorOptimizer, Func<Module, Optimizer> discriminatorOptimizer)
    {
        var c = Cases[name];
        generator.LoadStateDict(State(c.GetProperty("start").GetProperty("generator")));
        discriminator.LoadStateDict(State(c.GetProperty("start").GetProperty("discriminator")));
        var trainer = new GanTrainer(generator, discriminator, generatorOptimizer(generator), discriminatorOptimizer(discriminator));
        var real = Tensors(c, "real");
        var noise = Tensors(c, "noise");
        var condition = c.TryGetProperty("condition", out _) ? Tensors(c, "condition") : null;
        var expected = c.GetProperty("losses").EnumerateArray().Select(l => (l[0].GetDouble(), l[1].GetDouble())).ToList();
        for (int s = 0; s < real.Count; s++)
        {
            var losses = trainer.Step(real[s], noise[s], condition?[s]);
            Assert.Equal(expected[s].Item1, losses.Discriminator, 1e-5);
            Assert.Equal(expected[s].Item2, losses.Generator, 1e-5);
        }
        foreach (var (module, key) in new[] { (generator, "generator"), (discriminator, "discriminator") })
        {
            var end = State(c.GetProperty("end").GetProperty(key));
            foreach (var (param, tensor) in module.NamedParameters()) TensorAssert.Close(end[param], tensor, 1e-4, 1e-5, $"{key}.{param}");
        }
    }

    static Sequential NotesDiscriminator() => new(new Linear(2, 5), new Tanh(), new Linear(5, 3), new Tanh(), new Linear(3, 1));

    [Fact]
    public void TheNotesToyGanStepsAsInPyTorch() =>
        Run("notes", new Linear(2, 2), NotesDiscriminator(), g => new Adam(g.Parameters(), lr: 0.005), d => new Adam(d.Parameters(), lr: 0.05));

    [Fact]
    public void AConditionalGanStepsAsInPyTorch() =>
        Run("conditional", new Linear(5, 4), new Sequential(new Linear(7, 4), new Tanh(), new Linear(4, 1)),
            g => new SGD(g.Parameters(), lr: 0.1), d => new SGD(d.Parameters(), lr: 0.1));

    [Fact]
    public void TheNotesToyGanLearnsWhereTheDataLie()
    {
        // The notes' 20.1: X = N(0, I) A + b with b = (1, 2); a linear G from N(0, I) must move its samples there.
        var rng = new Generator(7);
        var a = Tensor.From(new float[] { 1, 2, -0.1f, 0.5f }, 2, 2);
        var b = Tensor.From(new float[] { 1, 2 }, 2);
        var data = Tensor.Randn([1000, 2], generator: rng).MatMul(a) + b;
        var generator = new Linear(2, 2, generator: rng);
        var discriminator = new Sequential(new Linear(2, 5, generator: rng), new Tanh(), new Linear(5, 3, generator: rng), new Tanh(), new Linear(3, 1, generator: rng));
        var trainer = new GanTrainer(generator, discriminator, new Adam(generator.Parameters(), lr: 0.005), new Adam(discriminator.Parameters(), lr: 0.05));
        for (int epoch = 0; epoch < 20; epoch++)
            for (int start = 0; start < 1000; start += 8)
                trainer.Step(data.Narrow(0, start, 8), Tensor.Randn([8, 2], generator: rng));
        Tensor samples;
        using (new Nabla.Autograd.NoGrad()) samples = trainer.Generate(Tensor.Randn([1000, 2], generator: rng));
        var mean = samples.Mean(0).ToArray<float>();
        // Untrained, G's samples centre near its bias (|b| ≲ 0.7); the data's mean is (1, 2).
        Assert.InRange(mean[0], 0.5, 1.5);
        Assert.InRange(mean[1], 1.5, 2.5);
    }

    [Fact]
    public void BatchesOfDifferentSizesAreRefused()
    {
        var trainer = new GanTrainer(new Linear(2, 2), NotesDiscriminator(), new SGD(new Linear(1, 1).Parameters(), 0.1), new SGD(new Linear(1, 1).Parameters(), 0.1));
        var e = Assert.Throws<ArgumentException>(() => trainer.Step(Tensor.Randn(4, 2), Tensor.Randn(3, 2)));
        Assert.Contains("gan step: real [4, 2], noise [3, 2] must be batches of the same size", e.Message);
        Assert.Contains("condition [4]", Assert.Throws<ArgumentException>(() => trainer.Step(Tensor.Randn(4, 2), Tensor.Randn(4, 2), Tensor.Randn(4))).Message);
    }
}
