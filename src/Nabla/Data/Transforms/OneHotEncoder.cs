namespace Nabla.Data.Transforms;

/// <summary>
/// Replaces categorical columns of a table by one-hot columns (pandas' get_dummies, sklearn's OneHotEncoder).
/// <see cref="Fit"/> records each categorical column's distinct values, sorted; <see cref="Transform"/> puts, in
/// place of each such column, one column per category holding 1 where the row has that value and 0 elsewhere.
/// The other columns keep their values and their order. A value not seen by Fit is an error naming it.
/// </summary>
public sealed class OneHotEncoder
{
    readonly int[] _requested;
    int[] _columns;
    double[][]? _categories;
    int _inputColumns;

    /// <param name="columns">The categorical columns (negative counts from the end, resolved at Fit).</param>
    public OneHotEncoder(params int[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0) throw new ArgumentException("one_hot_encoder: name at least one categorical column.");
        _requested = (int[])columns.Clone();
        _columns = (int[])columns.Clone();
    }

    /// <summary>The sorted categories of each categorical column, in the order the columns were given.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Categories => _categories;

    /// <summary>The number of columns Transform produces.</summary>
    public int OutputColumns => _categories == null
        ? throw new InvalidOperationException("one_hot_encoder: call Fit first.")
        : _inputColumns - _columns.Length + _categories.Sum(c => c.Length);

    public OneHotEncoder Fit(Tensor table)
    {
        var v = ColumnStats.Read(table, "one_hot_encoder", out int rows, out int cols);
        var seen = new HashSet<int>();
        var resolved = new int[_requested.Length];
        for (int i = 0; i < _requested.Length; i++)
        {
            int c = _requested[i] < 0 ? _requested[i] + cols : _requested[i];
            if ((uint)c >= (uint)cols)
                throw new IndexOutOfRangeException($"one_hot_encoder: column {_requested[i]} is out of range for a table of shape {table.ShapeText}.");
            if (!seen.Add(c)) throw new ArgumentException($"one_hot_encoder: column {_requested[i]} is named twice.");
            resolved[i] = c;
        }
        _columns = resolved;
        _categories = new double[_columns.Length][];
        for (int i = 0; i < _columns.Length; i++)
        {
            var set = new SortedSet<double>();
            for (int r = 0; r < rows; r++) set.Add(v[r * cols + _columns[i]]);
            _categories[i] = set.ToArray();
        }
        _inputColumns = cols;
        return this;
    }

    /// <summary>The encoded table [rows, OutputColumns], in the input's dtype (not differentiable: categories are data).</summary>
    public Tensor Transform(Tensor table)
    {
        if (_categories == null) throw new InvalidOperationException("one_hot_encoder: call Fit before Transform.");
        ArgumentNullException.ThrowIfNull(table);
        if (table.Rank != 2 || table.Size(1) != _inputColumns || !table.DType.IsFloating())
            throw new ArgumentException($"one_hot_encoder: was fitted on float tables of {_inputColumns} columns, got {table.DType.TorchName()} of shape {table.ShapeText}.");
        int rows = table.Size(0), cols = _inputColumns, outCols = OutputColumns;
        var v = table.Detach().To(DType.Float64).Contiguous().ToArray<double>();
        // Where each input column starts in the output, and which encoder slot (or -1) it belongs to.
        var slot = new int[cols];
        Array.Fill(slot, -1);
        for (int i = 0; i < _columns.Length; i++) slot[_columns[i]] = i;
        var result = new double[rows * outCols];
        for (int r = 0; r < rows; r++)
        {
            int o = r * outCols;
            for (int c = 0; c < cols; c++)
            {
                double x = v[r * cols + c];
                if (slot[c] < 0) { result[o++] = x; continue; }
                var cats = _categories[slot[c]];
                int k = Array.BinarySearch(cats, x);
                if (k < 0)
                    throw new ArgumentException($"one_hot_encoder: row {r}, column {c} holds {x}, a category not seen by Fit (known: {string.Join(", ", cats)}).");
                result[o + k] = 1;
                o += cats.Length;
            }
        }
        return Tensor.From(result, rows, outCols).To(table.DType);
    }

    public Tensor FitTransform(Tensor table) => Fit(table).Transform(table);
}
