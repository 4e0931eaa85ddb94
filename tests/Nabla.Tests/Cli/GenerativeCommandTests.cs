using System.Text.Json;
using Nabla.Models.Generative;
using Nabla.NN;
using Nabla.Tests.Support;
using static Nabla.Tests.Cli.CliHarness;

namespace Nabla.Tests.Cli;

/// <summary>
/// `nabla train vae|autoencoder|gan|cgan|dcgan` on the shipped Fashion-MNIST sample: a short real run, the files it writes (the
/// checkpoint loads back into the model), and the options of other
/// model kinds refused before anything is written.
/// </summary>
[Collection(CliTrainingCollection.Name)]
public class GenerativeCommandTests
{
    [Theory]
    [InlineData("vae")]
    [InlineData("autoencoder")]
    public void AShortRunLowersTheLossAndWritesItsFiles(string model)
    {
        using var temp = new TempFolder();
        string output = temp.File("run");
        var r = Run("train", model, "--data", Sample, "--epochs", "3", "--limit", "300", "--batch-size", "32", "--out", output, "--json", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.ToString());
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(model, j.GetProperty("model").GetString());
        Assert.Equal(File.ReadAllText(Path.Combine(output, model + ".json")), r.Out.TrimEnd('\n'));
        var history = j.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("train_loss").GetDouble()).ToList();
        Assert.Equal(3, history.Count);
        Assert.True(history[2] < history[0], string.Join(", ", history));
        // A per-image cross-entropy over 784 pixels: below 784 · ln 2 (a model that knows nothing) after three epochs.
        Assert.InRange(j.GetProperty("test_loss").GetDouble(), 1, 784 * Math.Log(2));
        Assert.Contains("epoch 3/3", r.Err);

        Module net = model == "vae" ? new VariationalAutoencoder(784, [400], 20) : new Autoencoder(784, [400], 20);
        Nabla.IO.Checkpoint.Load(Path.Combine(output, model + ".safetensors"), net);
        Assert.Equal(j.GetProperty("parameters").GetInt64(), net.NumParameters());
        Assert.Equal((900, 500), PngSize(Path.Combine(output, model + "-curves.png")));
        var (width, height) = PngSize(Path.Combine(output, model + "-reconstructions.png"));
        Assert.Equal((8 * (28 * 3 + 4) + 4, 4 * (28 * 3 + 4) + 4), (width, height));   // 16 test images above their reconstructions
        Assert.Equal(model == "vae", File.Exists(Path.Combine(output, model + "-samples.png")));
    }

    [Theory]
    [InlineData("gan", 4)]
    [InlineData("cgan", 10)]
    public void AShortGanRunWritesBothNetworksAndItsSamples(string model, int rows)
    {
        using var temp = new TempFolder();
        string output = temp.File("run");
        var r = Run("train", model, "--data", Sample, "--epochs", "2", "--limit", "256", "--batch-size", "64", "--out", output, "--json", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.ToString());
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(model, j.GetProperty("model").GetString());
        var history = j.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.All(history, e => Assert.True(e.GetProperty("discriminator_loss").GetDouble() > 0 && e.GetProperty("generator_loss").GetDouble() > 0));
        var tensors = Nabla.IO.Safetensors.Load(Path.Combine(output, model + ".safetensors"), out _);
        int condition = model == "cgan" ? 10 : 0;
        Assert.Equal([256, 64 + condition], tensors["generator.0.weight"].Shape);
        Assert.Equal([512, 784 + condition], tensors["discriminator.0.weight"].Shape);
        Assert.Equal(j.GetProperty("parameters").GetInt64(), tensors.Values.Sum(t => (long)t.NumElements));
        Assert.Equal((8 * (28 * 3 + 4) + 4, rows * (28 * 3 + 4) + 4), PngSize(Path.Combine(output, model + "-samples.png")));
        Assert.Equal((900, 500), PngSize(Path.Combine(output, model + "-curves.png")));
    }

    [Fact]
    public void ADcganRunTrainsTheConvolutionalNetworks()
    {
        using var temp = new TempFolder();
        string output = temp.File("run");
        var r = Run("train", "dcgan", "--data", Sample, "--epochs", "1", "--limit", "96", "--batch-size", "32", "--out", output, "--json", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.ToString());
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.StartsWith("DCGAN: G 64 → 128×7×7", j.GetProperty("description").GetString());
        var tensors = Nabla.IO.Safetensors.Load(Path.Combine(output, "dcgan.safetensors"), out _);
        Assert.Equal([128, 64, 4, 4], tensors["generator.4.weight"].Shape);        // ConvTranspose2d(128 → 64): [in, out, kH, kW]
        Assert.Equal([64, 1, 4, 4], tensors["discriminator.0.weight"].Shape);       // Conv2d(1 → 64)
        Assert.Equal([128], tensors["discriminator.3.running_mean"].Shape);         // batch norm statistics are saved too
        Assert.Equal((8 * (28 * 3 + 4) + 4, 4 * (28 * 3 + 4) + 4), PngSize(Path.Combine(output, "dcgan-samples.png")));
    }

    [Fact]
    public void AnImageGridOfNoImagesIsRefused()
    {
        using var temp = new TempFolder();
        Assert.Contains("image grid: there are no images to draw",
            Assert.Throws<ArgumentException>(() => Nabla.Cli.Runs.ImageGrid.Save(temp.File("grid.png"), [], columns: 8)).Message);
        Assert.False(File.Exists(temp.File("grid.png")));
    }

    [Fact]
    public void AGanRefusesAnotherOptimizerAndAdamRefusesMomentum()
    {
        using var temp = new TempFolder();
        var r = Run("train", "gan", "--data", Sample, "--optimizer", "sgd", "--limit", "64", "--out", temp.File("run"));
        Assert.Equal(2, r.ExitCode);   // a usage error, found before anything runs
        Assert.Contains("train gan: both networks use Adam", r.Err + r.Out);
        var momentum = Run("train", "vae", "--momentum", "0.9", "--out", temp.File("run"));
        Assert.Equal(2, momentum.ExitCode);
        Assert.Contains("train: --momentum applies to sgd and rmsprop, not adam (the default for vae).", momentum.Err + momentum.Out);
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Theory]
    [InlineData("--resize", "32", "train: --resize applies to the image classifiers, not to vae.")]
    [InlineData("--augment", null, "train: --augment applies to the image classifiers, not to vae.")]
    [InlineData("--schedule", "cosine", "train: --schedule applies to the image classifiers, not to vae.")]
    [InlineData("--cell", "gru", "train: --cell applies to the language models")]
    [InlineData("--vectors", "glove", "train: --vectors applies to the sentiment models")]
    public void OptionsOfOtherModelsAreRefused(string option, string? value, string message)
    {
        using var temp = new TempFolder();
        string[] args = value is null ? ["train", "vae", option, "--out", temp.File("run")] : ["train", "vae", option, value, "--out", temp.File("run")];
        var r = Run(args);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Err + r.Out);
        Assert.False(Directory.Exists(temp.File("run")));
    }
}
