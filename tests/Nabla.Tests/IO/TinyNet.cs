using System.Runtime.CompilerServices;
using Nabla.NN;

namespace Nabla.Tests.IO;

// Mirrors TinyLinear / TinyNet of tools/golden/safetensors_io.py: same names, registration order, dtypes and math,
// so state dicts move between Nabla and PyTorch unchanged. (Main has no Linear layer yet; these are test modules.)

/// <summary>nn.Linear's parameters and math: y = x @ weight.T + bias.</summary>
sealed class TinyLinear : Module
{
    public TinyLinear(int nIn, int nOut, int seed)
    {
        RegisterParameter("weight", TinyNet.Values([nOut, nIn], seed, 0.5));
        RegisterParameter("bias", TinyNet.Values([nOut], seed + 1, 0.1));
    }

    public override Tensor Forward(Tensor input) => input.MatMul(Param("weight")!.T()) + Param("bias")!;
}

/// <summary>fc2(where(mask, relu(fc1(x) - shift), 0)), with buffers of every dtype (F32, BOOL, I64 0-d, F64).</summary>
sealed class TinyNet : Module
{
    public TinyNet(int seed = 1, int hidden = 3, int outputs = 2)
    {
        RegisterBuffer("shift", Values([hidden], seed + 10, 0.1));
        RegisterBuffer("mask", Tensor.From(Enumerable.Range(0, hidden).Select(i => i % 2 == 0).ToArray(), hidden));
        RegisterBuffer("num_batches_tracked", Tensor.Scalar(5 + seed, DType.Int64));
        RegisterBuffer("calibration", Tensor.From(new[] { 0.25 * seed, -1.5 }, 2));
        RegisterModule("fc1", new TinyLinear(4, hidden, seed + 20));
        RegisterModule("fc2", new TinyLinear(hidden, outputs, seed + 30));
    }

    public override Tensor Forward(Tensor input)
    {
        var h = (GetSubmodule("fc1").Forward(input) - Buffer("shift")!).Relu();
        return GetSubmodule("fc2").Forward(Tensor.Where(Buffer("mask")!, h, 0.0));
    }

    /// <summary>Deterministic, seed-dependent values (so two nets of different seeds differ everywhere).</summary>
    public static Tensor Values(int[] shape, int seed, double scale)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float)(scale * Math.Sin(1.7 * seed + 0.9 * i + 0.3));
        return Tensor.From(data, shape);
    }

    /// <summary>PyTorch's state_dict keys for TinyNet, in order.</summary>
    public static readonly string[] Keys =
        ["shift", "mask", "num_batches_tracked", "calibration", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"];
}

/// <summary>Where fixture files are: the copied Golden folder next to the tests when present, else the source folder.</summary>
static class GoldenFiles
{
    public static string Path(string file) => Locate(file);

    /// <summary>The source Golden folder (the csproj copies only *.json to the output; binary fixtures are read in place).</summary>
    public static string SourcePath(string file, [CallerFilePath] string here = "") =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(here)!, "..", "Golden", file));

    static string Locate(string file)
    {
        var copied = System.IO.Path.Combine(AppContext.BaseDirectory, "Golden", file);
        return File.Exists(copied) ? copied : SourcePath(file);
    }
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
sealed class TempFolder : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("nabla-io-").FullName;

    public string File(string name) => System.IO.Path.Combine(Dir, name);

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
