using Nabla.Tests.Support;
using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// Float64 finite-difference checks of the dense layers, through Functional and through the modules (whose
/// parameters are replaced by the check's inputs, so the gradients of the parameters are checked too).
/// </summary>
public class DenseGradCheckTests
{
    static Tensor Randn(int seed, params int[] shape) => GradCheckInputs.Uniform(seed, shape);

    static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs) => GradCheckInputs.AssertPasses(f, inputs);

    [Fact] public void Linear1d() => Check(x => Functional.Linear(x[0], x[1], x[2]), Randn(1, 4), Randn(2, 3, 4), Randn(3, 3));
    [Fact] public void Linear2d() => Check(x => Functional.Linear(x[0], x[1], x[2]), Randn(4, 5, 4), Randn(5, 3, 4), Randn(6, 3));
    [Fact] public void Linear3dNoBias() => Check(x => Functional.Linear(x[0], x[1]), Randn(7, 2, 3, 4), Randn(8, 3, 4));
    [Fact] public void LinearTransposedOperands() => Check(x => Functional.Linear(x[0].T(), x[1].T(), x[2]), Randn(9, 4, 5), Randn(10, 4, 3), Randn(11, 3));

    [Fact]
    public void LinearModule()
    {
        var m = new Linear(4, 3, dtype: DType.Float64);
        Check(x =>
        {
            m.RegisterParameter("weight", x[1]);
            m.RegisterParameter("bias", x[2]);
            return m.Forward(x[0]);
        }, Randn(12, 2, 4), Randn(13, 3, 4), Randn(14, 3));
    }

    [Fact] public void Bilinear() => Check(x => Functional.Bilinear(x[0], x[1], x[2], x[3]), Randn(15, 3, 2), Randn(16, 3, 4), Randn(17, 2, 2, 4), Randn(18, 2));
    [Fact] public void Bilinear3dNoBias() => Check(x => Functional.Bilinear(x[0], x[1], x[2]), Randn(19, 2, 2, 3), Randn(20, 2, 2, 2), Randn(21, 2, 3, 2));

    [Fact]
    public void BilinearModule()
    {
        var m = new Bilinear(2, 3, 2, dtype: DType.Float64);
        Check(x =>
        {
            m.RegisterParameter("weight", x[2]);
            m.RegisterParameter("bias", x[3]);
            return m.Forward(x[0], x[1]);
        }, Randn(22, 3, 2), Randn(23, 3, 3), Randn(24, 2, 2, 3), Randn(25, 2));
    }

    /// <summary>
    /// The table with a constant row spliced in at <paramref name="at"/>: padding_idx declares that row untrained, so
    /// finite differences are taken over the other rows only (perturbing the pad row does change the output, which is
    /// exactly the gradient padding_idx discards; its zero gradient is asserted by the golden and behaviour tests).
    /// </summary>
    static Tensor WithConstantRow(Tensor rows, int at, int seed)
    {
        var pad = Randn(seed, 1, rows.Size(1));
        return Tensor.Cat([rows.Narrow(0, 0, at), pad, rows.Narrow(0, at, rows.Size(0) - at)]);
    }

    [Fact]
    public void EmbeddingWithRepeats() =>
        Check(x => Functional.Embedding(Tensor.From(new long[] { 1, 0, 3, 1, 1, 0 }, 2, 3), x[0]), Randn(26, 5, 3));

    [Fact]
    public void EmbeddingWithPadding() =>
        Check(x => Functional.Embedding(Tensor.From(new long[] { 1, 0, 3, 1, 1, 4 }, 2, 3), WithConstantRow(x[0], 1, 40), paddingIdx: 1), Randn(27, 4, 3));

    [Fact]
    public void EmbeddingModule()
    {
        // padding_idx through the module is covered by the golden module twins; here every row trains.
        var m = new Embedding(5, 3, dtype: DType.Float64);
        var index = Tensor.From(new long[] { 4, 0, 2, 4, 0 }, 5);
        Check(x =>
        {
            m.RegisterParameter("weight", x[0]);
            return m.Forward(index);
        }, Randn(28, 5, 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(null)]
    public void WeightNormOnLinear(int? dim)
    {
        var m = WeightNorm.Apply(new Linear(4, 3, dtype: DType.Float64), dim: dim);
        var g = m.GetParameter("weight_g");
        Check(x =>
        {
            m.RegisterParameter("weight_g", x[1]);
            m.RegisterParameter("weight_v", x[2]);
            m.RegisterParameter("bias", x[3]);
            return m.Forward(x[0]);
        }, Randn(29, 2, 4), g.Detach() * 1.3, Randn(30, 3, 4), Randn(31, 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-2)]
    public void WeightNormOnAThreeDimensionalWeight(int dim)
    {
        var m = WeightNorm.Apply(new Bilinear(2, 3, 2, dtype: DType.Float64), dim: dim);
        var g = m.GetParameter("weight_g").Detach() * 0.7;
        Check(x =>
        {
            m.RegisterParameter("weight_g", x[2]);
            m.RegisterParameter("weight_v", x[3]);
            return m.Forward(x[0], x[1]);
        }, Randn(32, 3, 2), Randn(33, 3, 3), g, Randn(34, 2, 2, 3));
    }

    [Fact]
    public void DropoutWithAFixedMask()
    {
        // A fresh generator with the same seed on every evaluation fixes the mask across the finite differences.
        Check(x => Functional.Dropout(x[0], 0.3, training: true, generator: new Generator(7)), Randn(35, 4, 6));
    }
}
