using System.Globalization;

namespace Nabla.NN;

/// <summary>
/// Numbers as Python's repr prints them, for ExtraRepr texts that must match PyTorch's module reprs:
/// floats in shortest round-trip form with ".0" on whole values and "1e-05" style exponents.
/// </summary>
internal static class PyNumberText
{
    /// <summary>A Python float: 0.1, 1.0, 1e-05, 0.0001.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        int e = text.IndexOf('E');
        if (e >= 0)
        {
            // .NET writes 1E-05 / 1E+16; Python writes 1e-05 / 1e+16 (at least two exponent digits, sign always).
            var mantissa = text[..e];
            var exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
            return $"{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        return text.Contains('.') ? text : text + ".0";
    }

    /// <summary>A number a PyTorch default holds as a Python int when whole (Softplus(beta=1, threshold=20)).</summary>
    public static string IntOrFloat(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture) : Float(value);

    public static string Bool(bool value) => value ? "True" : "False";
}
