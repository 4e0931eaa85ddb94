using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>Wrong shapes, dtypes, indices and probabilities must fail with a message naming the layer and the shapes.</summary>
public class DenseBadInputTests
{
    static string Throws(Action action) => Assert.Throws<ArgumentException>(action).Message;

    [Fact]
    public void LinearWrongInFeaturesNamesTheLayerAndTheShape()
    {
        var layer = new Linear(4, 3);
        Assert.Equal("Linear: expected input with last dimension 4 (in_features), got shape [2, 5].", Throws(() => layer.Forward(Tensor.Zeros(2, 5))));
        Assert.Equal("Linear: expected input with last dimension 4 (in_features), got shape [].", Throws(() => layer.Forward(Tensor.Scalar(1))));
        Assert.Equal("Linear: expected input with last dimension 4 (in_features), got shape [3, 4, 1].", Throws(() => layer.Forward(Tensor.Zeros(3, 4, 1))));
    }

    [Fact]
    public void FunctionalLinearChecksWeightBiasAndDTypes()
    {
        Assert.Equal("linear: expected input with last dimension 4 (in_features), got shape [2, 5] for weight of shape [3, 4].",
            Throws(() => Functional.Linear(Tensor.Zeros(2, 5), Tensor.Zeros(3, 4))));
        Assert.Equal("linear: weight must be 2-D [out_features, in_features], got shape [3, 4, 1].",
            Throws(() => Functional.Linear(Tensor.Zeros(2, 4), Tensor.Zeros(3, 4, 1))));
        Assert.Equal("linear: bias of shape [4] does not match weight of shape [3, 4]; expected [3].",
            Throws(() => Functional.Linear(Tensor.Zeros(2, 4), Tensor.Zeros(3, 4), Tensor.Zeros(4))));
        Assert.Equal("linear: input (float64, shape [2, 4]), weight (float32, shape [3, 4]) must share one dtype.",
            Throws(() => Functional.Linear(Tensor.Zeros([2, 4], DType.Float64), Tensor.Zeros(3, 4))));
        Assert.Equal("linear: expected a floating-point input, got int64 of shape [2, 4]; convert it with Float().",
            Throws(() => Functional.Linear(Tensor.Zeros([2, 4], DType.Int64), Tensor.Zeros([3, 4], DType.Int64))));
    }

    [Fact]
    public void BilinearWrongFeaturesOrLeadingDims()
    {
        var layer = new Bilinear(3, 4, 2);
        Assert.Equal("Bilinear: expected inputs with last dimensions 3 and 4 (in1_features, in2_features), got shapes [5, 3] and [5, 3].",
            Throws(() => layer.Forward(Tensor.Zeros(5, 3), Tensor.Zeros(5, 3))));
        Assert.Equal("Bilinear: the inputs must agree in every dimension but the last, got shapes [5, 3] and [6, 4].",
            Throws(() => layer.Forward(Tensor.Zeros(5, 3), Tensor.Zeros(6, 4))));
        Assert.Equal("bilinear: weight must be 3-D [out_features, in1_features, in2_features], got shape [2, 3].",
            Throws(() => Functional.Bilinear(Tensor.Zeros(5, 3), Tensor.Zeros(5, 4), Tensor.Zeros(2, 3))));
    }

    [Fact]
    public void EmbeddingIndexOutOfRangeNamesTheLayerAndTheIndex()
    {
        var layer = new Embedding(10, 3);
        var message = Assert.Throws<IndexOutOfRangeException>(() => layer.Forward(Tensor.From(new long[] { 1, 10, 2 }, 3))).Message;
        Assert.Equal("Embedding: index 10 is out of range for 10 embeddings (weight of shape [10, 3], input of shape [3]).", message);
        message = Assert.Throws<IndexOutOfRangeException>(() => layer.Forward(Tensor.From(new long[] { -1 }, 1))).Message;
        Assert.StartsWith("Embedding: index -1 is out of range for 10 embeddings", message);
    }

