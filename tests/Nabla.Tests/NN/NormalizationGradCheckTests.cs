using Nabla.Autograd;
using Nabla.NN;
using static Nabla.Tests.NN.ActivationGradCheckTests;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.NN;

/// <summary>
/// Float64 finite-difference checks for the normalisation layers, with respect to the input, the weight and the
/// bias together (the module's parameters are replaced by the checked leaves), in train and eval mode.
/// </summary>
public class NormalizationGradCheckTests
{
    static Func<Tensor[], Tensor> WithParams(Module m, Func<Tensor, Tensor>? input = null) => x =>
    {
        m.RegisterParameter("weight", x[1]);
        m.RegisterParameter("bias", x[2]);
        return m.Forward(input is null ? x[0] : input(x[0]));
    };

    static Tensor[] Inputs(int seed, int channels, params int[] shape) =>
        [Rand(seed, -2, 2, shape), Rand(seed + 1, 0.5, 1.5, channels), Rand(seed + 2, -0.5, 0.5, channels)];

    [Fact] public void BatchNorm1dTrain2d() => GradCheck.Assert(WithParams(new BatchNorm1d(3, dtype: DType.Float64)), Inputs(1, 3, 5, 3));
    [Fact] public void BatchNorm1dTrain3d() => GradCheck.Assert(WithParams(new BatchNorm1d(3, dtype: DType.Float64)), Inputs(2, 3, 2, 3, 4));
    [Fact] public void BatchNorm1dBatchOne() => GradCheck.Assert(WithParams(new BatchNorm1d(2, dtype: DType.Float64)), Inputs(3, 2, 1, 2, 5));
    [Fact] public void BatchNorm2dTrain() => GradCheck.Assert(WithParams(new BatchNorm2d(2, dtype: DType.Float64)), Inputs(4, 2, 2, 2, 3, 3));

    [Fact]
    public void BatchNorm2dTrainOfAView() =>
        GradCheck.Assert(WithParams(new BatchNorm2d(3, dtype: DType.Float64), x => x.Permute(0, 3, 1, 2)), Inputs(5, 3, 2, 3, 2, 3));

    [Fact]
    public void BatchNorm2dEval()
    {
        var m = new BatchNorm2d(2, dtype: DType.Float64);
        using (new NoGrad())
        {
            m.RunningMean!.CopyFrom(Tensor.From([0.3, -0.2]));
            m.RunningVar!.CopyFrom(Tensor.From([1.5, 0.7]));
        }
        m.Eval();
        GradCheck.Assert(WithParams(m), Inputs(6, 2, 2, 2, 2, 3));
    }

    [Fact]
    public void BatchNormWithoutAffine() =>
        GradCheck.Assert(x => new BatchNorm1d(4, affine: false, dtype: DType.Float64).Forward(x[0]), Rand(7, -2, 2, 6, 4));

    [Fact]
    public void LayerNormLastDim() => GradCheck.Assert(WithParams(new LayerNorm(4, dtype: DType.Float64)), Inputs(8, 4, 2, 3, 4));

    [Fact]
    public void LayerNormLastTwoDims() =>
        GradCheck.Assert(x => F.LayerNorm(x[0], [3, 4], x[1], x[2]), Rand(9, -2, 2, 2, 3, 4), Rand(10, 0.5, 1.5, 3, 4), Rand(11, -0.5, 0.5, 3, 4));

    [Fact]
    public void LayerNormOfAView() => GradCheck.Assert(WithParams(new LayerNorm(3, dtype: DType.Float64), x => x.T()), Inputs(12, 3, 3, 5));

    [Fact] public void GroupNorm() => GradCheck.Assert(WithParams(new GroupNorm(2, 4, dtype: DType.Float64)), Inputs(13, 4, 2, 4, 3));
    [Fact] public void GroupNorm4d() => GradCheck.Assert(WithParams(new GroupNorm(3, 6, dtype: DType.Float64)), Inputs(14, 6, 2, 6, 2, 2));
}
