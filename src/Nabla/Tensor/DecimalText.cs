using System.Globalization;
using System.Numerics;

namespace Nabla;

/// <summary>
/// Exact decimal text for doubles, as Python's "{:.Nf}" and "{:.Ne}" write it: the exact binary value is
/// rounded half-to-even. .NET's "F4"/"E4" differ on exact ties (0.03125 → "0.0313" instead of "0.0312") and
/// write three-digit exponents, so tensor printing does its own rounding with big integers. Printing touches
/// at most a few thousand numbers, so exactness wins over speed here.
/// </summary>
internal static class DecimalText
{
    /// <summary>Python's format(value, ".{decimals}f").</summary>
    public static string Fixed(double value, int decimals)
    {
        if (!double.IsFinite(value)) return NonFinite(value);
        var q = ScaledRound(Math.Abs(value), decimals, out _);
        string digits = q.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        string text = decimals == 0 ? digits : digits[..^decimals] + "." + digits[^decimals..];
        return double.IsNegative(value) ? "-" + text : text;
    }

    /// <summary>Python's format(value, ".{decimals}e"): d.dddde±XX, at least two exponent digits.</summary>
    public static string Scientific(double value, int decimals)
    {
        if (!double.IsFinite(value)) return NonFinite(value);
        double a = Math.Abs(value);
        int exponent = 0;
        BigInteger q = BigInteger.Zero;
        if (a != 0)
        {
            var low = BigInteger.Pow(10, decimals);
            var high = low * 10;
            exponent = (int)Math.Floor(Math.Log10(a));
            // The log estimate can be one off near powers of ten; correct it on the truncated value.
            for (int tries = 0; tries < 4; tries++)
            {
                q = ScaledRound(a, decimals - exponent, out var truncated);
                if (truncated >= high) exponent++;
                else if (truncated < low) exponent--;
                else break;
            }
            if (q == high) { q = low; exponent++; } // 9.99995 rounds up to 10.0000
        }
        string digits = q.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        string mantissa = decimals == 0 ? digits : digits[..1] + "." + digits[1..];
        string exp = (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        return (double.IsNegative(value) ? "-" : "") + mantissa + "e" + exp;
    }

    /// <summary>Python writes nan without a sign and infinities as inf / -inf.</summary>
    static string NonFinite(double value) => double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

    static ulong Pow10(int power)
    {
        ulong p = 1;
        for (int i = 0; i < power; i++) p *= 10;
        return p;
    }

    /// <summary>round_half_even(a · 10^power) for a finite a ≥ 0, computed exactly; also returns the truncated value.</summary>
    static BigInteger ScaledRound(double a, int power, out BigInteger truncated)
    {
        long bits = BitConverter.DoubleToInt64Bits(a);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & ((1L << 52) - 1);
        // a = mantissa · 2^exp2 exactly.
        BigInteger mantissa = biased == 0 ? fraction : fraction | (1L << 52);
        int exp2 = biased == 0 ? -1074 : biased - 1075;

        if (exp2 <= 0 && power is >= 0 and <= 19)
        {
            // Fast path for ordinary magnitudes: mantissa · 10^power < 2^53 · 2^64 fits in 128 bits.
            UInt128 n = (UInt128)(ulong)mantissa * Pow10(power);
            int shift = -exp2;
            if (shift == 0) { truncated = (BigInteger)n; return truncated; }
            // Shifts of 128 or more would wrap (C# masks the count), and leave nothing but remainder anyway.
            UInt128 q = shift >= 128 ? 0 : n >> shift;
            UInt128 rem = shift >= 128 ? n : n - (q << shift);
            // Compare 2·rem with 2^shift without overflow: rem against 2^(shift-1).
            int cmpFast = shift - 1 >= 128 ? -1 : rem.CompareTo((UInt128)1 << (shift - 1));
            truncated = (BigInteger)q;
            return cmpFast > 0 || (cmpFast == 0 && (q & 1) == 1) ? truncated + 1 : truncated;
        }

        BigInteger num = mantissa, den = BigInteger.One;
        if (exp2 >= 0) num <<= exp2; else den <<= -exp2;
        if (power >= 0) num *= BigInteger.Pow(10, power); else den *= BigInteger.Pow(10, -power);

        truncated = BigInteger.DivRem(num, den, out var remainder);
        var twice = remainder << 1;
        int cmp = twice.CompareTo(den);
        return cmp > 0 || (cmp == 0 && !truncated.IsEven) ? truncated + 1 : truncated;
    }
}
