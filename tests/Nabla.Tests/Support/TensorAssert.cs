namespace Nabla.Tests.Support;

/// <summary>Element-wise comparison of tensors with a relative and absolute tolerance, like torch.allclose.</summary>
public static class TensorAssert
{
    public static void Close(Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-6, string what = "tensor")
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape {Format(expected.Shape)} expected, got {Format(actual.Shape)}");
        Assert.True(expected.DType == actual.DType, $"{what}: dtype {expected.DType} expected, got {actual.DType}");
        var e = Flat(expected);
        var a = Flat(actual);
        for (int i = 0; i < e.Length; i++)
        {
            if (double.IsNaN(e[i]) && double.IsNaN(a[i])) continue;
            if (e[i] == a[i]) continue;
            double tol = atol + rtol * Math.Abs(e[i]);
            Assert.True(Math.Abs(e[i] - a[i]) <= tol,
                $"{what}: element {i} expected {e[i]:R}, got {a[i]:R} (|diff| {Math.Abs(e[i] - a[i]):E2} > tol {tol:E2})");
        }
    }

    public static void Equal(Tensor expected, Tensor actual, string what = "tensor") => Close(expected, actual, 0, 0, what);

    public static double[] Flat(Tensor t)
    {
        var d = t.Detach().To(DType.Float64).Contiguous();
        return d.ToArray<double>();
    }

    static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
