namespace Nabla.Vision;

/// <summary>Reading and writing the box tensors of the detection helpers: checked, as doubles, and back in the caller's dtype.</summary>
internal static class BoxTensors
{
    /// <summary>The values of a floating tensor of rank <paramref name="rank"/> as doubles; the last dim must be <paramref name="last"/> when given.</summary>
    public static double[] Read(Tensor t, string op, string name, int rank, int? last = null)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (!t.DType.IsFloating())
            throw new ArgumentException($"{op}: {name} must be float32 or float64, got {t.DType}.", name);
        if (t.Rank != rank || (last is { } l && t.Size(-1) != l))
            throw new ArgumentException($"{op}: {name} must have shape {Describe(rank, last)}, got [{string.Join(", ", t.Shape)}].", name);
        var values = t.Contiguous().To(DType.Float64).ToArray<double>();
        foreach (double v in values)
            if (!double.IsFinite(v)) throw new ArgumentException($"{op}: {name} holds {v}; boxes and scores must be finite.", name);
        return values;
    }

    public static Tensor Write(double[] values, DType dtype, params int[] shape) => Tensor.From(values, shape).To(dtype);

    static string Describe(int rank, int? last) => rank switch
    {
        1 => "[n]",
        2 => last is { } l ? $"[n, {l}]" : "[rows, columns]",
        _ => "[" + string.Join(", ", Enumerable.Range(0, rank - 1).Select(i => "d" + i)) + (last is { } m ? $", {m}]" : ", dn]"),
    };
}
