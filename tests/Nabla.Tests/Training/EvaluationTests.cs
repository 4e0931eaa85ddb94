using Nabla.Data;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>Accuracy and top-k counting, confusion matrices and misclassified examples.</summary>
public class EvaluationTests
{
    [Fact]
    public void TopKCountingMatchesBruteForceIncludingTies()
    {
        // Scores from a small set of values so that ties are frequent; brute force: sort classes by
        // (score descending, index ascending) — argmax's first-maximum rule — and look for the target in the first k.
        var g = new Generator(3);
        int n = 200, c = 6;
        var scores = new float[n * c];
        for (int i = 0; i < scores.Length; i++) scores[i] = g.NextInt64(0, 4);
        var targets = Enumerable.Range(0, n).Select(_ => g.NextInt64(0, c)).ToArray();
        for (int k = 1; k <= c; k++)
        {
            var counter = new ClassificationCounter();
            counter.Add(Tensor.From(scores, n, c), Tensor.From(targets, n), k, "test");
            long expected = 0, expectedTop1 = 0;
            for (int i = 0; i < n; i++)
            {
                var order = Enumerable.Range(0, c).OrderByDescending(j => scores[i * c + j]).ThenBy(j => j).ToArray();
                if (order.Take(k).Contains((int)targets[i])) expected++;
                if (order[0] == targets[i]) expectedTop1++;
            }
            Assert.Equal(expected, counter.CorrectTopK);
            Assert.Equal(expectedTop1, counter.Correct);
            Assert.Equal(n, counter.Count);
        }
        // Top-1 agrees with ArgMax.
        var argmax = Tensor.From(scores, n, c).ArgMax(1).ToArray<long>();
        Assert.Equal(argmax, ClassificationCounter.Predict(Tensor.From(scores, n, c)));
    }

    [Fact]
    public void DenseLayoutAndIgnoredTargets()
    {
        // Logits [N=1, C=3, L=4] with classes along dim 1, as cross-entropy takes them; a −100 target is not counted.
        var logits = Tensor.From(new double[] { 0, 5, 0, 1, /**/ 1, 0, 0, 0, /**/ 0, 0, 9, 0 }, 1, 3, 4);
        var targets = Tensor.From(new long[] { 1, 0, 2, -100 }, 1, 4);
        var counter = new ClassificationCounter();
        counter.Add(logits, targets, 2, "test");
        // Position 0: argmax 1 (target 1) ✓; 1: argmax 0 ✓; 2: argmax 2 ✓; 3 ignored.
        Assert.Equal((3L, 3L, 3L), (counter.Count, counter.Correct, counter.CorrectTopK));
        var e = Assert.Throws<ArgumentException>(() => counter.Add(logits, Tensor.From(new long[] { 1, 0, 2 }, 1, 3), 0, "trainer"));
        Assert.Contains("trainer: logits of shape [1, 3, 4] (classes along dim 1) need class-index targets of shape [1, 4], got [1, 3]", e.Message);
    }

    [Fact]
    public void NaNScoresAreWrong()
    {
        var counter = new ClassificationCounter();
        counter.Add(Tensor.From(new float[] { float.NaN, 0, 1, 0 }, 2, 2), Tensor.From(new long[] { 0, 0 }, 2), 2, "test");
        Assert.Equal((2L, 1L, 1L), (counter.Count, counter.Correct, counter.CorrectTopK));
    }

    [Fact]
    public void ConfusionMatrixRowsAreTrueClassesColumnsPredicted()
    {
        var predicted = Tensor.From(new long[] { 0, 1, 1, 2, 2, 2 }, 6);
        var actual = Tensor.From(new long[] { 0, 1, 2, 2, 2, 0 }, 6);
        var m = Evaluation.ConfusionMatrix(predicted, actual, 3);
        Assert.Equal(DType.Int64, m.DType);
        Assert.Equal(new[] { 3, 3 }, m.Shape);
        Assert.Equal(new long[] { 1, 0, 1, /**/ 0, 1, 0, /**/ 0, 1, 2 }, m.ToArray<long>());
        Assert.Contains("target 3 at position 0 is not a class index in [0, 3)",
            Assert.Throws<ArgumentException>(() => Evaluation.ConfusionMatrix(predicted.Narrow(0, 0, 1), Tensor.From(new long[] { 3 }, 1), 3)).Message);
        Assert.Contains("int64 predictions and targets of the same shape [N], got int64 [6] and int64 [5]",
            Assert.Throws<ArgumentException>(() => Evaluation.ConfusionMatrix(predicted, actual.Narrow(0, 0, 5), 3)).Message);
    }

    [Fact]
    public void ClassifyListsMisclassifiedDatasetIndicesThroughAShuffledLoader()
    {
        // A fixed "model": the input row is its logits. Items 1 and 4 are wrong.
        var logits = Tensor.From(new float[,] { { 5, 0, 0 }, { 0, 0, 5 }, { 0, 5, 0 }, { 0, 0, 5 }, { 5, 0, 0 } });
        var labels = Tensor.From(new long[] { 0, 1, 1, 2, 2 }, 5);
        var loader = new DataLoader(new TensorDataset(logits, labels), 2, shuffle: true, seed: 11);
        var model = new IdentityModel();
        model.Train();
        var report = Evaluation.Classify(model, loader);
        Assert.True(model.IsTraining);
        Assert.Equal(0.6, report.Accuracy, 12);
        Assert.Equal(5, report.Samples);
        Assert.Equal(new[] { (1, 2L, 1L), (4, 0L, 2L) },
            report.Misclassified.OrderBy(m => m.Index).Select(m => (m.Index, m.Predicted, m.Actual)));
        Assert.Equal(new long[] { 1, 0, 0, /**/ 0, 1, 1, /**/ 1, 0, 1 }, report.ConfusionMatrix.ToArray<long>());
        Assert.Equal([1.0, 0.5, 0.5], report.PerClassAccuracy());
        // The tensor form numbers examples by position.
        var direct = Evaluation.Classify(logits, labels);
        Assert.Equal(new[] { 1, 4 }, direct.Misclassified.Select(m => m.Index));
        Assert.Equal(report.ConfusionMatrix.ToArray<long>(), direct.ConfusionMatrix.ToArray<long>());
    }

    [Fact]
    public void ClassifyRefusesWhatIsNotClassification()
    {
        Assert.Contains("expects floating logits of shape [N, C], got float32 [4]",
            Assert.Throws<ArgumentException>(() => Evaluation.Classify(Tensor.Zeros(4), Tensor.From(new long[4], 4))).Message);
        Assert.Contains("expects int64 class-index targets, got float32 [4]",
            Assert.Throws<ArgumentException>(() => Evaluation.Classify(Tensor.Zeros(4, 2), Tensor.Zeros(4))).Message);
        Assert.Contains("have 2 classes, expected 3",
            Assert.Throws<ArgumentException>(() => Evaluation.Classify(Tensor.Zeros(4, 2), Tensor.From(new long[4], 4), numClasses: 3)).Message);
        var empty = new DataLoader(new TensorDataset(Tensor.Zeros(0, 2), Tensor.From(new long[0], 0)), 2);
        Assert.Contains("the loader has no batches", Assert.Throws<ArgumentException>(() => Evaluation.Classify(new IdentityModel(), empty)).Message);
    }

    sealed class IdentityModel : Nabla.NN.Module
    {
        public override Tensor Forward(Tensor input) => input;
    }
}
