using Nabla.Backends.Cpu;

namespace Nabla;

public sealed partial class Tensor
{
    public static Tensor Zeros(params int[] shape) => Zeros(shape, DType.Float32);

    public static Tensor Zeros(int[] shape, DType dtype) => new((int[])CheckShape(shape, "zeros").Clone(), dtype);

    public static Tensor Ones(params int[] shape) => Full(shape, 1.0, DType.Float32);

    public static Tensor Ones(int[] shape, DType dtype) => Full(shape, 1.0, dtype);

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32)
    {
        var t = Zeros(shape, dtype);
        if (value != 0) t.FillInPlace(value);
        return t;
    }

    /// <summary>Zeros with the shape of <paramref name="t"/> and its dtype (or <paramref name="dtype"/>).</summary>
    public static Tensor ZerosLike(Tensor t, DType? dtype = null) => Zeros(t._shape, dtype ?? t.DType);

    /// <summary>Ones with the shape of <paramref name="t"/> and its dtype (or <paramref name="dtype"/>).</summary>
    public static Tensor OnesLike(Tensor t, DType? dtype = null) => Ones(t._shape, dtype ?? t.DType);

    /// <summary><paramref name="value"/> everywhere, with the shape of <paramref name="t"/> and its dtype (or <paramref name="dtype"/>).</summary>
    public static Tensor FullLike(Tensor t, double value, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Full(t._shape, value, dtype ?? t.DType);
    }

    /// <summary>A 0-dimensional tensor holding one value.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full([], value, dtype);

    /// <summary>A tensor holding a copy of <paramref name="data"/>, laid out as <paramref name="shape"/> (1-D when no shape is given).</summary>
    public static Tensor From<T>(T[] data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Length == 0) shape = [data.Length];
        CheckShape(shape, "from_array");
        int n = Layout.NumElements(shape);
        if (n != data.Length)
            throw new ArgumentException($"from_array: {data.Length} values cannot fill shape {Layout.Format(shape)} ({n} elements).");
        return FromArray((T[])data.Clone(), (int[])shape.Clone());
    }

    /// <summary>A 0-dimensional tensor from a single value of type T.</summary>
    public static Tensor FromScalar<T>(T value) where T : unmanaged => FromArray(new[] { value }, []);

    internal static int[] CheckShape(int[] shape, string op)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"{op}: negative dimension in shape {Layout.Format(shape)}.");
        return shape;
    }

    /// <summary>Sets every element of this tensor (a view writes through to its storage). Not recorded by autograd.</summary>
    public Tensor FillInPlace(double value)
    {
        CheckInPlace("fill_");
        switch (DType)
        {
            case DType.Float32: FillView(this, (float)value); break;
            case DType.Float64: FillView(this, value); break;
            case DType.Int64: FillView(this, (long)value); break;
            default: FillView(this, value != 0); break;
        }
        return this;
    }

    static void FillView<T>(Tensor t, T value) where T : unmanaged
    {
        if (t.IsContiguous) { t.Span<T>().Fill(value); return; }
        var dense = new T[t._numel];
        dense.AsSpan().Fill(value);
        StridedCopy.FromContiguous<T>(dense, t.Data<T>(), t._offset, t._shape, t._strides);
    }

    /// <summary>In-place writes are allowed on tensors outside the graph, or anywhere inside a NoGrad scope.</summary>
    internal void CheckInPlace(string op)
    {
        if (Autograd.GradMode.IsEnabled && (GradFn != null || (RequiresGrad && IsLeaf)))
            throw new InvalidOperationException($"{op}: a tensor of shape {ShapeText} that requires grad cannot be modified in place while gradients are recorded; wrap the update in a NoGrad scope.");
    }
}
