using System.Globalization;
using System.Text;

namespace Nabla;

/// <summary>
/// Writes a tensor the way PyTorch's str(tensor) does (torch/_tensor_str.py with default print options):
/// one element format for the whole tensor (common width, fixed/integer/scientific mode chosen from the
/// values), rows wrapped at 80 columns, "..." summaries past 1000 elements, and dtype / autograd suffixes.
/// </summary>
internal static class TensorFormatter
{
    const int Precision = 4;
    const int Threshold = 1000;
    const int EdgeItems = 3;
    const int LineWidth = 80;
    const string Prefix = "tensor(";

    public static string Format(Tensor t)
    {
        int indent = Prefix.Length;
        var suffixes = new List<string>();
        string body;
        if (t.NumElements == 0)
        {
            // An empty tensor shows its shape unless it is 1-D, and its dtype unless it is the default float32.
            if (t.Rank != 1) suffixes.Add("size=" + PythonTuple(t._shape));
            if (t.DType != DType.Float32) suffixes.Add("dtype=torch." + t.DType.TorchName());
            body = "[]";
        }
        else
        {
            // float32 (the default), int64 and bool can be told apart from the text; float64 cannot.
            if (t.DType == DType.Float64) suffixes.Add("dtype=torch.float64");
            body = new Writer(t).Write(indent);
        }
        if (t.GradFnName is { } name) suffixes.Add($"grad_fn=<{name}>");
        else if (t.RequiresGrad) suffixes.Add("requires_grad=True");
        return AddSuffixes(Prefix + body, suffixes, indent);
    }

    /// <summary>Suffixes go on the last line while it stays within the line width, else on new lines.</summary>
    static string AddSuffixes(string text, List<string> suffixes, int indent)
    {
        var sb = new StringBuilder(text);
        int lastLineLength = text.Length - text.LastIndexOf('\n') + 1; // as torch counts it
        foreach (var suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > LineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }
        return sb.Append(')').ToString();
    }

    static string PythonTuple(int[] shape) =>
        "(" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")");

    /// <summary>Walks the tensor's layout directly (no copy), so views print without being made contiguous.</summary>
    sealed class Writer
    {
        readonly Tensor _t;
        readonly bool _summarize;
        readonly ElementFormat _format;

        public Writer(Tensor t)
        {
            _t = t;
            _summarize = t.NumElements > Threshold;
            // The element format is chosen from the elements that will be shown, as torch does.
            var shown = new List<int>();
            Collect(0, t._offset, shown);
            _format = new ElementFormat(t._storage, shown, Precision);
        }

        /// <summary>Whether a dimension of this size is cut to its edge items.</summary>
        bool Cut(int size) => _summarize && size > 2 * EdgeItems;

        /// <summary>The indices along a dimension that are shown, with -1 marking the "..." gap.</summary>
        IEnumerable<int> Shown(int size)
        {
            if (!Cut(size))
            {
                for (int i = 0; i < size; i++) yield return i;
                yield break;
            }
            for (int i = 0; i < EdgeItems; i++) yield return i;
            yield return -1;
            for (int i = size - EdgeItems; i < size; i++) yield return i;
        }

        void Collect(int dim, int pos, List<int> into)
        {
            if (dim == _t.Rank) { into.Add(pos); return; }
            foreach (int i in Shown(_t._shape[dim]))
                if (i >= 0) Collect(dim + 1, pos + i * _t._strides[dim], into);
        }

        public string Write(int indent) => _t.Rank == 0 ? _format.Format(_t._offset) : Write(0, _t._offset, indent);

        string Write(int dim, int pos, int indent)
        {
            int stride = _t._strides[dim];
            if (dim == _t.Rank - 1) return WriteVector(pos, stride, _t._shape[dim], indent);

            var slices = new List<string>();
            foreach (int i in Shown(_t._shape[dim]))
                slices.Add(i < 0 ? "..." : Write(dim + 1, pos + i * stride, indent + 1));
            // Blocks of higher dimensions are separated by one blank line per extra dimension.
            string separator = "," + new string('\n', _t.Rank - dim - 1) + new string(' ', indent + 1);
            return "[" + string.Join(separator, slices) + "]";
        }

        string WriteVector(int pos, int stride, int size, int indent)
        {
            int elementLength = _format.Width + 2; // the element plus ", "
            int perLine = Math.Max(1, (int)Math.Floor((LineWidth - indent) / (double)elementLength));
            var items = new List<string>();
            foreach (int i in Shown(size))
                items.Add(i < 0 ? " ..." : _format.Format(pos + i * stride));

            var lines = new List<string>();
            for (int start = 0; start < items.Count; start += perLine)
                lines.Add(string.Join(", ", items.Skip(start).Take(perLine)));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }
    }

    /// <summary>One text format for all elements of a tensor: its mode (fixed, integer-valued, scientific) and width.</summary>
    sealed class ElementFormat
    {
        readonly Storage _storage;
        readonly int _precision;
        readonly bool _floating;
        readonly bool _intMode = true;
        readonly bool _sciMode;
        public int Width { get; } = 1;

        public ElementFormat(Storage storage, List<int> shown, int precision)
        {
            _storage = storage;
            _precision = precision;
            _floating = storage.DType.IsFloating();
            if (!_floating)
            {
                foreach (int pos in shown) Width = Math.Max(Width, Raw(pos).Length);
                return;
            }

            var values = new List<double>();
            double min = double.PositiveInfinity, max = 0;
            foreach (int pos in shown)
            {
                double v = storage.GetAsDouble(pos);
                if (v == 0 || !double.IsFinite(v)) continue;
                values.Add(v);
                min = Math.Min(min, Math.Abs(v));
                max = Math.Max(max, Math.Abs(v));
                if (v != Math.Ceiling(v)) _intMode = false;
            }
            if (values.Count == 0) return; // only zeros and non-finite values: "0.", "nan", "inf"

            // torch's rule: scientific when the magnitudes span more than three decades or are very large,
            // or (for values with fractions) very small.
            _sciMode = max / min > 1000.0 || max > 1.0e8 || (!_intMode && min < 1.0e-4);
            foreach (double v in values)
            {
                int length = _sciMode ? DecimalText.Scientific(v, precision).Length
                    : _intMode ? DecimalText.Fixed(v, 0).Length + 1 // the trailing "."
                    : DecimalText.Fixed(v, precision).Length;
                Width = Math.Max(Width, length);
            }
        }

        public string Format(int pos)
        {
            string text = _floating ? FormatFloating(_storage.GetAsDouble(pos)) : Raw(pos);
            return text.PadLeft(Width);
        }

        string FormatFloating(double v)
        {
            if (_sciMode) return DecimalText.Scientific(v, _precision);
            if (!_intMode) return DecimalText.Fixed(v, _precision);
            // Integer-valued floats print as "3." so they still read as floats; nan and inf get no dot.
            string text = DecimalText.Fixed(v, 0);
            return double.IsFinite(v) ? text + "." : text;
        }

        /// <summary>Integers and bools as Python prints them.</summary>
        string Raw(int pos) => _storage switch
        {
            Storage<long> s => s.Data[pos].ToString(CultureInfo.InvariantCulture),
            Storage<bool> s => s.Data[pos] ? "True" : "False",
            _ => throw new InvalidOperationException($"print: unexpected dtype {_storage.DType.TorchName()}."),
        };
    }
}
