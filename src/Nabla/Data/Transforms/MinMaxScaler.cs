namespace Nabla.Data.Transforms;

/// <summary>
/// Scales each column linearly so that its fitted minimum maps to <see cref="RangeMin"/> and its maximum to
/// <see cref="RangeMax"/> (sklearn's MinMaxScaler): x · scale + offset. A constant column gets scale 1 (it is
/// shifted to RangeMin). <see cref="Inverse"/> undoes <see cref="Transform"/> exactly up to rounding.
/// </summary>
public sealed class MinMaxScaler
{
    double[]? _scale, _offset, _dataMin, _dataMax;

    public MinMaxScaler(double rangeMin = 0, double rangeMax = 1)
    {
        if (!(rangeMin < rangeMax) || !double.IsFinite(rangeMin) || !double.IsFinite(rangeMax))
            throw new ArgumentException($"min_max_scaler: the target range must have min < max, got ({rangeMin}, {rangeMax}).");
        RangeMin = rangeMin;
        RangeMax = rangeMax;
    }

    public double RangeMin { get; }
    public double RangeMax { get; }
    public IReadOnlyList<double>? DataMin => _dataMin;
    public IReadOnlyList<double>? DataMax => _dataMax;

    public MinMaxScaler Fit(Tensor table)
    {
        var v = ColumnStats.Read(table, "min_max_scaler", out int rows, out int cols);
        _dataMin = new double[cols];
        _dataMax = new double[cols];
        _scale = new double[cols];
        _offset = new double[cols];
        for (int c = 0; c < cols; c++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int r = 0; r < rows; r++) { double x = v[r * cols + c]; lo = Math.Min(lo, x); hi = Math.Max(hi, x); }
            double range = hi - lo;
            double scale = (RangeMax - RangeMin) / (range > 0 ? range : 1);
            _dataMin[c] = lo;
            _dataMax[c] = hi;
            _scale[c] = scale;
            _offset[c] = RangeMin - lo * scale;
        }
        return this;
    }

    public Tensor Transform(Tensor x)
    {
        Check(x);
        return x * ColumnStats.Vector(_scale!, x.DType) + ColumnStats.Vector(_offset!, x.DType);
    }

    /// <summary>Undoes <see cref="Transform"/>: (x − offset) / scale.</summary>
    public Tensor Inverse(Tensor x)
    {
        Check(x);
        return (x - ColumnStats.Vector(_offset!, x.DType)) / ColumnStats.Vector(_scale!, x.DType);
    }

    public Tensor FitTransform(Tensor table) => Fit(table).Transform(table);

    void Check(Tensor x)
    {
        if (_scale == null) throw new InvalidOperationException("min_max_scaler: call Fit before Transform or Inverse.");
        ColumnStats.CheckInput(x, _scale.Length, "min_max_scaler");
    }
}