    [Fact]
    public void EmbeddingRejectsNonInt64Input()
    {
        var layer = new Embedding(10, 3);
        Assert.Equal("Embedding: expected an int64 index tensor, got float32 of shape [2, 2]; convert it with Long().",
            Throws(() => layer.Forward(Tensor.Zeros(2, 2))));
        Assert.Equal("embedding: expected an int64 index tensor, got bool of shape [3]; convert it with Long().",
            Throws(() => Functional.Embedding(Tensor.Zeros([3], DType.Bool), Tensor.Zeros(10, 3))));
    }

    [Fact]
    public void EmbeddingPaddingIdxAndPretrainedShapeAreChecked()
    {
        Assert.Equal("Embedding: padding_idx 10 must be within num_embeddings 10.", Throws(() => new Embedding(10, 3, paddingIdx: 10)));
        Assert.Equal("Embedding: padding_idx -11 must be within num_embeddings 10.", Throws(() => new Embedding(10, 3, paddingIdx: -11)));
        Assert.Equal("Embedding.FromPretrained: embeddings must be 2-D [num_embeddings, embedding_dim], got shape [10].",
            Throws(() => Embedding.FromPretrained(Tensor.Zeros(10))));
    }

    [Theory]
    [InlineData(-0.1, "-0.1")]
    [InlineData(1.5, "1.5")]
    [InlineData(double.NaN, "NaN")]
    public void DropoutProbabilityOutsideZeroOne(double p, string text)
    {
        Assert.Equal($"Dropout: dropout probability has to be between 0 and 1, but got {text}.", Throws(() => new Dropout(p)));
        Assert.Equal($"dropout: dropout probability has to be between 0 and 1, but got {text}.", Throws(() => Functional.Dropout(Tensor.Zeros(3), p)));
    }

    [Fact]
    public void DropoutRejectsIntegerInput() =>
        Assert.Equal("Dropout: expected a floating-point input, got int64 of shape [3].", Throws(() => new Dropout(0.5).Forward(Tensor.Zeros([3], DType.Int64))));

    [Fact]
    public void FlattenAndUnflattenNameTheShape()
    {
        Assert.Equal("Flatten: start_dim=1 and end_dim=-1 do not describe a range of dims of the input of shape [4].", Throws(() => new Flatten().Forward(Tensor.Zeros(4))));
        Assert.Equal("Flatten: start_dim=2 and end_dim=1 do not describe a range of dims of the input of shape [2, 3, 4].", Throws(() => new Flatten(2, 1).Forward(Tensor.Zeros(2, 3, 4))));
        Assert.Equal("Unflatten: unflattened_size (3, 5) does not multiply to the size 12 of dim 1 of the input of shape [2, 12].", Throws(() => new Unflatten(1, 3, 5).Forward(Tensor.Zeros(2, 12))));
        Assert.Equal("Unflatten: unflattened_size (5, -1) does not multiply to the size 12 of dim 1 of the input of shape [2, 12].", Throws(() => new Unflatten(1, 5, -1).Forward(Tensor.Zeros(2, 12))));
        Assert.Equal("Unflatten: dim 2 is out of range for the input of shape [2, 12].", Throws(() => new Unflatten(2, 3, 4).Forward(Tensor.Zeros(2, 12))));
    }

    [Fact]
    public void WeightNormMisuse()
    {
        var layer = WeightNorm.Apply(new Linear(4, 3));
        Assert.Equal("weight_norm: parameter 'weight' of Linear already has weight norm; it cannot be applied twice.",
            Assert.Throws<InvalidOperationException>(() => WeightNorm.Apply(layer)).Message);
        Assert.Equal("weight_norm: Linear has no parameter named 'kernel'.", Throws(() => WeightNorm.Apply(new Linear(4, 3), "kernel")));
        Assert.Equal("weight_norm: Linear has no parameter named 'bias'.", Throws(() => WeightNorm.Apply(new Linear(4, 3, bias: false), "bias")));
        Assert.Equal("weight_norm: dim 2 is out of range for parameter 'weight' of Linear with shape [3, 4].", Throws(() => WeightNorm.Apply(new Linear(4, 3), dim: 2)));
        Assert.Equal("remove_weight_norm: weight_norm of 'weight' not found in Linear.", Throws(() => WeightNorm.Remove(new Linear(4, 3))));
    }
}
