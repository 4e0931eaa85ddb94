namespace Nabla.Data.Transforms;

/// <summary>
/// Standardizes each column to zero mean and unit variance: (x − mean) / std, with mean and std fitted per
/// column on a table [rows, columns] (sklearn's StandardScaler). The std is the population one (divide by n,
/// numpy's default); a constant column gets std 1 so it maps to 0 instead of NaN. Transform and Inverse take any
/// float tensor whose last dim is the columns and are built from tensor ops, so gradients flow through them.
/// </summary>
public sealed class Standardize
{
    double[]? _mean, _std;

    /// <summary>Per-column means (null before <see cref="Fit"/>).</summary>
    public IReadOnlyList<double>? Mean => _mean;

    /// <summary>Per-column standard deviations, with 1 for constant columns (null before <see cref="Fit"/>).</summary>
    public IReadOnlyList<double>? Std => _std;

    public Standardize Fit(Tensor table)
    {
        var v = ColumnStats.Read(table, "standardize", out int rows, out int cols);
        var mean = new double[cols];
        var std = new double[cols];
        for (int c = 0; c < cols; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += v[r * cols + c];
            double m = sum / rows, ss = 0;
            // Two passes (mean, then squared deviations) avoid the cancellation of E[x²] − E[x]².
            for (int r = 0; r < rows; r++) { double d = v[r * cols + c] - m; ss += d * d; }
            double s = Math.Sqrt(ss / rows);
            mean[c] = m;
            std[c] = s > 0 ? s : 1;
        }
        _mean = mean;
        _std = std;
        return this;
    }

    public Tensor Transform(Tensor x)
    {
        var (mean, std) = Fitted(x, "standardize");
        return (x - ColumnStats.Vector(mean, x.DType)) / ColumnStats.Vector(std, x.DType);
    }

    /// <summary>Undoes <see cref="Transform"/>: x · std + mean.</summary>
    public Tensor Inverse(Tensor x)
    {
        var (mean, std) = Fitted(x, "standardize");
        return x * ColumnStats.Vector(std, x.DType) + ColumnStats.Vector(mean, x.DType);
    }

    public Tensor FitTransform(Tensor table) => Fit(table).Transform(table);

    (double[] Mean, double[] Std) Fitted(Tensor x, string op)
    {
        if (_mean == null || _std == null) throw new InvalidOperationException($"{op}: call Fit before Transform or Inverse.");
        ColumnStats.CheckInput(x, _mean.Length, op);
        return (_mean, _std);
    }
}
