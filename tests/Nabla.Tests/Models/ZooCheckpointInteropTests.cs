using System.Text.Json;
using Nabla.IO;
using Nabla.Models;
using Nabla.Tests.IO;
using Nabla.Tests.Support;

namespace Nabla.Tests.Models;

/// <summary>
/// A zoo model's checkpoint crosses between PyTorch and Nabla through real safetensors files, both ways
/// (tools/golden/zoo_interop.py writes the PyTorch side and checks the Nabla side). Set NABLA_WRITE_GOLDEN=1
/// to rewrite the Nabla fixture after a deliberate change.
/// </summary>
public class ZooCheckpointInteropTests
{
    static (Tensor Input, Tensor Logits) ReadLogits(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(GoldenFiles.Path(file)));
        return (GoldenFixture.ReadTensor(doc.RootElement.GetProperty("input")), GoldenFixture.ReadTensor(doc.RootElement.GetProperty("logits")));
    }

    [Fact]
    public void APyTorchLeNetCheckpointGivesPyTorchsLogits()
    {
        var model = ModelZoo.Get("lenet-modern").Create(new ZooOptions { Generator = new Generator(1) });
        Checkpoint.Load(GoldenFiles.Path("torch_lenet_modern.safetensors"), model);
        model.Eval();
        var (input, logits) = ReadLogits("torch_lenet_modern.json");
        TensorAssert.Close(logits, model.Forward(input), 1e-5, 1e-5, "logits of PyTorch's LeNet checkpoint");
    }

    [Fact]
    public void NablasLeNetCheckpointIsTheFixturePyTorchLoads()
    {
        var model = ModelZoo.Get("lenet-modern").Create(new ZooOptions { Generator = new Generator(7) });
        model.Eval();
        var (input, _) = ReadLogits("torch_lenet_modern.json");
        var logits = model.Forward(input);
        using var tmp = new Nabla.Tests.Support.TempFolder();
        string written = tmp.File("nabla_lenet_modern.safetensors");
        Checkpoint.Save(written, model);

        if (Environment.GetEnvironmentVariable("NABLA_WRITE_GOLDEN") == "1")
        {
            File.Copy(written, GoldenFiles.SourcePath("nabla_lenet_modern.safetensors"), overwrite: true);
            File.WriteAllText(GoldenFiles.SourcePath("nabla_lenet_modern.json"), LogitsJson(input, logits));
        }

        // Same seed, same bytes: the committed file is exactly what Nabla writes, and PyTorch loads that file
        // strictly and reproduces these logits (python3 tools/golden/zoo_interop.py check).
        Assert.Equal(File.ReadAllBytes(GoldenFiles.Path("nabla_lenet_modern.safetensors")), File.ReadAllBytes(written));
        TensorAssert.Close(ReadLogits("nabla_lenet_modern.json").Logits, logits, 1e-6, 1e-6, "logits recorded with the Nabla fixture");
        var keys = MinimalSafetensorsParser.Parse(File.ReadAllBytes(written)).Entries.Select(e => e.Name).ToArray();
        Assert.Equal(model.StateDict().Keys, keys);
        Assert.Contains("1.running_mean", keys);
        Assert.Contains("1.num_batches_tracked", keys);
    }

    static string LogitsJson(Tensor input, Tensor logits)
    {
        object Encode(Tensor t) => new { dtype = "float32", shape = t.Shape, data = t.Detach().Contiguous().ToArray<float>().Select(v => (double)v) };
        return JsonSerializer.Serialize(new { generator = "tests/Nabla.Tests/Models/ZooCheckpointInteropTests.cs", input = Encode(input), logits = Encode(logits) });
    }
}
