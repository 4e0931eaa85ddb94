namespace Nabla.Data.Transforms;

/// <summary>Shared checks and per-column statistics for the tabular transforms (computed in float64).</summary>
internal static class ColumnStats
{
    /// <summary>The table's values as float64 rows × columns, after checking it is a non-empty 2-D float table without NaN.</summary>
    public static double[] Read(Tensor table, string op, out int rows, out int columns)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Rank != 2) throw new ArgumentException($"{op}: fit expects a 2-D table [rows, columns], got shape {table.ShapeText}.");
        if (!table.DType.IsFloating()) throw new ArgumentException($"{op}: expects a float32 or float64 table, got {table.DType.TorchName()} of shape {table.ShapeText}.");
        rows = table.Size(0);
        columns = table.Size(1);
        if (rows == 0) throw new ArgumentException($"{op}: cannot fit on a table with no rows (shape {table.ShapeText}).");
        var values = table.Detach().To(DType.Float64).Contiguous().ToArray<double>();
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{op}: the table holds {values[i]} at row {i / columns}, column {i % columns}; fit needs finite values.");
        return values;
    }

    /// <summary>Checks that <paramref name="x"/> is a float tensor whose last dim has the fitted number of columns.</summary>
    public static void CheckInput(Tensor x, int columns, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!x.DType.IsFloating()) throw new ArgumentException($"{op}: expects a float32 or float64 tensor, got {x.DType.TorchName()} of shape {x.ShapeText}.");
        if (x.Rank == 0 || x.Size(-1) != columns)
            throw new ArgumentException($"{op}: was fitted on {columns} columns, but the input has shape {x.ShapeText} (the last dim must be {columns}).");
    }

    public static Tensor Vector(double[] values, DType dtype) => Tensor.From(values).To(dtype);
}
