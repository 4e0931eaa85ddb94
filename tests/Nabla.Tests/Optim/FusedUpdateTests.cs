using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.Optim;

/// <summary>
/// The fused update runs full SIMD vectors and then a padded tail through the same rule. A parameter of
/// length n must therefore end exactly where n one-element parameters (all tail) end, for every n.
/// </summary>
public class FusedUpdateTests
{
    static readonly Dictionary<string, Func<IEnumerable<Tensor>, Optimizer>> Optimizers = new()
    {
        ["sgd"] = ps => new SGD(ps, lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        ["sgd_dampening_maximize"] = ps => new SGD(ps, lr: 0.05, momentum: 0.5, dampening: 0.3, maximize: true),
        ["adagrad"] = ps => new Adagrad(ps, lr: 0.1, lrDecay: 0.01, weightDecay: 0.1, initialAccumulatorValue: 0.2),
        ["rmsprop"] = ps => new RMSprop(ps, centered: true, momentum: 0.8, weightDecay: 0.1),
        ["adadelta"] = ps => new Adadelta(ps, weightDecay: 0.1),
        ["adam"] = ps => new Adam(ps, lr: 0.05, amsgrad: true, weightDecay: 0.1),
        ["adamw"] = ps => new AdamW(ps, lr: 0.05, amsgrad: true, maximize: true),
    };

    public static IEnumerable<object[]> Cases =>
        from name in Optimizers.Keys from dtype in new[] { DType.Float32, DType.Float64 } select new object[] { name, dtype };

    [Theory]
    [MemberData(nameof(Cases))]
    public void VectorBodyAndPaddedTailAgreeForAllLengths(string name, DType dtype)
    {
        var rng = new System.Random(5);
        for (int n = 0; n <= 70; n++)
        {
            var values = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
            var grads = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
            var whole = Tensor.From(values).To(dtype).RequiresGrad_();
            var pieces = values.Select(v => Tensor.From(new[] { v }).To(dtype).RequiresGrad_()).ToArray();
            var a = Optimizers[name]([whole]);
            var b = Optimizers[name](pieces.Length == 0 ? [Tensor.Zeros([0], dtype).RequiresGrad_()] : pieces);
            foreach (var g in grads)
            {
                whole.Grad = Tensor.From(g).To(dtype);
                for (int i = 0; i < n; i++) pieces[i].Grad = Tensor.From(new[] { g[i] }).To(dtype);
                a.Step();
                b.Step();
            }
            var joined = pieces.Length == 0 ? Tensor.Zeros([0], dtype) : Tensor.From(pieces.Select(p => p.Item()).ToArray()).To(dtype);
            TensorAssert.Equal(joined, whole, $"{name} {dtype} length {n}");
        }
    }

    [Fact]
    public void UpdatesAreInPlace()
    {
        var p = Tensor.From(new float[] { 1, 2, 3 }).RequiresGrad_();
        var storage = p.Storage;
        var opt = new Adam([p], lr: 0.1);
        p.Grad = Tensor.Ones(3);
        opt.Step();
        Assert.Same(storage, p.Storage);
        Assert.True(p.IsLeaf);
        Assert.NotEqual(1f, p.ToArray<float>()[0]);
    }
}
