using System.Diagnostics;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Support;
using Nabla.Training;
using Xunit.Abstractions;

namespace Nabla.Tests.Training;

/// <summary>Small real training runs that must reach a stated accuracy quickly.</summary>
public class TrainerLearningTests(ITestOutputHelper output)
{
    [Fact]
    public void MlpLearnsTheFashionMnistSampleTo75PercentInFiveEpochs()
    {
        var clock = Stopwatch.StartNew();
        var train = FashionMnist.Load(RepoPaths.InRepo("data", "fashion-mnist-sample"), train: true);
        var test = FashionMnist.Load(RepoPaths.InRepo("data", "fashion-mnist-sample"), train: false);
        var g = new Generator(1);
        var model = new Sequential(new Flatten(), new Linear(784, 64, generator: g), new ReLU(), new Linear(64, 10, generator: g));
        var trainer = new Trainer(model, new Adam(model.Parameters(), lr: 2e-3), (logits, labels) => Functional.CrossEntropy(logits, labels),
            new TrainerOptions { TopK = 3, Generators = [] });
        var history = trainer.Fit(new DataLoader(train, 32, shuffle: true, seed: 1), new DataLoader(test, 250), epochs: 5);

        output.WriteLine(history.ToCsv());
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(5, history.Count);
        var last = history.Last!;
        // 3000 training images, 1000 test images, 10 balanced classes: chance is 10 %.
        Assert.True(last.ValAccuracy >= 0.75, $"validation accuracy {last.ValAccuracy} after 5 epochs");
        Assert.True(last.ValTopKAccuracy >= 0.95, $"validation top-3 accuracy {last.ValTopKAccuracy}");
        Assert.True(last.ValTopKAccuracy >= last.ValAccuracy);
        Assert.True(history[0].Loss > last.Loss, "the training loss falls");
        Assert.True(last.SamplesPerSecond > 0);

        // The evaluation helper agrees with the validation pass.
        var report = Evaluation.Classify(model, new DataLoader(test, 128));
        Assert.Equal(last.ValAccuracy!.Value, report.Accuracy, 12);
        Assert.Equal(1000L, report.ConfusionMatrix.Sum().Item<long>());
        Assert.Equal((int)Math.Round(1000 * (1 - report.Accuracy)), report.Misclassified.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void RegressionWithMseHasNoAccuracy()
    {
        // y = x·w + 0.5 on 64 points: the loss must fall close to zero, and accuracy columns stay empty.
        var g = new Generator(3);
        var x = Tensor.Randn([64, 4], DType.Float32, g);
        var y = x.MatMul(Tensor.From(new float[] { 1, -2, 0.5f, 3 }, 4, 1)) + 0.5;
        var model = new TestLinear(4, 1, new Generator(1));
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.1), TestLosses.Mse, new TrainerOptions { Generators = [] });
        var history = trainer.Fit(new DataLoader(new TensorDataset(x, y), 16, shuffle: true, seed: 2), epochs: 30);
        Assert.True(history.Last!.Loss < 1e-4, $"final MSE {history.Last.Loss}");
        Assert.All(history.Epochs, e => Assert.Null(e.Accuracy));
        Assert.All(history.Epochs, e => Assert.Null(e.ValLoss));
    }
}
