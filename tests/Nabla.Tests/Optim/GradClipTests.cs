using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.Optim;

/// <summary>ClipGradNorm / ClipGradValue against torch.nn.utils.clip_grad_norm_ / clip_grad_value_.</summary>
public class GradClipTests
{
    static readonly Dictionary<string, Func<Tensor[], double?>> Twins = new()
    {
        ["norm_l2"] = ps => GradClip.ClipGradNorm(ps, 2.0),
        ["norm_l2_no_clip"] = ps => GradClip.ClipGradNorm(ps, 1000.0),
        ["norm_l1"] = ps => GradClip.ClipGradNorm(ps, 5.0, normType: 1),
        ["norm_l3_float64"] = ps => GradClip.ClipGradNorm(ps, 1.5, normType: 3),
        ["norm_inf"] = ps => GradClip.ClipGradNorm(ps, 0.5, normType: double.PositiveInfinity),
        ["norm_l2_noncontiguous"] = ps => GradClip.ClipGradNorm(ps, 2.0),
        ["value"] = ps => { GradClip.ClipGradValue(ps, 0.7); return null; },
        ["value_float64_noncontiguous"] = ps => { GradClip.ClipGradValue(ps, 0.3); return null; },
    };

    public static IEnumerable<object[]> Cases => OptimFixture.Clipping.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = OptimFixture.Clipping.Single(x => x.Name == name);
        var grads = c.Grads.Select(g => name.Contains("noncontiguous") && g.Rank == 2 ? g.T().Contiguous().T() : g.Clone()).ToArray();
        var ps = grads.Select(g => Tensor.Zeros(g.Shape, g.DType).RequiresGrad_()).ToArray();
        for (int i = 0; i < ps.Length; i++) ps[i].Grad = grads[i];
        var total = Twins[name](ps);
        if (c.TotalNorm is { } expected) Assert.True(Math.Abs(expected - total!.Value) <= 1e-5 * expected, $"{name}: total norm {expected} expected, got {total}");
        for (int i = 0; i < ps.Length; i++)
        {
            Assert.Same(grads[i], ps[i].Grad); // in place, as PyTorch
            TensorAssert.Close(c.Clipped[i], ps[i].Grad!, rtol: 1e-5, atol: 1e-6, what: $"{name}: gradient {i}");
        }
    }

    [Fact]
    public void EveryCaseHasATwin() => Assert.Equal(OptimFixture.Clipping.Select(c => c.Name).Order(), Twins.Keys.Order());

    [Fact]
    public void ParametersWithoutGradientsAreIgnored()
    {
        var a = Tensor.Zeros(2).RequiresGrad_();
        var b = Tensor.Zeros(2).RequiresGrad_();
        a.Grad = Tensor.From(new float[] { 3, 4 });
        Assert.Equal(5.0, GradClip.ClipGradNorm([a, b], 1.0), 6);
        Assert.Null(b.Grad);
        Assert.Equal(0.0, GradClip.ClipGradNorm([b], 1.0));
    }

    [Fact]
    public void BadInputsAreRejected()
    {
        var a = Tensor.Zeros(2).RequiresGrad_();
        a.Grad = Tensor.From(new float[] { float.NaN, 1 });
        Assert.Contains("clip_grad_norm: max_norm", Assert.Throws<ArgumentException>(() => GradClip.ClipGradNorm([a], -1)).Message);
        Assert.Contains("clip_grad_norm: norm_type", Assert.Throws<ArgumentException>(() => GradClip.ClipGradNorm([a], 1, normType: 0)).Message);
        Assert.Contains("clip_grad_value: clip_value", Assert.Throws<ArgumentException>(() => GradClip.ClipGradValue([a], -0.5)).Message);
        Assert.Contains("total norm of order 2", Assert.Throws<InvalidOperationException>(() => GradClip.ClipGradNorm([a], 1, errorIfNonfinite: true)).Message);
    }
}
