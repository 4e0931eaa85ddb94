using System.Globalization;

namespace Nabla.Data;

/// <summary>
/// Numeric tables in text: comma-separated (CSV) or whitespace-separated (tabs and runs of spaces, like the UCI
/// airfoil data). Blank lines and lines starting with '#' are skipped; every other line is one row and must have
/// as many numbers as the first. A bad row is reported with the file name and its 1-based line number.
/// </summary>
public static class DelimitedTable
{
    /// <summary>
    /// Reads <paramref name="path"/> into a 2-D tensor [rows, columns]. <paramref name="separator"/> null picks
    /// commas when the first row has one and whitespace otherwise; <paramref name="hasHeader"/> skips the first row.
    /// </summary>
    public static Tensor Load(string path, char? separator = null, bool hasHeader = false, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"table: file {path} does not exist.", path);
        using var reader = new StreamReader(path);
        return Parse(reader, path, separator, hasHeader, dtype);
    }

    /// <summary>Reads a table from text; <paramref name="name"/> stands for the source in error messages.</summary>
    public static Tensor Parse(TextReader reader, string name, char? separator = null, bool hasHeader = false, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!dtype.IsFloating()) throw new ArgumentException($"table: values are read as float32 or float64, not {dtype.TorchName()}.");
        var values = new List<double>();
        int columns = -1, rows = 0, lineNumber = 0;
        bool headerPending = hasHeader;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '#') continue;
            if (headerPending) { headerPending = false; continue; }
            separator ??= text.Contains(',') ? ',' : ' ';
            int found = ParseRow(text, separator.Value, values, name, lineNumber);
            if (columns < 0) columns = found;
            else if (found != columns)
                throw new InvalidDataException($"table: {name} line {lineNumber}: expected {columns} columns like the first row, found {found}.");
            rows++;
        }
        if (rows == 0) throw new InvalidDataException($"table: {name} has no data rows.");
        int[] shape = [rows, columns];
        if (dtype == DType.Float64) return Tensor.FromArray(values.ToArray(), shape);
        var floats = new float[values.Count];
        for (int i = 0; i < floats.Length; i++) floats[i] = (float)values[i];
        return Tensor.FromArray(floats, shape);
    }

    // Appends the row's numbers to values and returns how many there were. ' ' means "any whitespace run".
    static int ParseRow(ReadOnlySpan<char> text, char separator, List<double> values, string name, int lineNumber)
    {
        int count = 0;
        while (true)
        {
            ReadOnlySpan<char> field;
            if (separator == ' ')
            {
                if (text.IsEmpty) break;
                int end = text.IndexOfAny(' ', '\t');
                field = end < 0 ? text : text[..end];
                text = end < 0 ? [] : text[end..].TrimStart(" \t");
            }
            else
            {
                int end = text.IndexOf(separator);
                field = (end < 0 ? text : text[..end]).Trim();
                if (field.IsEmpty)
                    throw new InvalidDataException($"table: {name} line {lineNumber}: column {count + 1} is empty.");
                text = end < 0 ? [] : text[(end + 1)..];
                if (end >= 0 && text.Trim().IsEmpty)
                    throw new InvalidDataException($"table: {name} line {lineNumber}: column {count + 2} is empty.");
            }
            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw new InvalidDataException($"table: {name} line {lineNumber}: column {count + 1} holds '{field.ToString()}', which is not a number.");
            values.Add(v);
            count++;
            if (separator != ' ' && text.IsEmpty) break;
        }
        return count;
    }
}
