using Nabla.Data.Transforms;
using Nabla.Tests.Support;

namespace Nabla.Tests.Data;

public class TransformTests
{
    // Column 0: 1, 2, 3, 6 (mean 3, population std sqrt(3.5)); column 1: constant 5; column 2: -1, 1, -1, 1.
    static Tensor Table(DType dtype = DType.Float32) =>
        Tensor.From(new double[] { 1, 5, -1, 2, 5, 1, 3, 5, -1, 6, 5, 1 }, 4, 3).To(dtype);

    [Fact]
    public void StandardizeUsesPerColumnMeanAndPopulationStd()
    {
        var s = new Standardize().Fit(Table());
        Assert.Equal([3.0, 5.0, 0.0], s.Mean!);
        Assert.Equal(Math.Sqrt(3.5), s.Std![0], 12);
        Assert.Equal(1.0, s.Std[1]);   // a constant column keeps std 1 and maps to 0
        Assert.Equal(1.0, s.Std[2]);
        var z = s.Transform(Table());
        double r = Math.Sqrt(3.5);
        TensorAssert.Close(Tensor.From(new float[] { (float)(-2 / r), 0, -1, (float)(-1 / r), 0, 1, 0, 0, -1, (float)(3 / r), 0, 1 }, 4, 3), z);
        TensorAssert.Close(Table(), s.Inverse(z));
        TensorAssert.Close(Table(DType.Float64), s.Inverse(s.Transform(Table(DType.Float64))), 1e-12, 1e-12);
    }

    [Fact]
    public void StandardizeAppliesToAnyLeadingShapeAndPassesGradients()
    {
        var s = new Standardize().Fit(Table(DType.Float64));
        var x = Tensor.Zeros([2, 2, 3], DType.Float64).RequiresGrad_();
        s.Transform(x).Sum().Backward();
        TensorAssert.Close(Tensor.From(Enumerable.Repeat(new[] { 1 / Math.Sqrt(3.5), 1, 1 }, 4).SelectMany(v => v).ToArray(), 2, 2, 3), x.Grad!);
    }

    [Fact]
    public void MinMaxScalerMapsToTheRangeAndInvertsExactly()
    {
        var m = new MinMaxScaler().Fit(Table());
        Assert.Equal([1.0, 5.0, -1.0], m.DataMin!);
        Assert.Equal([6.0, 5.0, 1.0], m.DataMax!);
        var y = m.Transform(Table());
        TensorAssert.Close(Tensor.From(new float[] { 0, 0, 0, 0.2f, 0, 1, 0.4f, 0, 0, 1, 0, 1 }, 4, 3), y);
        TensorAssert.Close(Table(), m.Inverse(y));

        var wide = new MinMaxScaler(-1, 1);
        var w = wide.FitTransform(Table(DType.Float64));
        TensorAssert.Close(Tensor.From(new double[] { -1, -1, -1, -0.6, -1, 1, -0.2, -1, -1, 1, -1, 1 }, 4, 3), w);
        TensorAssert.Close(Table(DType.Float64), wide.Inverse(w), 1e-12, 1e-12);
    }

    [Fact]
    public void OneHotReplacesCategoricalColumnsInPlace()
    {
        var table = Tensor.From(new float[] { 1, 0.5f, 2, 3, 1.5f, 2, 1, 2.5f, 7 }, 3, 3);
        var enc = new OneHotEncoder(0, -1).Fit(table);
        Assert.Equal([1.0, 3.0], enc.Categories![0]);
        Assert.Equal([2.0, 7.0], enc.Categories[1]);
        Assert.Equal(5, enc.OutputColumns);
        var y = enc.Transform(table);
        TensorAssert.Equal(Tensor.From(new float[]
        {
            1, 0, 0.5f, 1, 0,
            0, 1, 1.5f, 1, 0,
            1, 0, 2.5f, 0, 1,
        }, 3, 5), y);
        Assert.Equal(DType.Float64, enc.Transform(table.Double()).DType);

        var unseen = Tensor.From(new float[] { 4, 0, 2 }, 1, 3);
        var ex = Assert.Throws<ArgumentException>(() => enc.Transform(unseen));
        Assert.Equal("one_hot_encoder: row 0, column 0 holds 4, a category not seen by Fit (known: 1, 3).", ex.Message);
    }

    [Fact]
    public void TransformsRefuseBadInput()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new Standardize().Transform(Table()));
        Assert.Equal("standardize: call Fit before Transform or Inverse.", ex.Message);
        var s = new Standardize().Fit(Table());
        var arg = Assert.Throws<ArgumentException>(() => s.Transform(Tensor.Zeros(4, 2)));
        Assert.Equal("standardize: was fitted on 3 columns, but the input has shape [4, 2] (the last dim must be 3).", arg.Message);
        arg = Assert.Throws<ArgumentException>(() => new Standardize().Fit(Tensor.Zeros(2, 3, 1)));
        Assert.Equal("standardize: fit expects a 2-D table [rows, columns], got shape [2, 3, 1].", arg.Message);
        arg = Assert.Throws<ArgumentException>(() => new MinMaxScaler().Fit(Tensor.From(new float[] { 1, float.NaN }, 1, 2)));
        Assert.Equal("min_max_scaler: the table holds NaN at row 0, column 1; fit needs finite values.", arg.Message);
        arg = Assert.Throws<ArgumentException>(() => new MinMaxScaler().Fit(Tensor.Zeros([0, 2], DType.Float32)));
        Assert.Contains("no rows", arg.Message);
        arg = Assert.Throws<ArgumentException>(() => new MinMaxScaler().Fit(Tensor.Zeros([2, 2], DType.Int64)));
        Assert.Contains("min_max_scaler: expects a float32 or float64 table, got int64", arg.Message);
        Assert.Throws<ArgumentException>(() => new MinMaxScaler(1, 1));
        Assert.Throws<IndexOutOfRangeException>(() => new OneHotEncoder(3).Fit(Table()));
        Assert.Throws<ArgumentException>(() => new OneHotEncoder(0, -3).Fit(Table()));
        Assert.Throws<InvalidOperationException>(() => new OneHotEncoder(0).Transform(Table()));
    }
}
