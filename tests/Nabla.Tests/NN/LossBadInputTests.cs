using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>Wrong shapes, dtypes, labels and options answer with a message naming the loss and the shapes.</summary>
public class LossBadInputTests
{
    static readonly Tensor Logits = Tensor.Zeros(4, 5);

    static void Message(Exception e, params string[] parts)
    {
        foreach (var p in parts) Assert.Contains(p, e.Message);
    }

    static Tensor Labels(params long[] values) => Tensor.From(values, values.Length);

    [Fact]
    public void ElementwiseShapeMismatchNamesBothShapes()
    {
        Message(Assert.Throws<ArgumentException>(() => Functional.MseLoss(Tensor.Zeros(3, 4), Tensor.Zeros(4, 3))), "mse_loss", "[4, 3]", "[3, 4]");
        Message(Assert.Throws<ArgumentException>(() => Functional.L1Loss(Tensor.Zeros(4, 1), Tensor.Zeros(4))), "l1_loss", "[4]", "[4, 1]");
        Message(Assert.Throws<ArgumentException>(() => Functional.SmoothL1Loss(Tensor.Zeros(2), Tensor.Zeros(3))), "smooth_l1_loss", "[3]", "[2]");
        Message(Assert.Throws<ArgumentException>(() => Functional.HuberLoss(Tensor.Zeros(2), Tensor.Zeros(3))), "huber_loss", "[3]", "[2]");
        Message(Assert.Throws<ArgumentException>(() => Functional.KlDiv(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2))), "kl_div", "[3, 2]", "[2, 3]");
        Message(Assert.Throws<ArgumentException>(() => Functional.HingeEmbeddingLoss(Tensor.Zeros(2, 3), Tensor.Zeros(6))), "hinge_embedding_loss", "[6]", "[2, 3]");
        Message(Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropyWithLogits(Tensor.Zeros(2, 3), Tensor.Zeros(2, 1))), "binary_cross_entropy_with_logits", "[2, 1]", "[2, 3]");
    }

    [Fact]
    public void DtypeProblems()
    {
        Message(Assert.Throws<ArgumentException>(() => Functional.MseLoss(Tensor.Zeros(3), Tensor.Zeros([3], DType.Float64))), "mse_loss", "float64", "float32");
        Message(Assert.Throws<ArgumentException>(() => Functional.L1Loss(Tensor.Zeros([3], DType.Int64), Tensor.Zeros([3], DType.Int64))), "l1_loss", "floating", "int64", "[3]");
        Message(Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Logits, Tensor.Zeros(4))), "cross_entropy", "int64", "float32", "[4, 5]");
        Message(Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Logits, Labels(0, 1, 2, 3), weight: Tensor.Ones([5], DType.Float64))), "cross_entropy", "weight", "float64");
        Message(Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropyWithLogits(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), mask: Tensor.Ones(2, 3))), "binary_cross_entropy_with_logits", "mask", "bool");
        Message(Assert.Throws<ArgumentException>(() => Functional.HingeEmbeddingLoss(Tensor.Zeros(2), Tensor.Zeros([2], DType.Bool))), "hinge_embedding_loss", "bool");
    }

    [Fact]
    public void LabelOutOfRangeNamesLossLabelAndClassCount()
    {
        Message(Assert.Throws<IndexOutOfRangeException>(() => Functional.CrossEntropy(Logits, Labels(0, 7, 1, 2))), "cross_entropy", "label 7", "5 classes", "[4, 5]");
        Message(Assert.Throws<IndexOutOfRangeException>(() => Functional.CrossEntropy(Logits, Labels(0, -1, 1, 2))), "cross_entropy", "label -1", "5 classes", "ignore_index (-100)");
        Message(Assert.Throws<IndexOutOfRangeException>(() => Functional.NllLoss(Logits, Labels(5, 0, 1, 2))), "nll_loss", "label 5", "5 classes");
        Message(Assert.Throws<IndexOutOfRangeException>(() => Functional.MultiMarginLoss(Logits, Labels(0, 1, 2, -100))), "multi_margin_loss", "label -100", "5 classes");
        // A spatial target is checked element by element too.
        var spatial = Tensor.From(new long[] { 0, 1, 2, 9 }, 1, 2, 2);
        Message(Assert.Throws<IndexOutOfRangeException>(() => Functional.CrossEntropy(Tensor.Zeros(1, 5, 2, 2), spatial)), "cross_entropy", "label 9", "[1, 5, 2, 2]", "[1, 2, 2]");
    }

    [Fact]
    public void ClassTargetShapeMismatch()
    {
        Message(Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Logits, Tensor.Zeros([4, 1], DType.Int64))), "cross_entropy", "[4, 1]", "[4, 5]", "expected target shape [4]");
        Message(Assert.Throws<ArgumentException>(() => Functional.NllLoss(Tensor.Zeros(2, 5, 3), Tensor.Zeros([2, 5], DType.Int64))), "nll_loss", "[2, 5]", "[2, 5, 3]", "[2, 3]");
        Message(Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Scalar(1), Tensor.Zeros([], DType.Int64))), "cross_entropy", "0-d");
        Message(Assert.Throws<ArgumentException>(() => Functional.MultiMarginLoss(Tensor.Zeros(2, 3, 4), Tensor.Zeros([2, 4], DType.Int64))), "multi_margin_loss", "[2, 3, 4]");
        Message(Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Logits, Labels(0, 1, 2, 3), weight: Tensor.Ones(4))), "cross_entropy", "weight of shape [4]", "[4, 5]", "[5]");
    }

    [Fact]
    public void OptionProblems()
    {
        Message(Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Logits, Labels(0, 1, 2, 3), labelSmoothing: 1.5)), "cross_entropy", "label_smoothing", "1.5");
        Message(Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Logits, Tensor.Zeros(4, 5), ignoreIndex: 1)), "cross_entropy", "ignore_index", "probability");
        Message(Assert.Throws<ArgumentException>(() => Functional.MultiMarginLoss(Logits, Labels(0, 1, 2, 3), p: 3)), "multi_margin_loss", "got 3");
        Message(Assert.Throws<ArgumentException>(() => Functional.SmoothL1Loss(Tensor.Zeros(2), Tensor.Zeros(2), beta: -1)), "smooth_l1_loss", "beta");
        Message(Assert.Throws<ArgumentException>(() => Functional.HuberLoss(Tensor.Zeros(2), Tensor.Zeros(2), delta: 0)), "huber_loss", "delta");
        Message(Assert.Throws<ArgumentException>(() => Functional.MseLoss(Tensor.Zeros(2), Tensor.Zeros(2), Reduction.BatchMean)), "mse_loss", "batchmean");
        Message(Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Logits, Labels(0, 1, 2, 3), reduction: Reduction.BatchMean)), "cross_entropy", "batchmean");
        Message(Assert.Throws<ArgumentException>(() => new MSELoss(Reduction.BatchMean)), "MSELoss", "BatchMean");
        Message(Assert.Throws<ArgumentException>(() => new HuberLoss(delta: -1)), "HuberLoss", "delta");
        Message(Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(Tensor.Zeros([5], DType.Int64))), "CrossEntropyLoss", "weight", "int64");
    }

    [Fact]
    public void BinaryProblems()
    {
        var bad = Tensor.From(new[] { 0.2f, 1.5f, 0.3f }, 3);
        Message(Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropy(bad, Tensor.Zeros(3))), "binary_cross_entropy", "between 0 and 1", "[3]");
        Message(Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropy(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), Tensor.Ones(2))), "binary_cross_entropy", "weight of shape [2]", "[2, 3]");
        Message(Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropyWithLogits(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), posWeight: Tensor.Ones(4))), "binary_cross_entropy_with_logits", "pos_weight of shape [4]", "[2, 3]");
        Message(Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropyWithLogits(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), mask: Tensor.Ones([3, 2], DType.Bool))), "binary_cross_entropy_with_logits", "mask of shape [3, 2]", "[2, 3]");
    }

    [Fact]
    public void LossModulesNeedATarget() =>
        Message(Assert.Throws<NotSupportedException>(() => new CrossEntropyLoss().Forward(Logits)), "CrossEntropyLoss", "Forward(input, target)");
}
