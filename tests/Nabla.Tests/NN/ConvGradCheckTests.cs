using Nabla.Autograd;
using Nabla.NN;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.NN;

/// <summary>
/// Float64 finite-difference checks of every convolution and pooling layer, with respect to the input and
/// (for convolutions) the weight and bias, on small odd shapes. Max-pool inputs are a random permutation so no
/// two elements tie and no perturbation can flip a winner.
/// </summary>
public class ConvGradCheckTests
{
    const DType F64 = DType.Float64;

    static Tensor Randn(int seed, params int[] shape)
    {
        var rng = new System.Random(seed);
        int n = shape.Aggregate(1, (p, d) => p * d);
        var data = new double[n];
        for (int i = 0; i < n; i++) data[i] = rng.NextDouble() * 2 - 1;
        return Tensor.From(data, [n]).Reshape(shape);
    }

    /// <summary>Distinct values 0.1 apart (shuffled), so a ±1e-6 perturbation never changes which element is the max.</summary>
    static Tensor Distinct(int seed, params int[] shape)
    {
        var rng = new System.Random(seed);
        int n = shape.Aggregate(1, (p, d) => p * d);
        var data = Enumerable.Range(0, n).Select(i => i * 0.1 - n * 0.05).OrderBy(_ => rng.Next()).ToArray();
        return Tensor.From(data, [n]).Reshape(shape);
    }

    static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var result = GradCheck.Run(f, inputs);
        Assert.True(result.Passed, result.ToString());
    }

    /// <summary>
    /// Checks a layer with respect to its input, weight and bias: the gradcheck's own copies of the parameters are
    /// registered into the layer (re-registration replaces in place), so the layer's Forward reads them.
    /// </summary>
    static void CheckLayer(ConvBase layer, Tensor input)
    {
        var names = layer.NamedParameters().Select(p => p.Name).ToArray();
        var values = layer.Parameters().Select(p => p.Detach().Clone()).ToArray();
        Check(x =>
        {
            for (int i = 0; i < names.Length; i++) layer.RegisterParameter(names[i], x[i + 1]);
            return layer.Forward(x[0]);
        }, [input, .. values]);
    }

    [Fact] public void Conv2dStridedPaddedGroups() => CheckLayer(new Conv2d(4, 2, (3, 2), stride: 2, padding: (2, 1), groups: 2, dtype: F64), Randn(1, 2, 4, 5, 6));
    [Fact] public void Conv2dDilatedNoBias() => CheckLayer(new Conv2d(2, 3, 2, dilation: 2, bias: false, dtype: F64), Randn(2, 1, 2, 5, 5));
    [Fact] public void Conv2dSameEvenKernel() => CheckLayer(new Conv2d(2, 2, (2, 3), padding: "same", dtype: F64), Randn(3, 2, 2, 4, 3));
    /// <summary>
    /// LeNet's first layer in small (padding 2, 5×5, a row wider than the 8 doubles of a vector), which on an AVX-512
    /// machine runs the direct kernels for forward, input and weight gradient; the assertion says so, so this check
    /// covers them and not only the column path.
    /// </summary>
    [Fact]
    public void Conv2dPaddedThroughTheDirectKernels()
    {
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            Assert.True(Nabla.Backends.Cpu.Conv.DirectConv.Suits<double>(new Nabla.Backends.Cpu.Conv.ConvShape(
                2, 2, 3, 1, new Nabla.Backends.Cpu.Conv.ConvGeometry(6, 11, 5, 5, PadH: 2, PadW: 2))));
        CheckLayer(new Conv2d(2, 3, 5, padding: 2, dtype: F64), Randn(5, 2, 2, 6, 11));
    }

    [Fact] public void Conv2dPointwise() => CheckLayer(new Conv2d(3, 2, 1, dtype: F64), Randn(4, 2, 3, 3, 2));
    [Fact] public void Conv1dSameDilated() => CheckLayer(new Conv1d(2, 2, 3, padding: "same", dilation: 2, dtype: F64), Randn(5, 2, 2, 7));
    [Fact] public void ConvTranspose2dStrideOutputPaddingGroups() => CheckLayer(new ConvTranspose2d(2, 4, 3, stride: 2, padding: 1, outputPadding: 1, groups: 2, dtype: F64), Randn(6, 2, 2, 3, 2));
    [Fact] public void ConvTranspose2dOutputPaddingBelowDilation() => CheckLayer(new ConvTranspose2d(2, 1, 2, outputPadding: 1, dilation: 2, dtype: F64), Randn(7, 1, 2, 3, 3));
    [Fact] public void ConvTranspose1d() => CheckLayer(new ConvTranspose1d(2, 3, 3, stride: 2, dtype: F64), Randn(8, 2, 2, 4));

    [Fact] public void MaxPool2dOverlappingPaddedCeil() => Check(x => new MaxPool2d(3, 2, 1, ceilMode: true).Forward(x[0]), Distinct(9, 2, 2, 6, 7));
    [Fact] public void MaxPool2dDilated() => Check(x => new MaxPool2d((2, 3), 1, dilation: 2).Forward(x[0]), Distinct(10, 1, 2, 5, 6));
    [Fact] public void MaxPool1d() => Check(x => new MaxPool1d(3, 2, 1, ceilMode: true).Forward(x[0]), Distinct(11, 2, 2, 8));
    [Fact] public void AvgPool2dIncludePad() => Check(x => new AvgPool2d(3, 2, 1, ceilMode: true).Forward(x[0]), Randn(12, 2, 2, 6, 5));
    [Fact] public void AvgPool2dExcludePad() => Check(x => new AvgPool2d((3, 2), (2, 1), (1, 1), ceilMode: true, countIncludePad: false).Forward(x[0]), Randn(13, 1, 2, 6, 5));
    [Fact] public void AvgPool1d() => Check(x => new AvgPool1d(4, 3, 2, countIncludePad: false).Forward(x[0]), Randn(14, 2, 2, 9));
    [Fact] public void AdaptiveAvgPool2d() => Check(x => new AdaptiveAvgPool2d((3, 4)).Forward(x[0]), Randn(15, 2, 2, 7, 5));
    [Fact] public void AdaptiveMaxPool2d() => Check(x => new AdaptiveMaxPool2d((3, 2)).Forward(x[0]), Distinct(16, 2, 2, 7, 5));
    [Fact] public void AdaptivePool1d() => Check(x => new AdaptiveAvgPool1d(3).Forward(x[0]) * new AdaptiveMaxPool1d(4).Forward(x[0]).Sum(), Distinct(17, 1, 2, 7));
    [Fact] public void GlobalPools() => Check(x => new GlobalAvgPool2d().Forward(x[0]) + new GlobalMaxPool2d().Forward(x[0]), Distinct(18, 2, 3, 3, 4));
}
