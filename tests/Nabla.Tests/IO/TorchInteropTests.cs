using System.Text.Json;
using Nabla.IO;
using Nabla.Tests.Support;

namespace Nabla.Tests.IO;

/// <summary>
/// Checkpoints move between PyTorch and Nabla in both directions. PyTorch → Nabla: torch_checkpoint.safetensors,
/// written by tools/golden/safetensors_io.py, loads into the mirrored TinyNet and reproduces PyTorch's logits.
/// Nabla → PyTorch: nabla_checkpoint.safetensors is what Nabla writes (this test checks the bytes are still the same);
/// `python3 tools/golden/safetensors_io.py check` loads it into PyTorch's TinyNet and compares the logits.
/// Set NABLA_WRITE_GOLDEN=1 to rewrite the Nabla fixture after a deliberate format change.
/// </summary>
public class TorchInteropTests
{
    static (Tensor Input, Tensor Logits) ReadLogits(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(GoldenFiles.Path(file)));
        return (GoldenFixture.ReadTensor(doc.RootElement.GetProperty("input")), GoldenFixture.ReadTensor(doc.RootElement.GetProperty("logits")));
    }

    [Fact]
    public void APyTorchCheckpointLoadsAndReproducesItsLogits()
    {
        string path = GoldenFiles.Path("torch_checkpoint.safetensors");
        var (input, logits) = ReadLogits("torch_checkpoint.json");

        Assert.Equal(TinyNet.Keys, Safetensors.Load(path).Keys);
        var net = new TinyNet(seed: 3);
        var info = Checkpoint.Load(path, net);
        Assert.Equal("pt", info.Metadata["format"]);
        Assert.False(info.HasOptimizerState);

        var state = net.StateDict();
        Assert.Equal(5L, state["num_batches_tracked"].Item<long>());
        Assert.Empty(state["num_batches_tracked"].Shape);
        Assert.Equal(new[] { true, false, true }, state["mask"].ToArray<bool>());
        Assert.Equal(new[] { 0.25, -1.5 }, state["calibration"].ToArray<double>());
        TensorAssert.Close(logits, net.Forward(input), what: "logits of the PyTorch checkpoint");
    }

    [Fact]
    public void NablaWritesTheCommittedFixtureThatPyTorchReads()
    {
        var (input, _) = ReadLogits("torch_checkpoint.json");
        var net = new TinyNet(seed: 1);
        var logits = net.Forward(input);
        using var tmp = new TempFolder();
        string written = tmp.File("nabla_checkpoint.safetensors");
        Checkpoint.Save(written, net, metadata: new Dictionary<string, string> { ["written_by"] = "tests/Nabla.Tests/IO/TorchInteropTests.cs" });

        if (Environment.GetEnvironmentVariable("NABLA_WRITE_GOLDEN") == "1")
        {
            File.Copy(written, GoldenFiles.SourcePath("nabla_checkpoint.safetensors"), overwrite: true);
            WriteLogits(GoldenFiles.SourcePath("nabla_checkpoint.json"), input, logits);
        }

        // The writer is deterministic: the same model gives the same bytes, which PyTorch was shown to load.
        var bytes = File.ReadAllBytes(written);
        Assert.Equal(File.ReadAllBytes(GoldenFiles.SourcePath("nabla_checkpoint.safetensors")), bytes);
        TensorAssert.Close(ReadLogits("nabla_checkpoint.json").Logits, logits, what: "logits recorded with the Nabla fixture");

        // An independent parse of the bytes: PyTorch's key order, dtype codes, shapes, offsets and values.
        var parsed = MinimalSafetensorsParser.Parse(bytes);
        Assert.Equal(TinyNet.Keys, parsed.Entries.Select(e => e.Name));
        Assert.Equal(["F32", "BOOL", "I64", "F64", "F32", "F32", "F32", "F32"], parsed.Entries.Select(e => e.DType));
        Assert.Equal([[3], [3], [], [2], [3, 4], [3], [2, 3], [2]], parsed.Entries.Select(e => e.Shape));
        Assert.Equal("pt", parsed.Metadata["format"]);
        var state = net.StateDict();
        foreach (var e in parsed.Entries)
            Assert.Equal(TensorAssert.Flat(state[e.Name]), MinimalSafetensorsParser.Values(parsed, e));
    }

    static void WriteLogits(string path, Tensor input, Tensor logits)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("generator", "tests/Nabla.Tests/IO/TorchInteropTests.cs (NABLA_WRITE_GOLDEN=1)");
        foreach (var (name, t) in new[] { ("input", input), ("logits", logits) })
        {
            json.WriteStartObject(name);
            json.WriteString("dtype", "float32");
            json.WriteStartArray("shape");
            foreach (var d in t.Shape) json.WriteNumberValue(d);
            json.WriteEndArray();
            json.WriteStartArray("data");
            foreach (var v in t.Detach().Contiguous().ToArray<float>()) json.WriteNumberValue((double)v);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
