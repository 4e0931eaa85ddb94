using Nabla.Autograd;
using Nabla.Tests.Support;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.NN;

/// <summary>
/// The fused training-mode batch norm (BatchNormOp) against its composed twin, NormalizeOp's x̂ followed by the
/// broadcast affine map, in the cases NormActTwinTests does not cover: no weight and/or no bias, a mean far
/// from zero (the kernel works on deviations so no digits cancel), non-contiguous inputs, and the batch
/// statistics handed to the running averages.
/// </summary>
public class BatchNormFusedTests
{
    static Tensor Composed(Tensor x, Tensor? w, Tensor? b)
    {
        int n = x.Size(0), c = x.Size(1), spatial = x.NumElements / Math.Max(1, n * c);
        var (xhat, _, _) = Nabla.Ops.NormalizeOp.Forward(x, n, c, spatial, 1e-5);
        var shape = Enumerable.Repeat(1, x.Rank).ToArray();
        shape[1] = c;
        var y = xhat;
        if (w is not null) y = y * w.Reshape(shape);
        if (b is not null) y = y + b.Reshape(shape);
        return y;
    }

    /// <summary>Output and gradients of x, w, b (where given) for one fixed upstream gradient.</summary>
    static Tensor?[] Run(Func<Tensor, Tensor?, Tensor?, Tensor> f, Tensor x, Tensor? w, Tensor? b, Tensor upstream)
    {
        var lx = x.Detach().Clone().RequiresGrad_();
        var lw = w?.Detach().Clone().RequiresGrad_();
        var lb = b?.Detach().Clone().RequiresGrad_();
        var y = f(lx, lw, lb);
        y.Backward(upstream);
        return [y.Detach(), lx.Grad, lw?.Grad, lb?.Grad];
    }

    static void Twin(Tensor x, Tensor? w, Tensor? b, Func<Tensor, Tensor>? view, Generator g, string what)
    {
        Func<Tensor, Tensor> v = view ?? (t => t);
        var upstream = Tensor.Randn(v(x).Shape, x.DType, g);
        var fused = Run((t, tw, tb) => F.BatchNorm(v(t), null, null, tw, tb, training: true), x, w, b, upstream);
        var composed = Run((t, tw, tb) => Composed(v(t).Contiguous(), tw, tb), x, w, b, upstream);
        string[] names = ["output", "input gradient", "weight gradient", "bias gradient"];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(composed[i] is null, fused[i] is null);
            if (composed[i] is not null) TensorAssert.Close(composed[i]!, fused[i]!, 1e-5, 1e-6, $"{what}: {names[i]}");
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void MatchesComposedTwinWithAndWithoutAffine(DType dtype)
    {
        var g = new Generator(11);
        foreach (var shape in new[] { new[] { 5, 3 }, new[] { 4, 2, 17 }, new[] { 2, 3, 5, 7 }, new[] { 3, 4, 8, 8 } })
        {
            int c = shape[1];
            var x = Tensor.Randn(shape, dtype, g) * 2.0 - 0.5;
            var w = Tensor.Randn([c], dtype, g) * 0.5 + 1.0;
            var b = Tensor.Randn([c], dtype, g);
            string s = string.Join("x", shape);
            Twin(x, w, b, null, g, $"{s} affine");
            Twin(x, null, b, null, g, $"{s} bias only");
            Twin(x, w, null, null, g, $"{s} weight only");
            Twin(x, null, null, null, g, $"{s} no affine");
        }
    }

    [Fact]
    public void LargeMeanKeepsItsDigits()
    {
        // x ≈ 1000 ± 1 in float32: a form that expanded (x − m)·s into x·s − m·s would cancel three digits away.
        // Against a float64 reference, the fused output and input gradient must be no worse than the composed
        // float32 twin's (whose own error comes from the float32 mean, ~1e-4 here).
        var g = new Generator(12);
        var x64 = Tensor.Randn([8, 3, 6, 6], DType.Float64, g) + 1000.0;
        var x = x64.To(DType.Float32);
        x64 = x.To(DType.Float64);
        var w = Tensor.From([1.5f, 0.5f, 2f]);
        var b = Tensor.From([0.25f, 0f, -1f]);
        var upstream = Tensor.Randn(x.Shape, DType.Float32, g);
        var fused = Run((t, tw, tb) => F.BatchNorm(t, null, null, tw, tb, training: true), x, w, b, upstream);
        var composed = Run((t, tw, tb) => Composed(t, tw, tb), x, w, b, upstream);
        var reference = Run((t, tw, tb) => Composed(t, tw, tb), x64, w.To(DType.Float64), b.To(DType.Float64), upstream.To(DType.Float64));
        for (int i = 0; i < 2; i++)
        {
            double fusedError = (fused[i]!.To(DType.Float64) - reference[i]!).Abs().Max().Item();
            double composedError = (composed[i]!.To(DType.Float64) - reference[i]!).Abs().Max().Item();
            Assert.True(fusedError <= composedError * 1.5 + 1e-6, $"output {i}: fused error {fusedError} vs composed {composedError}");
            Assert.True(fusedError < 1e-3, $"output {i}: fused error {fusedError}");
        }
    }

    [Fact]
    public void NonContiguousInput()
    {
        var g = new Generator(13);
        var x = Tensor.Randn([5, 6, 4, 3], DType.Float32, g);
        // [5, 6, 4, 3] seen as [5, 3, 4, 6]: channels along a strided dim.
        Twin(x, Tensor.Randn([3], DType.Float32, g), Tensor.Randn([3], DType.Float32, g), t => t.Permute(0, 3, 2, 1), g, "permuted");
    }

    [Fact]
    public void RunningStatisticsUseTheBatchMomentsAndGradCheckPasses()
    {
        var g = new Generator(14);
        var x = Tensor.Randn([6, 2, 5], DType.Float64, g) * 3.0 + 2.0;
        var runningMean = Tensor.Zeros([2], DType.Float64);
        var runningVar = Tensor.Ones([2], DType.Float64);
        F.BatchNorm(x, runningMean, runningVar, null, null, training: true, momentum: 0.5);
        var mean = x.Mean([0, 2]);
        var unbiased = x.Var([0, 2], unbiased: true);
        TensorAssert.Close(mean * 0.5, runningMean, 1e-12, 1e-12, "running_mean");
        TensorAssert.Close(unbiased * 0.5 + 0.5, runningVar, 1e-12, 1e-12, "running_var");

        var w = (Tensor.Randn([2], DType.Float64, g) + 1.0).RequiresGrad_();
        var b = Tensor.Randn([2], DType.Float64, g).RequiresGrad_();
        var xl = x.Detach().RequiresGrad_();
        GradCheck.Assert(inputs => F.BatchNorm(inputs[0], null, null, inputs[1], inputs[2], training: true), [xl, w, b]);
        GradCheck.Assert(inputs => F.BatchNorm(inputs[0], null, null, null, null, training: true), [xl]);
    }
}
