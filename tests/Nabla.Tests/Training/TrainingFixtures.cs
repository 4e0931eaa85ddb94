using Nabla.Data;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Tests.Training;

// Test models built from raw parameters and existing ops (the layer modules live on other branches), plus
// losses, data and a recording callback for the trainer tests.

/// <summary>Inverted dropout drawing its mask from the given generator, in training mode only.</summary>
sealed class TestDropout(double p, Generator generator) : Module
{
    public override Tensor Forward(Tensor input)
    {
        if (!IsTraining) return input;
        var keep = Tensor.Rand(input.Shape, input.DType, generator).Ge(p);
        return Tensor.Where(keep, input * (1.0 / (1.0 - p)), 0.0);
    }
}

/// <summary>nn.Linear's math and default init over raw parameters: y = x Wᵀ + b.</summary>
sealed class TestLinear : Module
{
    public TestLinear(int nIn, int nOut, Generator g)
    {
        double bound = 1.0 / Math.Sqrt(nIn);
        RegisterParameter("weight", Init.Uniform(Tensor.Zeros(nOut, nIn), -bound, bound, g));
        RegisterParameter("bias", Init.Uniform(Tensor.Zeros(nOut), -bound, bound, g));
    }

    public override Tensor Forward(Tensor input) => input.MatMul(Param("weight")!.T()) + Param("bias")!;
}

/// <summary>flatten → linear → relu → (dropout) → linear.</summary>
sealed class TestMlp : Module
{
    public TestMlp(int inputs, int hidden, int outputs, ulong seed, double dropout = 0, Generator? dropoutGenerator = null)
    {
        var g = new Generator(seed);
        RegisterModule("fc1", new TestLinear(inputs, hidden, g));
        if (dropout > 0) RegisterModule("drop", new TestDropout(dropout, dropoutGenerator!));
        RegisterModule("fc2", new TestLinear(hidden, outputs, g));
    }

    public override Tensor Forward(Tensor input)
    {
        var h = GetSubmodule("fc1").Forward(input.Flatten(1)).Relu();
        if (Children().Any(c => c is TestDropout)) h = GetSubmodule("drop").Forward(h);
        return GetSubmodule("fc2").Forward(h);
    }
}

static class TestLosses
{
    /// <summary>Mean cross-entropy of logits [N, C] against int64 labels [N], composed from primitives.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target) =>
        (logits.LogSumExp(1) - logits.Gather(1, target.Unsqueeze(1)).Squeeze(1)).Mean();

    public static Tensor Mse(Tensor output, Tensor target)
    {
        var d = output - target;
        return (d * d).Mean();
    }
}

static class TestData
{
    /// <summary>Three Gaussian blobs in 4-D (well separated), float32 inputs and int64 labels.</summary>
    public static TensorDataset Blobs(int n, ulong seed, double spread = 0.6)
    {
        var g = new Generator(seed);
        var x = new float[n * 4];
        var y = new long[n];
        double[][] centers = [[2, 0, 0, 1], [-2, 1, 0, -1], [0, -2, 2, 0]];
        for (int i = 0; i < n; i++)
        {
            int c = i % 3;
            y[i] = c;
            for (int j = 0; j < 4; j++) x[i * 4 + j] = (float)(centers[c][j] + spread * g.NextNormal());
        }
        return new TensorDataset(Tensor.From(x, n, 4), Tensor.From(y, n));
    }
}

/// <summary>Records every callback as a line of text, and snapshots the parameters after each epoch.</summary>
sealed class RecordingCallback(Module? model = null) : ITrainingCallback
{
    public readonly List<string> Events = new();
    public readonly List<BatchProgress> Batches = new();
    public readonly List<EpochEndInfo> Epochs = new();
    public readonly Dictionary<int, float[][]> Weights = new();
    public TrainEndInfo? End;

    public void OnTrainStart(TrainStartInfo info) => Events.Add($"start {info.FirstEpoch}/{info.Epochs}");
    public void OnEpochStart(EpochStartInfo info) => Events.Add($"epoch {info.Epoch}");
    public void OnBatchEnd(BatchProgress progress)
    {
        Batches.Add(progress);
        Events.Add($"batch {progress.Epoch}.{progress.Batch}");
    }

    public void OnEpochEnd(EpochEndInfo info)
    {
        Epochs.Add(info);
        Events.Add($"end {info.Record.Epoch}");
        if (model is not null) Weights[info.Record.Epoch] = Params(model);
    }

    public void OnTrainEnd(TrainEndInfo info)
    {
        End = info;
        Events.Add("done");
    }

    public static float[][] Params(Module model) => model.Parameters().Select(p => p.Detach().Contiguous().ToArray<float>()).ToArray();
}
